// The decode-step calibration's search (round 7c): the per-step CPU cost that makes the twin's decode loop as long
// per step as the real one on the fitting window (bench/sim-fidelity-decode-step.ts). The twin's response to the
// cost is noisy (a small change of cost reorders events), so a secant on the last two tries can jump far on
// noise, and before round 7c the last secant step was kept without being run (window 7b: 2.17 → 1.10 ms a step,
// untested). Here every candidate is run, and the answer is the best one run: first the cost is stepped outward
// (doubling) until the target is bracketed — a try below it and one above it — then the bracket is halved.
// Pure: the bench runs the twin for each cost this proposes.

export interface StepTry {
  readonly costSeconds: number;
  /** The twin's decode loop seconds per step at that cost. */
  readonly loopSeconds: number;
}

export interface StepSearchOptions {
  /** The first outward step when nothing brackets the target yet (seconds of cost). */
  readonly minStepSeconds: number;
  /** Stop once the bracket is narrower than this. */
  readonly toleranceSeconds: number;
}

/** The try whose loop is nearest the target (the first of equals); undefined when there is none. */
export function bestTry(targetLoopSeconds: number, tries: readonly StepTry[]): StepTry | undefined {
  let best: StepTry | undefined;
  for (const t of tries) {
    if (
      best === undefined ||
      Math.abs(t.loopSeconds - targetLoopSeconds) < Math.abs(best.loopSeconds - targetLoopSeconds)
    )
      best = t;
  }
  return best;
}

/**
 * The next cost to run, or undefined when the search is done (a try on the target, a bracket narrower than the
 * tolerance, or a loop already too long at cost 0). The bracket is the pair of neighbouring tried costs, in cost
 * order, around the best try where the loop crosses the target (below it at the lower cost, above at the higher);
 * its midpoint is next. Without one, the cost steps outward from the nearest end: up by at least
 * `minStepSeconds` when every loop is short (at least the gap to the target, assuming a second of cost adds one
 * of loop, doubled for each earlier step the same way), down to no lower than 0 when every loop is long.
 */
export function nextBracketedCost(
  targetLoopSeconds: number,
  tries: readonly StepTry[],
  o: StepSearchOptions,
): number | undefined {
  if (tries.length === 0) return undefined;
  if (tries.some((t) => t.loopSeconds === targetLoopSeconds)) return undefined;
  const sorted = [...tries].sort((a, b) => a.costSeconds - b.costSeconds);
  const best = bestTry(targetLoopSeconds, sorted) as StepTry;
  const i = sorted.indexOf(best);
  const below = (t: StepTry | undefined) => t !== undefined && t.loopSeconds < targetLoopSeconds;
  const above = (t: StepTry | undefined) => t !== undefined && t.loopSeconds > targetLoopSeconds;
  const pair = below(best)
    ? above(sorted[i + 1])
      ? [best, sorted[i + 1] as StepTry]
      : undefined
    : below(sorted[i - 1])
      ? [sorted[i - 1] as StepTry, best]
      : undefined;
  if (pair !== undefined) {
    const [lo, hi] = pair as [StepTry, StepTry];
    if (hi.costSeconds - lo.costSeconds < o.toleranceSeconds) return undefined;
    return (lo.costSeconds + hi.costSeconds) / 2;
  }
  const allShort = sorted.every(below);
  const allLong = sorted.every(above);
  if (allShort) {
    const top = sorted[sorted.length - 1] as StepTry;
    const steps = sorted.length - 1;
    const gap = Math.max(o.minStepSeconds, targetLoopSeconds - top.loopSeconds);
    return top.costSeconds + gap * 2 ** steps;
  }
  if (allLong) {
    const low = sorted[0] as StepTry;
    if (low.costSeconds <= 0) return undefined;
    const steps = sorted.length - 1;
    const gap = Math.max(o.minStepSeconds, low.loopSeconds - targetLoopSeconds);
    return Math.max(0, low.costSeconds - gap * 2 ** steps);
  }
  // Loops on both sides, but not next to the best try (a noisy, non-monotone response): halve towards the
  // nearest try on the other side of the target.
  const other = sorted
    .filter((t) => (below(best) ? above(t) : below(t)))
    .sort((a, b) => Math.abs(a.costSeconds - best.costSeconds) - Math.abs(b.costSeconds - best.costSeconds))[0];
  if (other === undefined || Math.abs(other.costSeconds - best.costSeconds) < o.toleranceSeconds) return undefined;
  return (other.costSeconds + best.costSeconds) / 2;
}
