import { describe, expect, it } from 'vitest';
import { repeatState, twoGroupSplit } from './cache-state.js';

describe('twoGroupSplit (Otsu on log value)', () => {
  it('cuts two values at their geometric mean, fully separated', () => {
    // One value per group: threshold √(2 · 8) = 4; between-group variance = total variance.
    const s = twoGroupSplit([8, 2]);
    expect(s.threshold).toBeCloseTo(4, 12);
    expect([s.numLow, s.numHigh]).toEqual([1, 1]);
    expect(s.separation).toBeCloseTo(1, 12);
  });

  it('finds the gap between two clusters of read rates', () => {
    // ln 5, 6, 7, 18, 20, 22 = 1.609, 1.792, 1.946, 2.890, 2.996, 3.091. Between-group variance
    // w·(1 − w)·(mean_low − mean_high)² at each cut: after 7 (w = 1/2): means 1.782 and 2.992,
    // 0.25 · 1.210² = 0.366; after 6 (w = 1/3): 1.701 vs 2.731, (2/9) · 1.030² = 0.236; after 18:
    // 2.059 vs 3.044, (2/9) · 0.984² = 0.215. So the cut is 7 | 18, threshold √(7 · 18) = √126 =
    // 11.225. Total variance of the logs 0.3788, separation 0.366 / 0.3788 = 0.966.
    const s = twoGroupSplit([18, 5, 22, 7, 20, 6]);
    expect(s.threshold).toBeCloseTo(11.225, 3);
    expect([s.numLow, s.numHigh]).toEqual([3, 3]);
    expect(s.separation).toBeCloseTo(0.966, 3);
  });

  it('never cuts between equal values', () => {
    // 3, 3, 3, 12: the only cut is after the three 3s: threshold √(3 · 12) = 6.
    expect(twoGroupSplit([3, 12, 3, 3]).threshold).toBeCloseTo(6, 12);
  });

  it('refuses a set with no cut, and non-positive values, naming the value', () => {
    expect(() => twoGroupSplit([4, 4])).toThrow(/two distinct values/);
    expect(() => twoGroupSplit([4, 0, 5])).toThrow(/value 1 is 0/);
  });
});

describe('repeatState', () => {
  const at = (gbps: number) => [
    { mib: 16, gbps: 30 },
    { mib: 32, gbps },
  ];
  const threshold = { mib: 32, gbps: 11 };

  it('is cached when the probe before and after both read at or above the threshold', () => {
    expect(repeatState({ readProbe: at(18), readProbeAfter: at(11) }, threshold)).toBe('cached');
  });

  it('is uncached when both read below it', () => {
    expect(repeatState({ readProbe: at(6), readProbeAfter: at(10.9) }, threshold)).toBe('uncached');
  });

  it('is mixed when the state changed during the repeat', () => {
    expect(repeatState({ readProbe: at(18), readProbeAfter: at(6) }, threshold)).toBe('mixed');
    expect(repeatState({ readProbe: at(6), readProbeAfter: at(18) }, threshold)).toBe('mixed');
  });

  it('uses the one probe a pre-round-6 repeat has, and is null without the threshold size', () => {
    expect(repeatState({ readProbe: at(6) }, threshold)).toBe('uncached');
    expect(repeatState({ readProbe: [{ mib: 16, gbps: 30 }] }, threshold)).toBeNull();
    expect(repeatState({}, threshold)).toBeNull();
  });
});
