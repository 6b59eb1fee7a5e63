// The paced loop's two measured parts (paced-loop.ts), from loop totals chosen so each figure is a hand division.
import { describe, expect, it } from 'vitest';
import {
  emulationLoopSeconds,
  type LoopTotals,
  outsidePerIteration,
  outsideStepSeconds,
  pacedLoopSeconds,
} from './paced-loop.js';

const run = (
  numIterations: number,
  loopWallSeconds: number,
  stepSeconds: number,
  loopCpuSeconds: number,
  numSleptSteps = 0,
): LoopTotals => ({
  numIterations,
  loopWallSeconds,
  stepSeconds,
  loopCpuSeconds,
  numSleptSteps,
});

describe('the loop outside its steps, per iteration', () => {
  it('pools runs: (wall − steps) summed ÷ iterations summed; the CPU of the parts outside the steps the same way', () => {
    // (2.0 − 1.5) + (3.0 − 2.5) = 1.0 s over 100 + 200 iterations; CPU (0.3 + 0.5) / 300.
    const runs = [run(100, 2.0, 1.5, 0.3), run(200, 3.0, 2.5, 0.5)];
    expect(outsidePerIteration(runs)).toBeCloseTo(1 / 300, 12);
    expect(outsidePerIteration(runs, true)).toBeCloseTo(0.8 / 300, 12);
    expect(outsidePerIteration([])).toBeNaN();
  });
});

describe('what pacing adds to the loop, per slept step', () => {
  // Window 1: unpaced (1.4 − 1.0) / 100 = 4 ms an iteration outside the steps; paced (2.0 − 1.4) / 100 = 6 ms, 50 of
  // its 100 steps slept: (6 − 4) ms × 100 / 50 = 4 ms a slept step. CPU: 0.2 / 100 = 2 ms against 0.3 / 100 = 3 ms:
  // 1 ms × 100 / 50 = 2 ms a slept step.
  const w1 = { unpaced: [run(100, 1.4, 1.0, 0.2)], paced: [run(100, 2.0, 1.4, 0.3, 50)] };
  // Window 2: 3 ms against 4 ms, every step slept: 1 ms a slept step; CPU 1 ms against 1.5 ms: 0.5 ms.
  const w2 = { unpaced: [run(100, 1.3, 1.0, 0.1)], paced: [run(100, 1.7, 1.3, 0.15, 100)] };

  it('is the mean over the windows of (paced − unpaced) per iteration over the slept steps per iteration', () => {
    expect(emulationLoopSeconds([w1])).toBeCloseTo(0.004, 12);
    expect(emulationLoopSeconds([w1, w2])).toBeCloseTo((0.004 + 0.001) / 2, 12);
    expect(emulationLoopSeconds([w1, w2], true)).toBeCloseTo((0.002 + 0.0005) / 2, 12);
  });

  it('skips a window without both modes or without a slept step, is NaN with none left, and is never negative', () => {
    expect(emulationLoopSeconds([w1, { unpaced: w2.unpaced, paced: [] }])).toBeCloseTo(0.004, 12);
    expect(emulationLoopSeconds([{ unpaced: w1.unpaced, paced: [run(100, 2.0, 1.4, 0.3, 0)] }])).toBeNaN();
    // Paced 3 ms against unpaced 4 ms an iteration: −2 ms a slept step, floored at 0.
    expect(emulationLoopSeconds([{ unpaced: w1.unpaced, paced: [run(100, 1.7, 1.4, 0.2, 50)] }])).toBe(0);
  });
});

describe('the out-of-step work the fit put inside the twin’s step', () => {
  it('is the real loop’s time outside its steps less the twin’s, floored at 0', () => {
    // Real 15.5 − 11.3 = 4.2 ms outside; twin 15.6 − 12.5 = 3.1 ms: 1.1 ms.
    const real = { loopSecondsPerStep: 0.0155, stepSecondsPerStep: 0.0113 };
    expect(outsideStepSeconds(real, { loopSecondsPerStep: 0.0156, stepSecondsPerStep: 0.0125 })).toBeCloseTo(
      0.0011,
      12,
    );
    // The twin already longer outside its steps (26.1 − 16.8 = 9.3 ms): nothing.
    expect(outsideStepSeconds(real, { loopSecondsPerStep: 0.0261, stepSecondsPerStep: 0.0168 })).toBe(0);
  });

  it('adds to the emulation part after a slept step; nothing without the cost', () => {
    expect(
      pacedLoopSeconds({ outsideStepSeconds: 0.002, emulationSeconds: 0.003, emulationCpuSeconds: 0.001 }),
    ).toBeCloseTo(0.005, 12);
    expect(pacedLoopSeconds(undefined)).toBe(0);
  });
});
