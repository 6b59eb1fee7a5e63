import { describe, expect, it } from 'vitest';
import { judgeRepeats, type RepeatRuns } from './point-repeats.js';

/** A repeat of runs (ms) with the same CPU wait and co-runner CPU on each. */
const repeat = (ms: readonly number[], waitFraction = 0, otherCores: number | null = 0): RepeatRuns => ({
  callRunsSeconds: ms.map((t) => t / 1e3),
  quality: ms.map(() => ({ preemptions: 0, stallFraction: null, waitFraction, otherCores })),
});

describe('judgeRepeats', () => {
  it('takes the median of the repeats that agree within ±5 % of the median, and reports the spread of all', () => {
    // Repeat figures (median of 3 runs each): 10.0, 10.2, 9.9, 13.0, 10.4 ms. Their median (5 values,
    // the 3rd sorted) is 10.2; ±5 % is [9.69, 10.71]: 10.0, 10.2, 9.9, 10.4 agree, 13.0 does not.
    // 4 agreeing ≥ 3 and ≥ half of 5 usable: clean. Figure: median of {9.9, 10.0, 10.2, 10.4}, an
    // even count, so the lower middle (@oicf/core nearest rank): 10.0. Spread (13.0 − 9.9) ÷ 10.2.
    const j = judgeRepeats([
      repeat([9.8, 10.0, 10.1]),
      repeat([10.2, 10.3, 10.1]),
      repeat([9.9, 9.9, 10.0]),
      repeat([13.0, 12.0, 14.0]),
      repeat([10.4, 10.5, 10.3]),
    ]);
    expect(j.clean).toBe(true);
    expect(j.numUsable).toBe(5);
    expect(j.numAgreeing).toBe(4);
    expect(j.seconds).toBeCloseTo(0.01, 12);
    expect(j.spread).toBeCloseTo((13.0 - 9.9) / 10.2, 9);
    expect(j.repeats.map((r) => r.agrees)).toEqual([true, true, true, false, true]);
  });

  it('drops repeats with too few clean runs or a busy co-runner, and is not clean with fewer than 3 agreeing', () => {
    // Repeat 1: 2 of 3 runs waited 20 % for a CPU (> 5 %): 1 clean run < half of 3, not usable.
    // Repeat 2: co-runners used 1.2 cores (> 1, more than the other core): not usable. Repeats 3 and 4 agree (11 vs 11.2 ms,
    // median of the two the lower, 11; 11.2 is +1.8 %): 2 agreeing < 3, not clean; figure 11 ms.
    const j = judgeRepeats([
      {
        ...repeat([5, 20, 20], 0.2),
        quality: [0, 0.2, 0.2].map((w) => ({ preemptions: 0, stallFraction: null, waitFraction: w })),
      },
      repeat([15, 15, 15], 0, 1.2),
      repeat([11, 11, 11]),
      repeat([11.2, 11.2, 11.2]),
    ]);
    expect(j.repeats.map((r) => r.usable)).toEqual([false, false, true, true]);
    expect(j.repeats[0]?.seconds).toBeNull();
    expect(j.numUsable).toBe(2);
    expect(j.numAgreeing).toBe(2);
    expect(j.clean).toBe(false);
    expect(j.seconds).toBeCloseTo(0.011, 12);
  });

  it("weights a repeat's co-runner CPU by each run's wall time", () => {
    // Runs of 1 ms with 1.0 other cores and 3 ms with 0: (1·1 + 3·0) ÷ (1 + 3) = 0.25 cores.
    const r: RepeatRuns = {
      callRunsSeconds: [0.001, 0.003],
      quality: [
        { preemptions: 0, stallFraction: null, waitFraction: 0, otherCores: 1 },
        { preemptions: 0, stallFraction: null, waitFraction: 0, otherCores: 0 },
      ],
    };
    expect(judgeRepeats([r]).repeats[0]?.otherCores).toBeCloseTo(0.25, 12);
    // Without the signal (files before round 5, hosts without cpuacct) a repeat is judged on waits alone.
    expect(judgeRepeats([repeat([2, 2, 2], 0, null)]).repeats[0]).toMatchObject({ otherCores: null, usable: true });
  });
});
