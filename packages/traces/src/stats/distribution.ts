import { percentile } from '@oicf/core';

/** Summary of a sample. Percentiles are `@oicf/core`'s `percentile` (nearest rank: sorted[⌈q·n⌉ − 1]). */
export interface Distribution {
  readonly count: number;
  readonly mean: number;
  readonly min: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** Undefined for an empty sample. Does not modify `values`. */
export function summarize(values: readonly number[]): Distribution | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: n,
    mean: sum / n,
    min: sorted[0] as number,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted[n - 1] as number,
  };
}

/**
 * Coefficient of variation (population standard deviation ÷ mean) of the gaps between consecutive
 * sorted arrival times: 1 for a Poisson process, > 1 for bursty arrivals, 0 for a fixed rate.
 * Undefined with fewer than two arrivals or when all gaps are zero.
 */
export function interArrivalCv(arrivalSeconds: readonly number[]): number | undefined {
  if (arrivalSeconds.length < 2) return undefined;
  const sorted = Float64Array.from(arrivalSeconds).sort();
  const numGaps = sorted.length - 1;
  let sum = 0;
  for (let i = 1; i < sorted.length; i++) sum += (sorted[i] as number) - (sorted[i - 1] as number);
  const mean = sum / numGaps;
  if (mean === 0) return undefined;
  let squares = 0;
  for (let i = 1; i < sorted.length; i++) {
    const d = (sorted[i] as number) - (sorted[i - 1] as number) - mean;
    squares += d * d;
  }
  return Math.sqrt(squares / numGaps) / mean;
}
