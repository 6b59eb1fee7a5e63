import { describe, expect, it } from 'vitest';
import { interArrivalCv, summarize } from './distribution.js';

describe('summarize', () => {
  it('uses nearest-rank percentiles', () => {
    // 1..100: p50 = 50th value, p90 = 90th, p99 = 99th; mean = 5050 / 100.
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarize(values)).toEqual({ count: 100, mean: 50.5, min: 1, p50: 50, p90: 90, p99: 99, max: 100 });
  });

  it('handles small samples', () => {
    // Sorted [512, 600, 1000, 1100, 1536, 2048]: p50 rank ceil(3) = 3 → 1000; p90 rank ceil(5.4) = 6 → 2048.
    expect(summarize([1000, 1100, 1536, 512, 2048, 600])).toEqual({
      count: 6,
      mean: 6796 / 6,
      min: 512,
      p50: 1000,
      p90: 2048,
      p99: 2048,
      max: 2048,
    });
    expect(summarize([7])).toEqual({ count: 1, mean: 7, min: 7, p50: 7, p90: 7, p99: 7, max: 7 });
    expect(summarize([])).toBeUndefined();
  });

  it('a tiny sample keeps the nearest-rank rule: p50 of 2 values is the lower one', () => {
    // ⌈0.5 · 2⌉ = 1st → 3; ⌈0.9 · 2⌉ = 2nd → 5.
    expect(summarize([5, 3])).toMatchObject({ p50: 3, p90: 5, p99: 5 });
  });
});

describe('interArrivalCv', () => {
  const cases: [string, number[], number | undefined][] = [
    ['a fixed rate', [0, 1, 2, 3, 4], 0],
    // Gaps 0, 3, 0, 3, 3: mean 1.8, variance (3·1.2² + 2·1.8²)/5 = 2.16 → CV √2.16 / 1.8 = 0.8165.
    ['bursts', [0, 0, 3, 3, 6, 9], Math.sqrt(2.16) / 1.8],
    // Unsorted input is sorted first: same gaps as above.
    ['unsorted', [9, 3, 0, 6, 3, 0], Math.sqrt(2.16) / 1.8],
    ['one arrival', [5], undefined],
    ['all at once', [2, 2, 2], undefined],
  ];
  it.each(cases)('%s', (_name, arrivals, cv) => {
    const got = interArrivalCv(arrivals);
    if (cv === undefined) expect(got).toBeUndefined();
    else expect(got).toBeCloseTo(cv, 12);
  });

  it('is about 1 for a Poisson process', () => {
    // Exponential gaps by inversion over a regular grid of quantiles: CV of Exp(1) is exactly 1.
    const n = 20_000;
    let t = 0;
    const arrivals = [0];
    for (let i = 0; i < n; i++) {
      t += -Math.log(1 - (i + 0.5) / n);
      arrivals.push(t);
    }
    expect(interArrivalCv(arrivals)).toBeCloseTo(1, 1);
  });
});
