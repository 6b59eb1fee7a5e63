import { describe, expect, it } from 'vitest';
import { latencyStats } from './latency-stats.js';

describe('latencyStats', () => {
  it('nearest-rank percentiles by hand', () => {
    // 1..10 (shuffled): mean 5.5; p50 = sorted[ceil(5) − 1] = 5; p90 = sorted[ceil(9) − 1] = 9;
    // p99 = sorted[ceil(9.9) − 1] = sorted[9] = 10.
    expect(latencyStats([3, 1, 10, 2, 9, 4, 8, 5, 7, 6])).toEqual({
      count: 10,
      meanSeconds: 5.5,
      p50Seconds: 5,
      p90Seconds: 9,
      p99Seconds: 10,
      maxSeconds: 10,
    });
  });

  it('one sample is every percentile; non-finite samples are dropped; none gives null', () => {
    expect(latencyStats([0.25, Number.NaN])).toEqual({
      count: 1,
      meanSeconds: 0.25,
      p50Seconds: 0.25,
      p90Seconds: 0.25,
      p99Seconds: 0.25,
      maxSeconds: 0.25,
    });
    expect(latencyStats([])).toBeNull();
  });

  it('p99 of 200 samples is the 198th value', () => {
    // ceil(0.99 · 200) = 198 → sorted[197] = 198 for samples 1..200.
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i);
    expect(latencyStats(samples)?.p99Seconds).toBe(198);
    expect(latencyStats(samples)?.p90Seconds).toBe(180);
  });
});
