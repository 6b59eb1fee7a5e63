import { COLUMNS, type Column, featureVector } from './feature-vector.js';
import { nnls } from './nnls.js';
import type { StepFeatures } from './step-features.js';

/** The costs and the cache capacity a step is priced with (a fit, or a file's fit). */
export interface StepPrices {
  readonly costs: StepCosts;
  /** Bytes of resident set a step keeps in cache (spillBytes); null: no cache term. */
  readonly cacheBytes: number | null;
  /** Bytes of KV a step reads from cache (kvSpillBytes); null or absent (file versions 1–2): none. */
  readonly kvCacheBytes?: number | null;
}

/**
 * Cache capacities fitStepTime tries: 4 MiB to 1 GiB in quarter octaves (4 MiB · 2^(i/4)), so
 * the chosen one is within 19 % of the best; only those below some sample's resident set matter.
 */
export const CACHE_BYTES_CANDIDATES: readonly number[] = Array.from(
  { length: 33 },
  (_, i) => 4 * 2 ** 20 * 2 ** (i / 4),
);

/**
 * KV capacities fitStepTime tries: 4 MiB to 1 GiB in octaves (4 MiB · 2^i), so the chosen one is
 * within a factor √2 of the best; only those below some sample's KV read matter. Octaves, not the
 * resident set's quarter octaves: the two are searched together (34 × 10 NNLS fits per fit).
 */
export const KV_CACHE_BYTES_CANDIDATES: readonly number[] = Array.from({ length: 9 }, (_, i) => 4 * 2 ** 20 * 2 ** i);

/** The capacities a fit searches (defaults: the two candidate lists above). */
export interface CacheSearch {
  readonly cacheBytes?: readonly number[];
  readonly kvCacheBytes?: readonly number[];
}

/** One measured step: its counted features and its measured seconds. */
export interface FitSample {
  readonly features: StepFeatures;
  readonly seconds: number;
}

/** Fitted cost of one unit of each column (seconds per call, per node, per FLOP, per byte). */
export type StepCosts = Readonly<Record<Column, number>>;

export interface StepTimeFit extends StepPrices {
  readonly costs: StepCosts;
  /** Columns some sample exercised; a column no sample touched has no cost (pricing a step that
   * needs it is an error, see calibrated-model.ts). */
  readonly fittedColumns: readonly Column[];
  readonly numSamples: number;
  /** In-sample: root mean square and largest |predicted − measured| ÷ measured. */
  readonly rmsRelativeError: number;
  readonly maxRelativeError: number;
}

/**
 * Fits seconds ≈ Σ_c cost_c · feature_c with every cost ≥ 0, minimizing the squared *relative*
 * error Σ_i ((pred_i − t_i) / t_i)² — the goal is a bound on relative error at every point, and
 * steps span 0.5 ms to 1 s, so an absolute fit would ignore the short ones. Rows are divided by
 * t_i, columns scaled to unit norm (costs span 1e-3 s per call to 1e-12 s per FLOP), then NNLS.
 * The cache capacities (spillBytes, kvSpillBytes) are not linear in the costs: each pair of
 * candidates (and none) is fitted by NNLS and the pair with the least squared relative error kept.
 */
export function fitStepTime(samples: readonly FitSample[], search: CacheSearch = {}): StepTimeFit {
  const cacheBytesCandidates = search.cacheBytes ?? CACHE_BYTES_CANDIDATES;
  const kvCandidates = search.kvCacheBytes ?? KV_CACHE_BYTES_CANDIDATES;
  if (samples.length === 0) throw new RangeError('fitStepTime: no samples');
  for (const [i, s] of samples.entries()) {
    if (!(s.seconds > 0) || !Number.isFinite(s.seconds))
      throw new RangeError(`fitStepTime: sample ${i} has seconds ${s.seconds}; need a positive time`);
  }
  const largest = Math.max(...samples.map((s) => s.features.residentBytes));
  const largestKv = Math.max(...samples.map((s) => s.features.kvReadBytes + s.features.kvStreamBytes));
  let best: (Required<StepPrices> & { fittedColumns: Column[]; sse: number }) | undefined;
  for (const cacheBytes of [null, ...cacheBytesCandidates.filter((c) => c < largest)]) {
    for (const kvCacheBytes of [null, ...kvCandidates.filter((c) => c < largestKv)]) {
      const f = fitAtCache(samples, cacheBytes, kvCacheBytes);
      // A capacity is kept only when it lowers the error by more than rounding (an rms relative
      // error of 1e-6): the search starts with none, so on data a term cannot improve (it only
      // re-splits the same costs, e.g. a knee below every sample's KV) the simpler fit stays.
      if (best === undefined || f.sse < best.sse - 1e-12 * samples.length) best = f;
    }
  }
  if (best === undefined) throw new Error('unreachable: no fit');
  const { costs, cacheBytes, kvCacheBytes, fittedColumns } = best;
  const errors = samples.map((s) =>
    relativeError(predictSeconds({ costs, cacheBytes, kvCacheBytes }, s.features), s.seconds),
  );
  return {
    costs,
    cacheBytes: fittedColumns.includes('spillBytes') && costs.spillBytes > 0 ? cacheBytes : null,
    kvCacheBytes: fittedColumns.includes('kvSpillBytes') && costs.kvSpillBytes > 0 ? kvCacheBytes : null,
    fittedColumns,
    numSamples: samples.length,
    rmsRelativeError: Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / errors.length),
    maxRelativeError: Math.max(...errors.map(Math.abs)),
  };
}

/** The NNLS fit at one pair of cache capacities, with its Σ squared relative error. */
function fitAtCache(
  samples: readonly FitSample[],
  cacheBytes: number | null,
  kvCacheBytes: number | null,
): Required<StepPrices> & { fittedColumns: Column[]; sse: number } {
  const rows = samples.map((s) => featureVector(s.features, cacheBytes, kvCacheBytes).map((x) => x / s.seconds));
  const { x, used, sse } = relativeNnls(rows, COLUMNS.length);
  const costs = Object.fromEntries(COLUMNS.map((c, j) => [c, x[j] ?? 0])) as Record<Column, number>;
  return { costs, cacheBytes, kvCacheBytes, fittedColumns: COLUMNS.filter((_, j) => used[j]), sse };
}

/**
 * NNLS of rows already divided by each sample's measured seconds against 1 (relative error):
 * columns no row touches are left out (cost 0, used false), the others scaled to unit norm
 * before NNLS and the costs scaled back. Returns the costs per column, which columns were used,
 * and Σ squared relative error.
 */
export function relativeNnls(
  rows: readonly (readonly number[])[],
  numColumns: number,
): { x: number[]; used: boolean[]; sse: number } {
  const used = Array.from({ length: numColumns }, (_, j) => rows.some((r) => (r[j] ?? 0) !== 0));
  const cols = used.flatMap((u, j) => (u ? [j] : []));
  const scale = cols.map((j) => Math.sqrt(rows.reduce((a, r) => a + (r[j] ?? 0) ** 2, 0)));
  const A = rows.map((r) => cols.map((j, k) => (r[j] ?? 0) / (scale[k] ?? 1)));
  const y = nnls(
    A,
    rows.map(() => 1),
  );
  const x = new Array<number>(numColumns).fill(0);
  cols.forEach((j, k) => {
    x[j] = (y[k] ?? 0) / (scale[k] ?? 1);
  });
  const sse = A.reduce((a, r) => a + (r.reduce((p, v, k) => p + v * (y[k] ?? 0), 0) - 1) ** 2, 0);
  return { x, used, sse };
}

/** Σ_c cost_c · feature_c (spillBytes and kvSpillBytes at the prices' capacities). */
export function predictSeconds(prices: StepPrices, features: StepFeatures): number {
  const v = featureVector(features, prices.cacheBytes, prices.kvCacheBytes ?? null);
  return COLUMNS.reduce((a, c, j) => a + prices.costs[c] * (v[j] ?? 0), 0);
}

/** (predicted − measured) ÷ measured. */
export function relativeError(predicted: number, measured: number): number {
  return (predicted - measured) / measured;
}

/**
 * Leave-one-out cross-validation: for each sample, the prediction of a fit to all the others
 * (cache capacities chosen again among the candidates), so no sample is priced by costs it helped fit.
 */
export function leaveOneOut(samples: readonly FitSample[], search: CacheSearch = {}): number[] {
  return samples.map((s, i) =>
    predictSeconds(
      fitStepTime(
        samples.filter((_, k) => k !== i),
        search,
      ),
      s.features,
    ),
  );
}
