import { describe, expect, it } from 'vitest';
import { median, percentile, sortedFinite } from './percentile.js';

describe('percentile (nearest rank, q in [0, 1])', () => {
  const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  it.each([
    [0, 1], // rank max(1, ⌈0⌉) = 1st: the minimum
    [0.1, 1], // ⌈1⌉ = 1st
    [0.11, 2], // ⌈1.1⌉ = 2nd
    [0.5, 5], // ⌈5⌉ = 5th
    [0.9, 9], // ⌈9⌉ = 9th
    [0.99, 10], // ⌈9.9⌉ = 10th
    [1, 10], // the maximum
  ])('q %s of 1..10 → %s', (q, want) => {
    expect(percentile(oneToTen, q)).toBe(want);
  });

  it('p99 of 1..200 is the 198th value, p90 the 180th', () => {
    // ⌈0.99 · 200⌉ = 198, ⌈0.9 · 200⌉ = 180.
    const sorted = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.99)).toBe(198);
    expect(percentile(sorted, 0.9)).toBe(180);
  });

  it('a product that is an integer up to rounding takes that rank', () => {
    // 0.07 · 100 = 7.000000000000001 in floating point; the 7th value, not the 8th. Likewise
    // 0.29 · 100 = 28.999999999999996 → 29th.
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.07)).toBe(7);
    expect(percentile(sorted, 0.29)).toBe(29);
  });

  it('is NaN for no samples and rejects q outside [0, 1]', () => {
    expect(percentile([], 0.5)).toBeNaN();
    expect(() => percentile([1], 50)).toThrow(/fraction in \[0, 1\], got 50/);
    expect(() => percentile([1], -0.1)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });

  it('reads typed arrays too', () => {
    expect(percentile(Float64Array.of(2, 4, 8), 0.5)).toBe(4); // ⌈1.5⌉ = 2nd
  });
});

describe('median', () => {
  it.each([
    [[5, 1, 3], 3], // odd count: the middle (⌈1.5⌉ = 2nd of 1, 3, 5)
    [[4, 1, 3, 2], 2], // even count: ⌈2⌉ = 2nd of 1, 2, 3, 4, the lower middle
    [[7], 7],
  ])('%j → %s', (values, want) => {
    const copy = [...values];
    expect(median(values)).toBe(want);
    expect(values).toEqual(copy); // input untouched
  });

  it('is NaN for no values', () => {
    expect(median([])).toBeNaN();
  });
});

describe('sortedFinite', () => {
  it('drops NaN and ±Infinity and sorts numerically (not as strings)', () => {
    expect(sortedFinite([10, Number.NaN, 9, Number.POSITIVE_INFINITY, 100, -1])).toEqual([-1, 9, 10, 100]);
  });
});
