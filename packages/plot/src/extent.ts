/** Data extents for choosing axis domains. */

/** [min, max] of the positive finite values, or `fallback` when there are none. */
export function positiveExtent(values: Iterable<number>, fallback: readonly [number, number]): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : [fallback[0], fallback[1]];
}

/** [min, max] of the finite values, or `fallback` when there are none. */
export function finiteExtent(values: Iterable<number>, fallback: readonly [number, number]): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : [fallback[0], fallback[1]];
}

/** Checks a user-supplied axis range: two finite numbers, min < max, and both > 0 when the axis is log. */
export function checkRange(range: readonly [number, number], where: string, log: boolean): [number, number] {
  const [min, max] = range;
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(min < max)) {
    throw new RangeError(`${where}: range must be two finite numbers with min < max, got [${min}, ${max}]`);
  }
  if (log && !(min > 0)) throw new RangeError(`${where}: a log axis needs a range above 0, got [${min}, ${max}]`);
  return [min, max];
}
