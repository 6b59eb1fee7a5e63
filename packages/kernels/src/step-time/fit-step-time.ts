import { COLUMNS, type Column, featureVector } from './feature-vector.js';
import { nnls } from './nnls.js';
import type { StepFeatures } from './step-features.js';

/** One measured step: its counted features and its measured seconds. */
export interface FitSample {
  readonly features: StepFeatures;
  readonly seconds: number;
}

/** Fitted cost of one unit of each column (seconds per call, per node, per FLOP, per byte). */
export type StepCosts = Readonly<Record<Column, number>>;

export interface StepTimeFit {
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
 */
export function fitStepTime(samples: readonly FitSample[]): StepTimeFit {
  if (samples.length === 0) throw new RangeError('fitStepTime: no samples');
  for (const [i, s] of samples.entries()) {
    if (!(s.seconds > 0) || !Number.isFinite(s.seconds))
      throw new RangeError(`fitStepTime: sample ${i} has seconds ${s.seconds}; need a positive time`);
  }
  const rows = samples.map((s) => featureVector(s.features).map((x) => x / s.seconds));
  const used = COLUMNS.map((_, j) => rows.some((r) => (r[j] ?? 0) !== 0));
  const cols = COLUMNS.flatMap((_, j) => (used[j] ? [j] : []));
  const scale = cols.map((j) => Math.sqrt(rows.reduce((a, r) => a + (r[j] ?? 0) ** 2, 0)));
  const A = rows.map((r) => cols.map((j, k) => (r[j] ?? 0) / (scale[k] ?? 1)));
  const y = nnls(
    A,
    samples.map(() => 1),
  );
  const costs = Object.fromEntries(COLUMNS.map((c) => [c, 0])) as Record<Column, number>;
  cols.forEach((j, k) => {
    const c = COLUMNS[j];
    if (c !== undefined) costs[c] = (y[k] ?? 0) / (scale[k] ?? 1);
  });
  const errors = samples.map((s) => relativeError(predictSeconds(costs, s.features), s.seconds));
  return {
    costs,
    fittedColumns: cols.flatMap((j) => COLUMNS[j] ?? []),
    numSamples: samples.length,
    rmsRelativeError: Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / errors.length),
    maxRelativeError: Math.max(...errors.map(Math.abs)),
  };
}

/** Σ_c cost_c · feature_c. */
export function predictSeconds(costs: StepCosts, features: StepFeatures): number {
  const v = featureVector(features);
  return COLUMNS.reduce((a, c, j) => a + costs[c] * (v[j] ?? 0), 0);
}

/** (predicted − measured) ÷ measured. */
export function relativeError(predicted: number, measured: number): number {
  return (predicted - measured) / measured;
}

/**
 * Leave-one-out cross-validation: for each sample, the prediction of a fit to all the others, so
 * no sample is priced by costs it helped fit.
 */
export function leaveOneOut(samples: readonly FitSample[]): number[] {
  return samples.map((s, i) => predictSeconds(fitStepTime(samples.filter((_, k) => k !== i)).costs, s.features));
}
