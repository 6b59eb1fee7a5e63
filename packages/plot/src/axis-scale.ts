import type { AxisSpec } from './chart-frame.js';
import { checkRange, finiteExtent, positiveExtent } from './extent.js';
import { formatValue } from './format.js';
import { linearScale, logScale, type Scale } from './scale.js';
import { niceBinaryLogDomain, niceLinearDomain, niceLogDomain } from './ticks.js';

/** An axis of a generic chart (line, CDF, bars): title and format plus scale type, range and tooltip unit. */
export interface ValueAxis extends AxisSpec {
  /** Default 'linear'. A 'log' axis skips values ≤ 0. */
  readonly scale?: 'linear' | 'log';
  /** Fixed [min, max]; default: the data extent rounded out to nice values. */
  readonly range?: readonly [number, number];
  /** Unit for tooltips and tables ("req/s", "requests"); 'bytes' and 'seconds' formats carry their own. */
  readonly unit?: string;
}

/**
 * A scale for `axis` over `values` mapped onto pixels [r0, r1]. Linear axes can
 * be forced to include zero (bars, counts); byte log axes tick at powers of two.
 */
export function scaleForAxis(
  axis: ValueAxis,
  values: readonly number[],
  range: readonly [number, number],
  where: string,
  options: { includeZero?: boolean; fallback?: readonly [number, number] } = {},
): Scale {
  const fallback = options.fallback ?? [0, 1];
  if (axis.scale === 'log') {
    const binary = axis.format === 'bytes';
    const domain = axis.range
      ? checkRange(axis.range, where, true)
      : (binary ? niceBinaryLogDomain : niceLogDomain)(...positiveExtent(values, fallback[0] > 0 ? fallback : [1, 10]));
    return logScale(domain, range, binary ? 2 : 10);
  }
  if (axis.range) return linearScale(checkRange(axis.range, where, false), range);
  let [min, max] = finiteExtent(values, fallback);
  if (options.includeZero) {
    min = Math.min(0, min);
    max = Math.max(0, max);
  }
  return linearScale(niceLinearDomain(min, max), range);
}

/** A value as tooltips and tables print it on this axis, with the unit. */
export function formatAxisValue(axis: ValueAxis, value: number): string {
  return formatValue(value, axis.format ?? 'plain', axis.unit ?? '');
}
