import { COLUMNS, type Column, featureVector } from './feature-vector.js';
import {
  CACHE_BYTES_CANDIDATES,
  type CacheSearch,
  type FitSample,
  KV_CACHE_BYTES_CANDIDATES,
  predictSeconds,
  relativeError,
  relativeNnls,
  type StepCosts,
  type StepPrices,
} from './fit-step-time.js';

/**
 * The host's cache state a step ran in (round 6, issue 12.3): on this VM a 16–128 MiB working set
 * stays in the last-level cache shared with other tenants (cached) or not (uncached), for tens
 * of seconds to minutes; the read probe tells which (roofline/cache-state.ts).
 */
export type CacheState = 'cached' | 'uncached';
export const CACHE_STATES: readonly CacheState[] = ['cached', 'uncached'];

/**
 * The columns priced per state: the bytes of the resident set every step reads again (weights,
 * KV) and the two cache terms (spill beyond the resident set's capacity, KV beyond the KV
 * capacity), whose capacities are fitted per state too. Chosen before any per-state fit was
 * made, from the mechanism: the state is whether that set stays in the last-level cache.
 * Launch, call and input costs, GEMM and attention rates, activation and dequantization traffic
 * (small, or written once per step) are one figure for both states.
 */
export const STATE_COLUMNS: readonly Column[] = [
  'weightBytes.fp32',
  'weightBytes.fp16',
  'weightBytes.int8',
  'kvReadBytes',
  'kvStreamBytes',
  'spillBytes',
  'kvSpillBytes',
];

export interface StateSample extends FitSample {
  readonly state: CacheState;
}

/** A fit whose STATE_COLUMNS (and cache capacities) have one cost per state. */
export interface StateFit {
  /** The full prices a step in each state is priced with (shared costs + that state's own). */
  readonly byState: Readonly<Record<CacheState, StepPrices & { readonly fittedColumns: readonly Column[] }>>;
  readonly stateColumns: readonly Column[];
  readonly numSamples: Readonly<Record<CacheState, number>>;
  /** In-sample, over both states' samples. */
  readonly rmsRelativeError: number;
  readonly maxRelativeError: number;
}

type Capacities = { readonly cacheBytes: number | null; readonly kvCacheBytes: number | null };

const STATE_INDEX = STATE_COLUMNS.map((c) => COLUMNS.indexOf(c as (typeof COLUMNS)[number]));

/**
 * One row per sample: COLUMNS (STATE_COLUMNS holding the uncached state's values, 0 for a cached
 * sample) followed by STATE_COLUMNS again (the cached state's values, 0 for an uncached sample),
 * each sample's features at its own state's capacities, divided by its measured seconds.
 */
function stateRows(samples: readonly StateSample[], caps: Record<CacheState, Capacities>): number[][] {
  return samples.map((s) => {
    const c = caps[s.state];
    const v = featureVector(s.features, c.cacheBytes, c.kvCacheBytes);
    const extra = STATE_INDEX.map((j) => (s.state === 'cached' ? (v[j] ?? 0) : 0));
    if (s.state === 'cached') for (const j of STATE_INDEX) v[j] = 0;
    return [...v, ...extra].map((x) => x / s.seconds);
  });
}

function fitAt(samples: readonly StateSample[], caps: Record<CacheState, Capacities>) {
  const { x, used, sse } = relativeNnls(stateRows(samples, caps), COLUMNS.length + STATE_COLUMNS.length);
  const prices = (state: CacheState) => {
    const costs = Object.fromEntries(COLUMNS.map((c, j) => [c, x[j] ?? 0])) as Record<Column, number>;
    const fitted = new Set(COLUMNS.filter((_, j) => used[j] && !STATE_INDEX.includes(j)));
    const inState = samples.filter((s) => s.state === state);
    STATE_COLUMNS.forEach((c, k) => {
      const j = STATE_INDEX[k] ?? -1;
      const col = state === 'cached' ? COLUMNS.length + k : j;
      costs[c] = x[col] ?? 0;
      if (
        inState.some((s) => (featureVector(s.features, caps[state].cacheBytes, caps[state].kvCacheBytes)[j] ?? 0) !== 0)
      )
        fitted.add(c);
    });
    return { costs: costs as StepCosts, fitted: COLUMNS.filter((c) => fitted.has(c)) };
  };
  return { sse, prices };
}

/**
 * Fits seconds ≈ Σ cost · feature with the STATE_COLUMNS' costs and the two cache capacities per
 * state and every other cost shared, by NNLS on relative error as fitStepTime. Capacities by
 * coordinate search over fitStepTime's candidates: both states start with none; the cached
 * state's pair is searched with the uncached state's fixed, then the uncached state's with the
 * cached state's fixed (2 × up to 34 × 10 NNLS fits); a pair is kept only when it lowers the error
 * beyond rounding, as in fitStepTime. Needs samples in both states.
 */
export function fitStepTimeByState(samples: readonly StateSample[], search: CacheSearch = {}): StateFit {
  const count = (state: CacheState) => samples.filter((s) => s.state === state).length;
  for (const state of CACHE_STATES)
    if (count(state) === 0) throw new RangeError(`fitStepTimeByState: no ${state} samples`);
  for (const [i, s] of samples.entries())
    if (!(s.seconds > 0) || !Number.isFinite(s.seconds))
      throw new RangeError(`fitStepTimeByState: sample ${i} has seconds ${s.seconds}; need a positive time`);
  const caps: Record<CacheState, Capacities> = {
    cached: { cacheBytes: null, kvCacheBytes: null },
    uncached: { cacheBytes: null, kvCacheBytes: null },
  };
  let best = fitAt(samples, caps);
  for (const state of CACHE_STATES) {
    const mine = samples.filter((s) => s.state === state);
    const largest = Math.max(...mine.map((s) => s.features.residentBytes));
    const largestKv = Math.max(...mine.map((s) => s.features.kvReadBytes + s.features.kvStreamBytes));
    const start = caps[state];
    for (const cacheBytes of [null, ...(search.cacheBytes ?? CACHE_BYTES_CANDIDATES).filter((c) => c < largest)])
      for (const kvCacheBytes of [
        null,
        ...(search.kvCacheBytes ?? KV_CACHE_BYTES_CANDIDATES).filter((c) => c < largestKv),
      ]) {
        if (cacheBytes === start.cacheBytes && kvCacheBytes === start.kvCacheBytes) continue;
        const trial = { ...caps, [state]: { cacheBytes, kvCacheBytes } };
        const f = fitAt(samples, trial);
        if (f.sse < best.sse - 1e-12 * samples.length) {
          best = f;
          caps[state] = { cacheBytes, kvCacheBytes };
        }
      }
  }
  const byState = Object.fromEntries(
    CACHE_STATES.map((state) => {
      const { costs, fitted } = best.prices(state);
      const c = caps[state];
      return [
        state,
        {
          costs,
          cacheBytes: fitted.includes('spillBytes') && costs.spillBytes > 0 ? c.cacheBytes : null,
          kvCacheBytes: fitted.includes('kvSpillBytes') && costs.kvSpillBytes > 0 ? c.kvCacheBytes : null,
          fittedColumns: fitted,
        },
      ];
    }),
  ) as unknown as StateFit['byState'];
  const errors = samples.map((s) => relativeError(predictSeconds(byState[s.state], s.features), s.seconds));
  return {
    byState,
    stateColumns: STATE_COLUMNS,
    numSamples: { cached: count('cached'), uncached: count('uncached') },
    rmsRelativeError: Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / errors.length),
    maxRelativeError: Math.max(...errors.map(Math.abs)),
  };
}

/**
 * Leave-one-out per state: for each sample, a fit to all the others (capacities searched again),
 * its prices in both states at the sample's features; the sample's own state is its out-of-sample
 * prediction, the other state what a model of the wrong state would have said.
 */
export function leaveOneOutByState(
  samples: readonly StateSample[],
  search: CacheSearch = {},
): Record<CacheState, number>[] {
  return samples.map((s, i) => {
    const fit = fitStepTimeByState(
      samples.filter((_, k) => k !== i),
      search,
    );
    return {
      cached: predictSeconds(fit.byState.cached, s.features),
      uncached: predictSeconds(fit.byState.uncached, s.features),
    };
  });
}
