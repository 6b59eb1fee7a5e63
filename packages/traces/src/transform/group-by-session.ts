import type { TraceRequest } from '../types.js';

/** One closed-loop unit: the turns of a session, replayed as previous completion + gap. */
export interface SessionGroup {
  readonly sessionId: string;
  /** Arrival of the first turn; when a closed-loop replay starts the session. */
  readonly startSeconds: number;
  /** In turn order (turnIndex, then arrival). */
  readonly requests: readonly TraceRequest[];
  /** True when the trace had no session for this request (Mooncake, Azure): a one-turn session named by requestId. */
  readonly isSingleton: boolean;
}

/**
 * Groups requests by sessionId for closed-loop replay. Requests without a session become
 * one-turn sessions. Groups are ordered by start time, ties by first appearance.
 */
export function groupBySession(requests: readonly TraceRequest[]): SessionGroup[] {
  const groups = new Map<string, { first: number; requests: TraceRequest[]; isSingleton: boolean }>();
  requests.forEach((r, i) => {
    const key = r.sessionId === undefined ? `\u0000${r.requestId}` : r.sessionId;
    const group = groups.get(key);
    if (group) group.requests.push(r);
    else groups.set(key, { first: i, requests: [r], isSingleton: r.sessionId === undefined });
  });
  const result = [...groups.values()].map((g) => {
    const ordered = [...g.requests].sort(
      (a, b) => (a.turnIndex ?? 0) - (b.turnIndex ?? 0) || a.arrivalSeconds - b.arrivalSeconds,
    );
    const head = ordered[0] as TraceRequest;
    return {
      first: g.first,
      group: {
        sessionId: head.sessionId ?? head.requestId,
        startSeconds: ordered.reduce((min, r) => Math.min(min, r.arrivalSeconds), Number.POSITIVE_INFINITY),
        requests: ordered,
        isSingleton: g.isSingleton,
      },
    };
  });
  return result.sort((a, b) => a.group.startSeconds - b.group.startSeconds || a.first - b.first).map((x) => x.group);
}
