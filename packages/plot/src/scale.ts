import { binaryLogTicks, linearTicks, logTicks } from './ticks.js';

/**
 * A map from data values (domain) to pixels (range). `range` may be reversed
 * (y axes run from the bottom pixel to the top pixel). Pure and allocation-free
 * per call, so charts can map thousands of points.
 */
export interface Scale {
  readonly kind: 'linear' | 'log';
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  /** Pixel for a data value. A log scale returns NaN for values ≤ 0 (callers skip those points). */
  map(value: number): number;
  /** Nice tick values inside the domain. */
  ticks(): number[];
  /** True when the value can be drawn (finite, and > 0 on a log scale). */
  accepts(value: number): boolean;
}

/** Linear scale: value → r0 + (value − d0) / (d1 − d0) · (r1 − r0). */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
  targetTickCount = 6,
): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (!Number.isFinite(d0) || !Number.isFinite(d1) || d0 === d1) {
    throw new RangeError(`linearScale: domain must be two different finite numbers, got [${d0}, ${d1}]`);
  }
  const k = (r1 - r0) / (d1 - d0);
  return {
    kind: 'linear',
    domain: [d0, d1],
    range: [r0, r1],
    map: (value) => r0 + (value - d0) * k,
    ticks: () => linearTicks(Math.min(d0, d1), Math.max(d0, d1), targetTickCount),
    accepts: (value) => Number.isFinite(value),
  };
}

/** Which values a log scale puts its ticks on: decades (10^k) or powers of two (for bytes). */
export type LogTickBase = 10 | 2;

/** Log10 scale: value → r0 + (log10 value − log10 d0) / (log10 d1 − log10 d0) · (r1 − r0). */
export function logScale(
  domain: readonly [number, number],
  range: readonly [number, number],
  tickBase: LogTickBase = 10,
  maxTickCount = 10,
): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (!(d0 > 0) || !(d1 > 0) || !Number.isFinite(d0) || !Number.isFinite(d1) || d0 === d1) {
    throw new RangeError(`logScale: domain must be two different positive finite numbers, got [${d0}, ${d1}]`);
  }
  const l0 = Math.log10(d0);
  const k = (r1 - r0) / (Math.log10(d1) - l0);
  const lo = Math.min(d0, d1);
  const hi = Math.max(d0, d1);
  return {
    kind: 'log',
    domain: [d0, d1],
    range: [r0, r1],
    map: (value) => (value > 0 ? r0 + (Math.log10(value) - l0) * k : Number.NaN),
    ticks: () => (tickBase === 2 ? binaryLogTicks(lo, hi, maxTickCount) : logTicks(lo, hi, maxTickCount)),
    accepts: (value) => value > 0 && Number.isFinite(value),
  };
}
