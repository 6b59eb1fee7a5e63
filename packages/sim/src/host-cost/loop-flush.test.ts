import { describe, expect, it } from 'vitest';
import { ZERO_HOST_COST } from './host-cost.js';
import { loopFlushCost, withLoopFlush } from './loop-flush.js';

describe('the decode loop’s measured flush', () => {
  it('is the count-weighted line through the mean flush per batch', () => {
    // Means 1.5, 2.5, 3.5 ms at batch 1, 2, 3 lie on 0.5 ms + 1 ms per sequence, whatever the weights.
    const c = loopFlushCost([
      { batch: 1, count: 10, sumSeconds: 0.015 },
      { batch: 2, count: 5, sumSeconds: 0.0125 },
      { batch: 3, count: 5, sumSeconds: 0.0175 },
    ]);
    expect(c?.secondsPerStep).toBeCloseTo(0.0005, 12);
    expect(c?.secondsPerSequence).toBeCloseTo(0.001, 12);
  });

  it('keeps both coefficients ≥ 0, and is undefined without a flush counted', () => {
    // A falling mean (2 ms at batch 1, 1 ms at batch 2, 10 each): nothing per sequence, the mean 30 ms ÷ 20.
    const flat = loopFlushCost([
      { batch: 1, count: 10, sumSeconds: 0.02 },
      { batch: 2, count: 10, sumSeconds: 0.01 },
    ]);
    expect(flat?.secondsPerSequence).toBe(0);
    expect(flat?.secondsPerStep).toBeCloseTo(0.0015, 12);
    // 0.5 ms at batch 1, 3.5 ms at batch 3 (10 each): the line's intercept is −1 ms, so through the origin:
    // Σ batch·sum ÷ Σ count·batch² = (1 × 5 + 3 × 35) ms ÷ (10 × 1 + 10 × 9) = 1.1 ms per sequence.
    const origin = loopFlushCost([
      { batch: 1, count: 10, sumSeconds: 0.005 },
      { batch: 3, count: 10, sumSeconds: 0.035 },
    ]);
    expect(origin?.secondsPerStep).toBe(0);
    expect(origin?.secondsPerSequence).toBeCloseTo(0.0011, 12);
    expect(loopFlushCost([{ batch: 1, count: 0, sumSeconds: 0 }])).toBeUndefined();
  });

  it('moves out of the regressed per-step and per-sequence CPU, each floored at 0', () => {
    const decode = { ...ZERO_HOST_COST.decode, secondsPerStep: 0.001, secondsPerSequenceStep: 0.0004 };
    const d = withLoopFlush(decode, { secondsPerStep: 0.0005, secondsPerSequence: 0.001 });
    // 1 − 0.5 ms per step; 0.4 − 1 ms per sequence-step floors at 0.
    expect(d.secondsPerStep).toBeCloseTo(0.0005, 12);
    expect(d.secondsPerSequenceStep).toBe(0);
    expect(d.loopFlush).toEqual({ secondsPerStep: 0.0005, secondsPerSequence: 0.001 });
  });
});
