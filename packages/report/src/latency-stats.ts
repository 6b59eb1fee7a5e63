import { percentile } from '@oicf/plot';

/**
 * Summary of a latency sample: count, mean, nearest-rank p50/p90/p99 (the p-th percentile is
 * `sorted[ceil(p/100 · n) − 1]`, as everywhere in this project) and max. Null for no samples.
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
  const sorted = samples.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  let total = 0;
  for (const v of sorted) total += v;
  return {
    count: sorted.length,
    meanSeconds: total / sorted.length,
    p50Seconds: percentile(sorted, 50),
    p90Seconds: percentile(sorted, 90),
    p99Seconds: percentile(sorted, 99),
    maxSeconds: sorted[sorted.length - 1] as number,
  };
}
