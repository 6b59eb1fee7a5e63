// Where a request's time to first token goes, real vs twin, request by request (round 7, issue 12). For the
// remote prefills both sides routed the same way (matched by request id), the records' own parts: the client's
// share (TTFT − the router's TTFT: HTTP and SSE), the queues the workers report, the prefill compute, the KV
// transfer (pool fetch + handoff ‖ pool put), and the rest of the router's TTFT (admission, the pool lookup,
// messages, and a frame waiting unread on a prefill worker whose thread is in a kernel). Then a counterfactual:
// each prefill worker as a FIFO in arrival order, serving each request for its compute + transfer; replayed
// with the real routing and service, and with one of the two taken from the twin, it tells which of them
// carries the difference.
import { percentile } from '@oicf/core';
import type { ReplayRequestRecord } from '@oicf/report';

export interface TtftParts {
  readonly ttft: number;
  readonly client: number;
  readonly queue: number;
  readonly prefill: number;
  readonly transfer: number;
  readonly rest: number;
}

export const PART_NAMES = ['ttft', 'client', 'queue', 'prefill', 'transfer', 'rest'] as const;

/** A record's parts; undefined for one that did not finish or carries no router timings. */
export function ttftParts(r: ReplayRequestRecord): TtftParts | undefined {
  const g = r.routing;
  if (r.status !== 'ok' || r.ttftSeconds === null || g === null || g.serverTtftSeconds === null) return undefined;
  const queue = g.queueSeconds ?? 0;
  const prefill = g.prefillSeconds ?? 0;
  const transfer = g.kvTransferSeconds ?? 0;
  return {
    ttft: r.ttftSeconds,
    client: r.ttftSeconds - g.serverTtftSeconds,
    queue,
    prefill,
    transfer,
    rest: g.serverTtftSeconds - queue - prefill - transfer,
  };
}

/** Requests routed to a remote prefill on both sides, with their parts: [real, twin] by request id. */
export function matchedRemote(
  real: readonly ReplayRequestRecord[],
  twin: readonly ReplayRequestRecord[],
): Map<string, [TtftParts, TtftParts]> {
  const byId = new Map(twin.map((r) => [r.requestId, r]));
  const out = new Map<string, [TtftParts, TtftParts]>();
  for (const r of real) {
    const t = byId.get(r.requestId);
    if (r.routing?.reason !== 'remote-prefill' || t?.routing?.reason !== 'remote-prefill') continue;
    const a = ttftParts(r);
    const b = ttftParts(t);
    if (a !== undefined && b !== undefined) out.set(r.requestId, [a, b]);
  }
  return out;
}

/** Mean and median of each part over the matched requests, real and twin. */
export function partStats(m: Map<string, [TtftParts, TtftParts]>) {
  const col = (side: 0 | 1, k: keyof TtftParts) => [...m.values()].map((p) => p[side][k]).sort((x, y) => x - y);
  const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((s, x) => s + x, 0) / xs.length);
  return PART_NAMES.map((k) => {
    const r = col(0, k);
    const t = col(1, k);
    return { part: k, realMean: mean(r), twinMean: mean(t), realP50: percentile(r, 0.5), twinP50: percentile(t, 0.5) };
  });
}

export interface FifoRequest {
  readonly id: string;
  /** When it reached the cluster (the client's send). */
  readonly arrivalSeconds: number;
  /** Its prefill worker, or undefined when it was not prefilled remotely. */
  readonly worker: string | undefined;
  /** How long it holds the worker (compute + transfer). */
  readonly serviceSeconds: number;
}

/**
 * Each worker a FIFO in arrival order (ties by id): a request starts at max(its arrival, the worker's previous
 * end) and holds it for its service. Its time to first token is its end − its arrival.
 */
export function fifoReplay(requests: readonly FifoRequest[]): Map<string, number> {
  const free = new Map<string, number>();
  const out = new Map<string, number>();
  const order = [...requests].sort((a, b) => a.arrivalSeconds - b.arrivalSeconds || (a.id < b.id ? -1 : 1));
  for (const q of order) {
    if (q.worker === undefined) continue;
    const start = Math.max(q.arrivalSeconds, free.get(q.worker) ?? 0);
    const end = start + q.serviceSeconds;
    free.set(q.worker, end);
    out.set(q.id, end - q.arrivalSeconds);
  }
  return out;
}
