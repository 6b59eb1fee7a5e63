import { describe, expect, it } from 'vitest';
import { bestTry, nextBracketedCost, type StepTry } from './step-search.js';

// Costs and loops in ms for reading; the functions take seconds.
const t = (costMs: number, loopMs: number): StepTry => ({ costSeconds: costMs / 1e3, loopSeconds: loopMs / 1e3 });
const O = { minStepSeconds: 0.0005, toleranceSeconds: 0.00005 };
const next = (targetMs: number, tries: StepTry[]) => {
  const n = nextBracketedCost(targetMs / 1e3, tries, O);
  return n === undefined ? undefined : Number((n * 1e3).toFixed(9));
};

describe('the decode-step search: every candidate run, the best run kept', () => {
  it('steps outward, doubling, until the target is bracketed', () => {
    // Nothing tried: nothing to propose from.
    expect(next(12, [])).toBeUndefined();
    // 1 ms → 10 ms, target 12: up by max(0.5, 12 − 10) = 2 ms, × 2^0 → 3 ms.
    expect(next(12, [t(1, 10)])).toBe(3);
    // Then 3 ms → 11 ms, still short: from the top, max(0.5, 1) × 2^1 = 2 ms → 5 ms.
    expect(next(12, [t(1, 10), t(3, 11)])).toBe(5);
    // Every loop long: down from the lowest by max(0.5, 14 − 12) × 2^0 = 2 ms → 0; never below 0; at 0, done.
    expect(next(12, [t(2, 14)])).toBe(0);
    expect(next(12, [t(2, 14), t(1, 13)])).toBe(0); // 1 − max(0.5, 1) × 2^1 = −1 → 0
    expect(next(12, [t(0, 13)])).toBeUndefined();
  });

  it('halves the bracket around the best try', () => {
    // 3 → 11 and 5 → 13 are 1 ms either side (the first of equals, 3 ms, is the best): bracket [3, 5] → 4 ms.
    expect(next(12, [t(1, 10), t(3, 11), t(5, 13)])).toBe(4);
    // 4 → 12.5 is now the best, above the target; its lower neighbour 3 → 11 is below: [3, 4] → 3.5 ms.
    expect(next(12, [t(1, 10), t(3, 11), t(5, 13), t(4, 12.5)])).toBe(3.5);
    // A noisy response: brackets [1, 2] (10 | 13) and [2, 3] (13 | 11.9); the latter holds the try nearest the
    // target (11.9): 2.5 ms.
    expect(next(12, [t(1, 10), t(2, 13), t(3, 11.9)])).toBe(2.5);
  });

  it('never proposes a cost already run (window 7c’s fits re-ran one 4 times before this)', () => {
    // Window 7c's kernel-meter fit, target 23.57 ms: 0 → 22.42, 1.156 → 25.24, 0.578 → 23.73, 0.289 → 23.38,
    // 0.4335 → 24.59 (logged as 0.434). The best (0.578, above) has no neighbour below; halving towards 0.289
    // gives 0.4335, already run. The one bracket in cost order is [0.289, 0.4335] (23.38 | 24.59): 0.36125 ms.
    const tries = [t(0, 22.42), t(1.156, 25.24), t(0.578, 23.73), t(0.289, 23.38), t(0.4335, 24.59)];
    expect(next(23.57, tries)).toBe(0.36125);
    // Brackets join neighbours in cost order, so no run cost lies inside one and its midpoint is new; once the
    // only bracket ([0.289, 0.2945]: 0.0055 ms) is narrower than the tolerance, the search stops.
    expect(next(23.57, [t(0.289, 23.38), t(0.3, 24), t(0.2945, 23.9)])).toBeUndefined();
  });

  it('stops on the target or a bracket narrower than the tolerance', () => {
    expect(next(12, [t(1, 10), t(2, 12)])).toBeUndefined();
    // [3, 3.04] is 0.04 ms wide < 0.05.
    expect(next(12, [t(3, 11), t(3.04, 13)])).toBeUndefined();
  });

  it('keeps the tried cost nearest the target, never an untried one', () => {
    expect(bestTry(0.012, [])).toBeUndefined();
    // |10 − 12| = 2, |12.5 − 12| = 0.5, |11.6 − 12| = 0.4: the 3.5-ms try.
    expect(bestTry(0.012, [t(1, 10), t(4, 12.5), t(3.5, 11.6)])).toEqual(t(3.5, 11.6));
  });
});
