import type { CacheState } from '../step-time/fit-by-state.js';
import type { ReadRate } from './read-probe.js';

/**
 * The host's cache state during one repeat of a point (round 6, issue 12.3). On this VM a working
 * set of 16–128 MiB either stays in the last-level cache shared with other tenants or does not,
 * for tens of seconds to minutes at a time (results/step-time-r5-bimodal.md), and a decode point
 * whose KV is that size has one step time in each state. The read probe (read-probe.ts), run just
 * before a point and again just after its timed runs, tells which: a working set of `mib` read at
 * ≥ `gbps` is cached, below it not.
 *
 *   cached    both probes (or the one recorded) read at or above the threshold
 *   uncached  both below
 *   mixed     one above, one below: the state changed during the repeat (judged in neither state)
 */
export type RepeatState = CacheState | 'mixed';

/** Read rate of the probe's `mib` working set at and above which the host is in the cached state. */
export interface StateThreshold {
  readonly mib: number;
  readonly gbps: number;
}

/** The two-group split of a set of values that maximizes the between-group variance (Otsu). */
export interface TwoGroupSplit {
  /** Geometric mean of the largest value of the low group and the smallest of the high group. */
  readonly threshold: number;
  readonly numLow: number;
  readonly numHigh: number;
  /** Between-group variance ÷ total variance of log(value): 1 for two points, → 0 for no gap. */
  readonly separation: number;
}

/**
 * Otsu's split on log(value) (rates and times are positive and their two states differ by a
 * factor, not an offset): for every cut between consecutive sorted values, the between-group
 * variance w_low · w_high · (mean_low − mean_high)²; the largest wins (the first on ties). Needs at
 * least two distinct positive values.
 */
export function twoGroupSplit(values: readonly number[]): TwoGroupSplit {
  for (const [i, v] of values.entries())
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`twoGroupSplit: value ${i} is ${v}; need > 0`);
  const xs = [...values].sort((a, b) => a - b);
  const logs = xs.map(Math.log);
  const n = logs.length;
  const mean = logs.reduce((a, x) => a + x, 0) / n;
  const total = logs.reduce((a, x) => a + (x - mean) ** 2, 0) / n;
  let best: { k: number; between: number } | undefined;
  let lowSum = 0;
  for (let k = 1; k < n; k++) {
    lowSum += logs[k - 1] ?? 0;
    if ((xs[k] ?? 0) === (xs[k - 1] ?? 0)) continue; // no cut between equal values
    const wLow = k / n;
    const between = wLow * (1 - wLow) * (lowSum / k - (mean * n - lowSum) / (n - k)) ** 2;
    if (best === undefined || between > best.between) best = { k, between };
  }
  if (best === undefined) throw new RangeError('twoGroupSplit: need at least two distinct values');
  return {
    threshold: Math.sqrt((xs[best.k - 1] ?? 0) * (xs[best.k] ?? 0)),
    numLow: best.k,
    numHigh: n - best.k,
    separation: best.between / total,
  };
}

/** The rate of the `mib` working set in a probe, if it read one. */
export function probeRate(probe: readonly ReadRate[] | undefined, mib: number): number | undefined {
  return probe?.find((r) => r.mib === mib)?.gbps;
}

/**
 * A repeat's state from the probe just before it and the one just after (either may be absent:
 * repeats measured before round 6 have only the one before); null when neither read `mib`.
 */
export function repeatState(
  probes: { readonly readProbe?: readonly ReadRate[]; readonly readProbeAfter?: readonly ReadRate[] },
  threshold: StateThreshold,
): RepeatState | null {
  const rates = [probeRate(probes.readProbe, threshold.mib), probeRate(probes.readProbeAfter, threshold.mib)].filter(
    (r): r is number => r !== undefined,
  );
  if (rates.length === 0) return null;
  const cached = rates.map((r) => r >= threshold.gbps);
  if (cached.every((c) => c)) return 'cached';
  if (cached.every((c) => !c)) return 'uncached';
  return 'mixed';
}
