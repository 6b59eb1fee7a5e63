// Splits routed requests into legs by the router's socket events (tail-correlate.ts; round 8, issue 11).
// Times are ms on one clock. A request sent at s and answered after L ms is matched, in send order, to:
//   arrival  — the first not yet claimed read on an HTTP connection at or after s,
//   dispatch — the first request-plane write at or after the arrival,
//   frame    — the first request-plane read at or after the dispatch,
//   reply    — the first write on the arrival's connection at or after the frame,
// giving the legs send→arrival, arrival→dispatch, dispatch→frame, frame→reply, reply→done (s + L). Exact
// when requests do not overlap in the router; when they do, dispatch and frame may be the request ahead's.

/** A read on one of the router's HTTP connections: [time, connection id]. */
export type HttpRead = readonly [number, number];

export interface LegInput {
  readonly sentAtMs: readonly number[];
  /** NaN for a failed request (left out). */
  readonly latencyMs: readonly number[];
  /** Ascending by time. */
  readonly httpReads: readonly HttpRead[];
  /** Ascending. */
  readonly planeWriteMs: readonly number[];
  /** Ascending. */
  readonly planeReadMs: readonly number[];
  /** Connection id → its write times, ascending. */
  readonly httpWritesMs: ReadonlyMap<number, readonly number[]>;
}

export interface RequestLegs {
  /** Index of the request in the send order. */
  readonly i: number;
  readonly sentMs: number;
  readonly latencyMs: number;
  /** send→arrival, arrival→dispatch, dispatch→frame, frame→reply, reply→done (ms). */
  readonly legs: readonly [number, number, number, number, number];
}

/** The first of the ascending times `l` at or after t (undefined when none). */
export function firstAt(l: readonly number[], t: number): number | undefined {
  let lo = 0;
  let hi = l.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((l[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return l[lo];
}

/** Every request that could be matched to all four events, in send order. */
export function splitLegs(x: LegInput): RequestLegs[] {
  const out: RequestLegs[] = [];
  let next = 0; // the first unclaimed HTTP read
  for (let i = 0; i < x.sentAtMs.length; i++) {
    const s = x.sentAtMs[i] as number;
    const latency = x.latencyMs[i] as number;
    while (next < x.httpReads.length && (x.httpReads[next] as HttpRead)[0] < s) next++;
    const a = x.httpReads[next];
    if (a === undefined) break;
    next++;
    if (Number.isNaN(latency)) continue;
    const d = firstAt(x.planeWriteMs, a[0]);
    const f = d === undefined ? undefined : firstAt(x.planeReadMs, d);
    const r = f === undefined ? undefined : firstAt(x.httpWritesMs.get(a[1]) ?? [], f);
    if (d === undefined || f === undefined || r === undefined) continue;
    out.push({ i, sentMs: s, latencyMs: latency, legs: [a[0] - s, d - a[0], f - d, r - f, s + latency - r] });
  }
  return out;
}
