/**
 * Nearest-rank percentile of ascending `sorted` values: the smallest value
 * such that at least p% of the samples are ≤ it, i.e. sorted[⌈p/100 · n⌉ − 1]
 * (p = 0 gives the minimum). NaN for an empty list. p must lie in [0, 100].
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be in [0, 100], got ${p}`);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  return sorted[rank - 1] as number;
}

/** Finite samples sorted ascending (a copy). */
export function sortedFinite(samples: readonly number[]): number[] {
  return samples.filter(Number.isFinite).sort((a, b) => a - b);
}
