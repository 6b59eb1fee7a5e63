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
 * The next cost to run, or undefined when the search is done (a try on the target, or no bracket left wider than
 * the tolerance whose midpoint has not been run, or a loop already too long at cost 0). A bracket is a pair of
 * neighbouring tried costs, in cost order, where the loop crosses the target; on a noisy response there may be
 * several, and the one holding the try nearest the target goes first; its midpoint is next. Without one, the cost
 * steps outward from the nearest end: up by at least `minStepSeconds` when every loop is short (at least the gap to
 * the target, assuming a second of cost adds one of loop, doubled for each earlier try), down to no lower than 0
 * when every loop is long. A cost already run is never proposed again (no run cost lies inside a bracket of
 * neighbours; before, halving towards a try that was not a neighbour re-ran one: window 7c's fits, 4 times).
 */
export function nextBracketedCost(
  targetLoopSeconds: number,
  tries: readonly StepTry[],
  o: StepSearchOptions,
): number | undefined {
  if (tries.length === 0) return undefined;
  if (tries.some((t) => t.loopSeconds === targetLoopSeconds)) return undefined;
  const sorted = [...tries].sort((a, b) => a.costSeconds - b.costSeconds);
  const below = (t: StepTry) => t.loopSeconds < targetLoopSeconds;
  const off = (t: StepTry) => Math.abs(t.loopSeconds - targetLoopSeconds);
  const pairs: [StepTry, StepTry][] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i] as StepTry;
    const b = sorted[i + 1] as StepTry;
    if (below(a) !== below(b)) pairs.push([a, b]);
  }
  if (pairs.length > 0) {
    pairs.sort((p, q) => Math.min(off(p[0]), off(p[1])) - Math.min(off(q[0]), off(q[1])));
    const tried = (c: number) => sorted.some((t) => Math.abs(t.costSeconds - c) < o.toleranceSeconds / 2);
    for (const [lo, hi] of pairs) {
      const mid = (lo.costSeconds + hi.costSeconds) / 2;
      if (hi.costSeconds - lo.costSeconds >= o.toleranceSeconds && !tried(mid)) return mid;
    }
    return undefined;
  }
  if (sorted.every(below)) {
    const top = sorted[sorted.length - 1] as StepTry;
    const gap = Math.max(o.minStepSeconds, targetLoopSeconds - top.loopSeconds);
    return top.costSeconds + gap * 2 ** (sorted.length - 1);
  }
  const low = sorted[0] as StepTry;
  if (low.costSeconds <= 0) return undefined;
  const gap = Math.max(o.minStepSeconds, low.loopSeconds - targetLoopSeconds);
  return Math.max(0, low.costSeconds - gap * 2 ** (sorted.length - 1));
}
