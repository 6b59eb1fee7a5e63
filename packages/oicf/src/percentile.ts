/**
 * The project's one percentile definition (every report, chart, trace table, progress line and
 * benchmark uses it): **nearest rank, with the level as a fraction q in [0, 1]**.
 *
 *   percentile(sorted, q) = sorted[max(1, ⌈q · n⌉) − 1]
 *
 * the smallest sample such that at least a fraction q of the n samples are ≤ it. q = 0 gives the
 * minimum, q = 1 the maximum, and the median is q = 0.5, which for an even count is the lower of the
 * two middle samples. Every figure is therefore a value that was observed (a latency some request
 * had), never an interpolation between two requests. Tables and charts label a level q as
 * `p${100 · q}` (0.99 → p99).
 */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`percentile: q must be a fraction in [0, 1], got ${q}`);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  return sorted[nearestRank(q, n) - 1] as number;
}

/** The median of unsorted values (nearest rank, as `percentile(…, 0.5)`); NaN for none. Does not modify `values`. */
export function median(values: ArrayLike<number>): number {
  return percentile(Float64Array.from(values).sort(), 0.5);
}

/** Finite samples sorted ascending (a copy), ready for `percentile`. */
export function sortedFinite(samples: readonly number[]): number[] {
  return samples.filter(Number.isFinite).sort((a, b) => a - b);
}

/**
 * ⌈q · n⌉, at least 1. A product within rounding noise of an integer counts as that integer: 0.07 · 100
 * is 7.000000000000001 in binary floating point, and its rank is the 7th, not the 8th.
 */
function nearestRank(q: number, n: number): number {
  const exact = q * n;
  const whole = Math.round(exact);
  const rank = Math.abs(exact - whole) <= 1e-9 * n ? whole : Math.ceil(exact);
  return Math.min(n, Math.max(1, rank));
}
