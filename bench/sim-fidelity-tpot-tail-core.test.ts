import { describe, expect, it } from 'vitest';
import { lowerMedian, nearestRank, tpotTail } from './sim-fidelity-tpot-tail-core.js';

const rec = (gaps: number[]) => ({ status: 'ok' as const, interTokenSeconds: gaps, numOutputTokens: gaps.length + 1 });

describe('tpotTail', () => {
  it('finds who is at the TPOT p90 and how much of their gap time is the first gap', () => {
    // Ten requests. Nine stream evenly: gaps [0.01, 0.011] → TPOT 10.5 ms. One waits 0.3 s for its handoff,
    // then streams: gaps [0.3, 0.01, 0.01, 0.01] → TPOT 0.33 ÷ 4 = 82.5 ms. Nearest-rank p90 = the 9th of
    // the 10 sorted TPOTs = 10.5 ms, so all ten are at or above it.
    const nine = Array.from({ length: 9 }, () => rec([0.01, 0.011]));
    const slow = rec([0.3, 0.01, 0.01, 0.01]);
    const t = tpotTail([...nine, slow]);
    expect(t.tpotP90Seconds).toBeCloseTo(0.0105, 12);
    expect(t.tail.n).toBe(10);
    // All first gaps 9 × 0.01 + 0.3 = 0.39 s of 9 × 0.021 + 0.33 = 0.519 s of gaps.
    expect(t.all.firstGapShare).toBeCloseTo(0.39 / 0.519, 12);
    // Without the first gap: nine at 11 ms, one at 10 ms; the 9th of 10 sorted is 11 ms.
    expect(t.tpotP90WithoutFirstGapSeconds).toBeCloseTo(0.011, 12);
    // Other gaps pooled: nine 0.011 and three 0.01: twelve values, lower median (the 6th sorted) 0.011.
    expect(t.all.otherGapMedianSeconds).toBeCloseTo(0.011, 12);
    expect(t.all.outputTokensMedian).toBe(3);
  });
  it('leaves out failed requests and those with no gap', () => {
    const t = tpotTail([rec([0.02]), { status: 'error', interTokenSeconds: [9], numOutputTokens: 2 }, rec([])]);
    expect(t.all.n).toBe(1);
    expect(t.tpotP90Seconds).toBeCloseTo(0.02, 12);
  });
});

describe('percentiles', () => {
  it('lower median and nearest rank', () => {
    expect(lowerMedian([4, 1, 3, 2])).toBe(2);
    expect(nearestRank([5, 1, 4, 2, 3], 0.9)).toBe(5); // ⌈4.5⌉ = 5th
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
  });
});
