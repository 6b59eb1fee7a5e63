// What the analytic screen needs to know about a workload, computed once from its requests: the arrival rate,
// the token mix in equal-count bins by prompt length, the context decode runs at, and a reuse curve (how many
// prompt tokens a prefix cache of a given size would serve).
import type { TraceRequest } from '@oicf/traces';

/** Requests of similar prompt length (equal-count bins, shortest first). */
export interface RequestBin {
  /** Fraction of all requests in the bin. */
  readonly share: number;
  readonly inputTokens: number;
  /** Mean prompt tokens an unlimited prefix cache would hold for it (an earlier request's prefix). */
  readonly reusableTokens: number;
  readonly outputTokens: number;
  /** Longest prompt + output in the bin (the KV one sequence must hold at its end). */
  readonly maxContextTokens: number;
}

/**
 * Prefix reuse as a function of cache size, a working-set bound: each reuse event (a request finding R tokens
 * of an earlier prompt, last used `age` seconds before) keeps R tokens resident for `age` seconds. Sorted by
 * age, a cache of C tokens serves the events whose cumulative residency R·age ÷ duration stays within C.
 */
export interface ReuseCurve {
  readonly totalReusableTokens: number;
  /** Cumulative mean resident tokens over events sorted by age (ascending). */
  readonly cumulativeHeldTokens: Float64Array;
  /** Cumulative reusable tokens over the same order. */
  readonly cumulativeReusableTokens: Float64Array;
}

export interface WorkloadProfile {
  readonly numRequests: number;
  readonly durationSeconds: number;
  readonly arrivalRatePerSecond: number;
  readonly meanInputTokens: number;
  readonly meanOutputTokens: number;
  /** Mean context of a decode step, weighted by output tokens: Σ O·(I + O/2) ÷ Σ O. */
  readonly decodeContextTokens: number;
  readonly maxContextTokens: number;
  readonly bins: readonly RequestBin[];
  readonly reuse: ReuseCurve;
}

export const NUM_BINS = 16;

export function profileWorkload(requests: readonly TraceRequest[]): WorkloadProfile {
  const n = requests.length;
  if (n === 0) throw new Error('profileWorkload: the workload has no requests');
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let sumIn = 0;
  let sumOut = 0;
  let weightedContext = 0;
  let maxContext = 0;
  for (const r of requests) {
    first = Math.min(first, r.arrivalSeconds);
    last = Math.max(last, r.arrivalSeconds);
    sumIn += r.inputTokens;
    const out = Math.max(1, r.outputTokens);
    sumOut += out;
    weightedContext += out * (r.inputTokens + out / 2);
    maxContext = Math.max(maxContext, r.inputTokens + out);
  }
  const durationSeconds = Math.max(1, last - first);
  const reusable = reusableTokens(requests);
  return {
    numRequests: n,
    durationSeconds,
    arrivalRatePerSecond: n / durationSeconds,
    meanInputTokens: sumIn / n,
    meanOutputTokens: sumOut / n,
    decodeContextTokens: weightedContext / sumOut,
    maxContextTokens: maxContext,
    bins: binsOf(requests, reusable.perRequest),
    reuse: curveOf(reusable.events, durationSeconds),
  };
}

interface ReuseEvent {
  readonly tokens: number;
  readonly ageSeconds: number;
}

/** Per request, the prompt tokens an earlier request already held (leading block ids seen before). */
function reusableTokens(requests: readonly TraceRequest[]): { perRequest: number[]; events: ReuseEvent[] } {
  const lastSeen = new Map<string | number, number>();
  const order = requests
    .map((_, i) => i)
    .sort((a, b) => (requests[a]?.arrivalSeconds ?? 0) - (requests[b]?.arrivalSeconds ?? 0));
  const perRequest = new Array<number>(requests.length).fill(0);
  const events: ReuseEvent[] = [];
  for (const i of order) {
    const r = requests[i] as TraceRequest;
    const ids = r.blockHashes;
    const bt = r.blockTokens;
    if (ids === undefined || bt === undefined) continue;
    let k = 0;
    while (k < ids.length && lastSeen.has(ids[k] as string | number)) k++;
    if (k > 0) {
      const tokens = Math.min(r.inputTokens, k * bt);
      perRequest[i] = tokens;
      const seen = lastSeen.get(ids[k - 1] as string | number) as number;
      events.push({ tokens, ageSeconds: Math.max(0, r.arrivalSeconds - seen) });
    }
    for (const id of ids) lastSeen.set(id, r.arrivalSeconds);
  }
  return { perRequest, events };
}

function curveOf(events: ReuseEvent[], durationSeconds: number): ReuseCurve {
  events.sort((a, b) => a.ageSeconds - b.ageSeconds);
  const held = new Float64Array(events.length);
  const served = new Float64Array(events.length);
  let h = 0;
  let s = 0;
  events.forEach((e, i) => {
    h += (e.tokens * e.ageSeconds) / durationSeconds;
    s += e.tokens;
    held[i] = h;
    served[i] = s;
  });
  return { totalReusableTokens: s, cumulativeHeldTokens: held, cumulativeReusableTokens: served };
}

/** Share of reusable prompt tokens a prefix cache of `capacityTokens` serves (0 when nothing is reusable). */
export function hitFraction(curve: ReuseCurve, capacityTokens: number): number {
  const held = curve.cumulativeHeldTokens;
  if (curve.totalReusableTokens <= 0 || held.length === 0) return 0;
  // Largest k with held[k] ≤ capacity (binary search).
  let lo = -1;
  let hi = held.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((held[mid] as number) <= capacityTokens) lo = mid;
    else hi = mid - 1;
  }
  return lo < 0 ? 0 : (curve.cumulativeReusableTokens[lo] as number) / curve.totalReusableTokens;
}

function binsOf(requests: readonly TraceRequest[], reusable: readonly number[]): RequestBin[] {
  const n = requests.length;
  const order = requests
    .map((_, i) => i)
    .sort((a, b) => (requests[a]?.inputTokens ?? 0) - (requests[b]?.inputTokens ?? 0));
  const numBins = Math.min(NUM_BINS, n);
  const bins: RequestBin[] = [];
  for (let b = 0; b < numBins; b++) {
    const from = Math.floor((b * n) / numBins);
    const to = Math.floor(((b + 1) * n) / numBins);
    let sumIn = 0;
    let sumReuse = 0;
    let sumOut = 0;
    let maxContext = 0;
    for (let k = from; k < to; k++) {
      const i = order[k] as number;
      const r = requests[i] as TraceRequest;
      const out = Math.max(1, r.outputTokens);
      sumIn += r.inputTokens;
      sumReuse += reusable[i] as number;
      sumOut += out;
      maxContext = Math.max(maxContext, r.inputTokens + out);
    }
    const m = to - from;
    bins.push({
      share: m / n,
      inputTokens: sumIn / m,
      reusableTokens: sumReuse / m,
      outputTokens: sumOut / m,
      maxContextTokens: maxContext,
    });
  }
  return bins;
}
