import { describe, expect, it } from 'vitest';
import { cleanMedian, cleanRuns, isCleanRun } from './run-quality.js';

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
});
