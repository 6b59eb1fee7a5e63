import { describe, expect, it } from 'vitest';
import { linearScale, logScale } from './scale.js';

describe('linearScale', () => {
  it('maps by hand-computed points', () => {
    const s = linearScale([0, 10], [100, 600]);
    // 100 + (2.5 − 0)/10 · 500 = 225.
    expect(s.map(2.5)).toBe(225);
    expect(s.map(0)).toBe(100);
    expect(s.map(10)).toBe(600);
    // Outside the domain extrapolates: −2 → 100 − 100 = 0.
    expect(s.map(-2)).toBe(0);
  });
  it('supports reversed (y) ranges', () => {
    const s = linearScale([0, 1], [500, 100]);
    // 500 + 0.25 · (−400) = 400.
    expect(s.map(0.25)).toBe(400);
  });
  it('rejects an empty domain', () => {
    expect(() => linearScale([1, 1], [0, 10])).toThrow(/two different/);
  });
});

describe('logScale', () => {
  it('puts decades at equal spacing and the H100 ridge where log10 says', () => {
    // Domain 0.1..1e4 is 5 decades over 788 px (a 900 px chart minus 84 + 28 margins): 157.6 px/decade.
    const s = logScale([0.1, 1e4], [84, 872]);
    expect(s.map(0.1)).toBeCloseTo(84, 9);
    expect(s.map(1)).toBeCloseTo(241.6, 9);
    expect(s.map(1e4)).toBeCloseTo(872, 9);
    // Ridge 989e12 / 3.35e12 = 295.2239 FLOP/byte; log10 = 2 + log10(3) + log10(0.98408) = 2.4701517;
    // 84 + (2.4701517 + 1) · 157.6 = 84 + 546.8959 = 630.8959.
    expect(s.map(989e12 / 3.35e12)).toBeCloseTo(630.896, 2);
    expect(s.ticks()).toEqual([0.1, 1, 10, 100, 1000, 10000]);
  });
  it('maps reversed y ranges and refuses values ≤ 0', () => {
    const s = logScale([1, 1000], [400, 100]);
    // log10(10)/log10(1000) = 1/3 of the way from 400 to 100: 300.
    expect(s.map(10)).toBeCloseTo(300, 9);
    expect(s.map(0)).toBeNaN();
    expect(s.accepts(0)).toBe(false);
    expect(s.accepts(-1)).toBe(false);
    expect(s.accepts(5)).toBe(true);
  });
  it('byte scales tick at powers of two', () => {
    const s = logScale([2 ** 30, 2 ** 36], [0, 600], 2);
    expect(s.ticks()).toEqual([30, 31, 32, 33, 34, 35, 36].map((e) => 2 ** e));
    // 2^33 is half-way in log terms: 300 px.
    expect(s.map(2 ** 33)).toBeCloseTo(300, 9);
  });
  it('rejects non-positive domains', () => {
    expect(() => logScale([0, 10], [0, 1])).toThrow(/positive/);
  });
});
