import { describe, expect, it } from 'vitest';
import { cleanMedian, cleanRuns, isCleanRun, waitFractions } from './run-quality.js';

describe('run quality', () => {
  it('a run is clean when our threads waited for a CPU at most 5 % of it, or, without schedstat, when nothing preempted it', () => {
    // PSI is recorded, not judged: other tasks waiting while ours ran did not slow the run.
    expect(isCleanRun({ preemptions: 9, stallFraction: 1, waitFraction: 0.05 })).toBe(true);
    expect(isCleanRun({ preemptions: 0, stallFraction: 0, waitFraction: 0.051 })).toBe(false);
    expect(isCleanRun({ preemptions: 0, stallFraction: null, waitFraction: null })).toBe(true);
    expect(isCleanRun({ preemptions: 1, stallFraction: 0 })).toBe(false);
  });

  it('keeps the clean runs when there are enough of them, and takes their median', () => {
    const runs = [0.01, 0.5, 0.02, 0.9].map((waitFraction) => ({ preemptions: 0, stallFraction: null, waitFraction }));
    // Runs 0 and 2 are clean: 2 of 4 meets the default (half), not an explicit minimum of 3.
    expect(cleanRuns(runs)).toEqual([0, 2]);
    expect(cleanRuns(runs, 3)).toEqual([]);
    // Times 10, 30, 12, 50 ms, with @oicf/core's nearest-rank median (an even count takes the lower middle,
    // sorted[⌈0.5·n⌉ − 1]): the clean runs {10, 12} give 10; with none kept, all four {10, 12, 30, 50} give 12.
    expect(cleanMedian([0.01, 0.03, 0.012, 0.05], [0, 2])).toBeCloseTo(0.01, 12);
    expect(cleanMedian([0.01, 0.03, 0.012, 0.05], [])).toBeCloseTo(0.012, 12);
  });

  it("judges by the compute thread's wait where recorded, not the helper threads'", () => {
    // V8's GC helpers waited 40 % between them while the thread running session.run waited 2 %: clean.
    expect(isCleanRun({ preemptions: 5, stallFraction: 0, waitFraction: 0.42, computeWaitFraction: 0.02 })).toBe(true);
    expect(isCleanRun({ preemptions: 0, stallFraction: 0, waitFraction: 0.06, computeWaitFraction: 0.06 })).toBe(false);
  });

  it('takes the compute thread as the one that ran longest between two snapshots', () => {
    // Over 100 ms: thread 1 ran 95 ms and waited 2 ms; thread 2 ran 5 ms and waited 10 ms; thread 3
    // started after the first snapshot (counted from 0): ran 1 ms, waited 3 ms.
    // compute = 2 / 100 = 0.02; all = (2 + 10 + 3) / 100 = 0.15.
    const ms = 1e6;
    const before = new Map([
      ['1', { runNanos: 1000 * ms, waitNanos: 50 * ms }],
      ['2', { runNanos: 20 * ms, waitNanos: 7 * ms }],
    ]);
    const after = new Map([
      ['1', { runNanos: 1095 * ms, waitNanos: 52 * ms }],
      ['2', { runNanos: 25 * ms, waitNanos: 17 * ms }],
      ['3', { runNanos: 1 * ms, waitNanos: 3 * ms }],
    ]);
    const w = waitFractions(before, after, 100 * ms);
    expect(w?.compute).toBeCloseTo(0.02, 12);
    expect(w?.all).toBeCloseTo(0.15, 12);
    expect(waitFractions(undefined, after, 100 * ms)).toBeUndefined();
  });
});
