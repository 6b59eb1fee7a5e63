import { describe, expect, it } from 'vitest';
import {
  binaryLogTicks,
  linearTicks,
  logTicks,
  niceBinaryLogDomain,
  niceLinearDomain,
  niceLogDomain,
  niceStep,
} from './ticks.js';

describe('niceStep', () => {
  it.each([
    [0.3333, 0.5],
    [1, 1],
    [1.2, 2],
    [3, 5],
    [7, 10],
    [0.012, 0.02],
    [2000, 2000],
  ])('%s → %s', (raw, nice) => {
    expect(niceStep(raw)).toBe(nice);
  });
  it('rejects non-positive steps', () => {
    expect(() => niceStep(0)).toThrow(/positive/);
  });
});

describe('linearTicks', () => {
  it.each([
    // 1/5 = 0.2 is already nice.
    [0, 1, 5, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    // 18/6 = 3 → 5.
    [0, 18, 6, [0, 5, 10, 15]],
    // 100/6 = 16.7 → 20; first multiple of 20 ≥ −7 is 0.
    [-7, 93, 6, [0, 20, 40, 60, 80]],
    // Binary noise: 3 · 0.1 must print as 0.3.
    [0, 0.5, 5, [0, 0.1, 0.2, 0.3, 0.4, 0.5]],
  ])('[%s, %s] /%s → %j', (min, max, n, ticks) => {
    expect(linearTicks(min, max, n)).toEqual(ticks);
  });
  it('a zero-width range is its single value', () => {
    expect(linearTicks(3, 3)).toEqual([3]);
  });
});

describe('logTicks', () => {
  it.each([
    // Six decades fit the 10-tick budget: one tick per decade.
    [0.1, 1e4, 10, [0.1, 1, 10, 100, 1000, 10000]],
    // Two decades: add 2× and 5×.
    [1, 50, 10, [1, 2, 5, 10, 20, 50]],
    [0.5, 20, 10, [0.5, 1, 2, 5, 10, 20]],
    // 1e-3..1e12 holds 16 decades; stride 2 leaves the even exponents −2..12 (8 ticks).
    [1e-3, 1e12, 10, [0.01, 1, 100, 1e4, 1e6, 1e8, 1e10, 1e12]],
    // Inside one decade {1,2,5}× gives only 5: fall back to linear ticks (5/5 = 1).
    [3, 8, 10, [3, 4, 5, 6, 7, 8]],
  ])('[%s, %s] max %s → %j', (min, max, n, ticks) => {
    expect(logTicks(min, max, n)).toEqual(ticks);
  });
  it('rejects ranges that touch zero', () => {
    expect(() => logTicks(0, 10)).toThrow(/min > 0/);
  });
});

describe('binaryLogTicks', () => {
  it('18 octaves (1 MiB..128 GiB) thin to every second power of two', () => {
    // Exponents 20..37 (18 of them) exceed 10; stride 2 keeps 20, 22, …, 36 (9 ticks).
    expect(binaryLogTicks(2 ** 20, 2 ** 37, 10)).toEqual([20, 22, 24, 26, 28, 30, 32, 34, 36].map((e) => 2 ** e));
  });
  it('a wide range lands on KiB/MiB/GiB/TiB with stride 10', () => {
    // 2^10..2^40: 31 exponents; stride 5 gives 7 ≤ 8? 10,15,…,40 = 7 ticks, so stride 5 wins with max 8.
    expect(binaryLogTicks(2 ** 10, 2 ** 40, 8)).toEqual([10, 15, 20, 25, 30, 35, 40].map((e) => 2 ** e));
    // With at most 4 ticks, stride 10: 2^10, 2^20, 2^30, 2^40.
    expect(binaryLogTicks(2 ** 10, 2 ** 40, 4)).toEqual([2 ** 10, 2 ** 20, 2 ** 30, 2 ** 40]);
  });
});

describe('nice domains', () => {
  it.each([
    [0.3, 2000, [0.1, 10000]],
    [1, 10, [1, 10]],
    // Same decade: widen by one so the scale is not degenerate.
    [10, 10, [10, 100]],
  ])('log [%s, %s] → %j', (min, max, domain) => {
    expect(niceLogDomain(min, max)).toEqual(domain);
  });
  it('binary domain rounds out to powers of two', () => {
    // 2.2e9 B lies between 2^31 (2.147e9) and 2^32; 6e10 between 2^35 (3.4e10) and 2^36 (6.9e10).
    expect(niceBinaryLogDomain(2.2e9, 6e10)).toEqual([2 ** 31, 2 ** 36]);
  });
  it('linear domain rounds out to the step', () => {
    // (93 + 7)/6 = 16.7 → step 20: [−20, 100].
    expect(niceLinearDomain(-7, 93)).toEqual([-20, 100]);
    // A single value widens by half its magnitude on each side: [2, 6], step 4/6 → 1.
    expect(niceLinearDomain(4, 4)).toEqual([2, 6]);
  });
});
