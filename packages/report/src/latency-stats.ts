import { percentile, sortedFinite } from '@oicf/core';

/**
 * Summary of a latency sample: count, mean, p50/p90/p99 and max. Percentiles are `@oicf/core`'s
 * `percentile` (nearest rank: the q-level is `sorted[⌈q · n⌉ − 1]`, as everywhere in this project).
 * Null for no samples.
 */
export interface LatencyStats {
  readonly count: number;
  readonly meanSeconds: number;
  readonly p50Seconds: number;
  readonly p90Seconds: number;
  readonly p99Seconds: number;
  readonly maxSeconds: number;
}

export function latencyStats(samples: readonly number[]): LatencyStats | null {
  const sorted = sortedFinite(samples);
  if (sorted.length === 0) return null;
  let total = 0;
  for (const v of sorted) total += v;
  return {
    count: sorted.length,
    meanSeconds: total / sorted.length,
    p50Seconds: percentile(sorted, 0.5),
    p90Seconds: percentile(sorted, 0.9),
    p99Seconds: percentile(sorted, 0.99),
    maxSeconds: sorted[sorted.length - 1] as number,
  };
}
