import { TraceError } from '../trace-error.js';
import type { TraceRequest } from '../types.js';

/** A slice of a trace by arrival time and/or count. Both ends optional; times in trace seconds. */
export interface TraceWindow {
  /** Inclusive lower bound on arrivalSeconds. Default 0. */
  readonly startSeconds?: number;
  /** Exclusive upper bound. Default: no bound. */
  readonly endSeconds?: number;
  /** Keep at most this many (the earliest). */
  readonly maxRequests?: number;
  /** Shift arrivals so the window starts at 0 (start = startSeconds). Default false. */
  readonly rebase?: boolean;
}

/**
 * Requests with startSeconds ≤ arrival < endSeconds, in arrival order (stable for ties), at most
 * maxRequests. A window may cut a session: the kept turns keep their turnIndex and gap, so a
 * closed-loop replay starts that session at its first kept turn. Throws TraceError
 * ('invalid-argument') for negative bounds, end ≤ start or a bad maxRequests.
 */
export function windowRequests(requests: readonly TraceRequest[], window: TraceWindow): TraceRequest[] {
  const start = window.startSeconds ?? 0;
  const end = window.endSeconds ?? Number.POSITIVE_INFINITY;
  const max = window.maxRequests ?? Number.POSITIVE_INFINITY;
  if (!(start >= 0) || !(end > start)) {
    throw new TraceError('invalid-argument', `window must satisfy 0 ≤ start < end, got ${start}:${end}`);
  }
  if (!(max === Number.POSITIVE_INFINITY || (Number.isInteger(max) && max >= 1))) {
    throw new TraceError('invalid-argument', `maxRequests must be an integer ≥ 1, got ${max}`);
  }
  const kept = sortByArrival(requests).filter((r) => r.arrivalSeconds >= start && r.arrivalSeconds < end);
  const limited = kept.length > max ? kept.slice(0, max) : kept;
  if (!window.rebase || start === 0) return limited;
  return limited.map((r) => ({ ...r, arrivalSeconds: r.arrivalSeconds - start }));
}

/** A copy sorted by arrivalSeconds; ties keep their input order. */
export function sortByArrival(requests: readonly TraceRequest[]): TraceRequest[] {
  return requests
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.arrivalSeconds - b.r.arrivalSeconds || a.i - b.i)
    .map((x) => x.r);
}

/**
 * Parses the CLI form `start:end` (seconds; either side may be empty: `:600`, `60:`).
 * Returns the window or a message naming what was wrong.
 */
export function parseWindow(text: string): { ok: true; window: TraceWindow } | { ok: false; error: string } {
  const m = /^\s*([^:]*):([^:]*)\s*$/.exec(text);
  if (!m) return { ok: false, error: `window must look like start:end in seconds (e.g. 60:600), got '${text}'` };
  const parts = [m[1]?.trim() ?? '', m[2]?.trim() ?? ''];
  const values: (number | undefined)[] = [];
  for (const [i, part] of parts.entries()) {
    if (part === '') {
      values.push(undefined);
      continue;
    }
    const value = Number(part);
    if (!Number.isFinite(value) || value < 0) {
      return { ok: false, error: `window ${i === 0 ? 'start' : 'end'} must be a number ≥ 0, got '${part}'` };
    }
    values.push(value);
  }
  const [startSeconds, endSeconds] = values;
  if (startSeconds !== undefined && endSeconds !== undefined && endSeconds <= startSeconds) {
    return { ok: false, error: `window end (${endSeconds}) must be after its start (${startSeconds})` };
  }
  return {
    ok: true,
    window: {
      ...(startSeconds !== undefined ? { startSeconds } : {}),
      ...(endSeconds !== undefined ? { endSeconds } : {}),
    },
  };
}
