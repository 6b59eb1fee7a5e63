// The open loop's schedule and how well the client kept it (round 11, issue 11): pure functions of times in
// ms on one clock, used by open-loop.ts and tested in send-schedule.test.ts.
//
// Send k of an n-path loop (k = 0, 1, 2, …; path k mod n, its request ⌊k/n⌋) is due at
//   start + ⌊k/n⌋·period + (k mod n)·period/n
// so each path sends every `period` ms and the paths are spread evenly inside a period. A send's lag is
// (when it went out) − (when it was due). A request's latency is measured from its DUE time, not from when
// it went out: a client that falls behind adds its lag to the requests it delayed instead of hiding it (no
// coordinated omission), and both paths pay the same client. A send is "late" when its lag exceeds one
// period (the bench's criterion since round 7: a window is judged only with ≤ 1 % of its sends late).

/** When send k is due (ms). */
export function dueMs(startMs: number, periodMs: number, numPaths: number, k: number): number {
  return startMs + Math.floor(k / numPaths) * periodMs + ((k % numPaths) * periodMs) / numPaths;
}

/** How far behind its schedule the client sent, over one window's sends. */
export interface LagSummary {
  readonly sends: number;
  /** Sends more than one period after their due time. */
  readonly late: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Runs of consecutive late sends (one stall of the client makes one run). */
  readonly stalls: number;
  /** The largest lag of a run's first send (ms): the first send of a run waited longest, so this is how long
   *  the worst stall held the client. */
  readonly longestStallMs: number;
}

/** Nearest-rank percentile of an ascending list (q in [0, 1]). */
function rank(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** Summarises the lags (ms, in send order) of one window's sends against `periodMs`. */
export function summariseLags(lagsMs: ArrayLike<number>, periodMs: number): LagSummary {
  let late = 0;
  let stalls = 0;
  let longest = 0;
  let inStall = false;
  for (let k = 0; k < lagsMs.length; k++) {
    const lag = lagsMs[k] as number;
    if (lag > periodMs) {
      late++;
      if (!inStall) {
        stalls++;
        longest = Math.max(longest, lag);
      }
      inStall = true;
    } else inStall = false;
  }
  const sorted = Float64Array.from(lagsMs).sort();
  return {
    sends: lagsMs.length,
    late,
    p50Ms: rank(sorted, 0.5),
    p99Ms: rank(sorted, 0.99),
    maxMs: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number),
    stalls,
    longestStallMs: longest,
  };
}

/** A pause of the client's own thread: [start ms, duration ms]. */
export type Pause = readonly [number, number];

/**
 * How many of the late sends were due while, or went out right after, one of the client's own pauses (its
 * GC): a late send k is charged to a pause when the pause overlaps [due_k, sent_k]. The rest were late for
 * another reason (the client's threads waiting for a CPU, or busy with replies).
 */
export function lateDuringPauses(
  dueOf: (k: number) => number,
  lagsMs: ArrayLike<number>,
  periodMs: number,
  pauses: readonly Pause[],
): number {
  let n = 0;
  for (let k = 0; k < lagsMs.length; k++) {
    const lag = lagsMs[k] as number;
    if (!(lag > periodMs)) continue;
    const due = dueOf(k);
    if (pauses.some(([t, ms]) => t < due + lag && t + ms > due)) n++;
  }
  return n;
}
