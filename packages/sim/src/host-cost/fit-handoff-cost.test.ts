import { describe, expect, it } from 'vitest';
import { fitHandoffCost, fitLine } from './fit-handoff-cost.js';

describe('fitLine', () => {
  it('recovers a line through exact points and clamps a falling one at slope 0', () => {
    // y = 0.02 + 5e-9·x at x = 1, 2, 3 MB: 0.025, 0.030, 0.035.
    const up = fitLine([1e6, 2e6, 3e6].map((x) => ({ x, y: 0.02 + 5e-9 * x })));
    expect(up.interceptSeconds).toBeCloseTo(0.02, 12);
    expect(up.secondsPerByte).toBeCloseTo(5e-9, 18);
    expect(up.r2).toBeCloseTo(1, 12);
    // Falling: slope clamped to 0, the intercept is the mean (0.3 + 0.2 + 0.1) ÷ 3 = 0.2.
    const down = fitLine([1, 2, 3].map((x, i) => ({ x, y: 0.3 - 0.1 * i })));
    expect(down.secondsPerByte).toBe(0);
    expect(down.interceptSeconds).toBeCloseTo(0.2, 12);
  });
});

describe('fitHandoffCost', () => {
  it('send path = the send line’s slope less the link; import = the first gap’s slope; the rest off the path', () => {
    // Requests of 1, 2, 4 MB: send 0.02 + 11e-9·x, first gap 0.05 + 6e-9·x (the one-token request has none).
    const obs = [1e6, 2e6, 4e6].map((x, i) => ({
      handoffBytes: x,
      sendSeconds: 0.02 + 11e-9 * x,
      firstGapSeconds: i === 1 ? undefined : 0.05 + 6e-9 * x,
    }));
    // Link 3.2 ns a byte; the regression put 40 s of CPU on the run's 1 GB of handoff: 40 ns a byte.
    const fit = fitHandoffCost(obs, { linkSecondsPerByte: 3.2e-9, regressedKvCpuSeconds: 40, handoffBytes: 1e9 });
    // send 11 − 3.2 = 7.8 ns; import 6 ns; off the path 40 − 7.8 − 6 − 3.2 = 23 ns.
    expect(fit.cost.sendSecondsPerByte).toBeCloseTo(7.8e-9, 18);
    expect(fit.cost.importSecondsPerByte).toBeCloseTo(6e-9, 18);
    expect(fit.cost.offPathSecondsPerByte).toBeCloseTo(23e-9, 18);
    expect(fit.firstGap.n).toBe(2);
  });

  it('never prices a cost below 0 (a link slower than the whole send; less regressed CPU than the path)', () => {
    const obs = [1e6, 2e6].map((x) => ({ handoffBytes: x, sendSeconds: 0.01 + 2e-9 * x, firstGapSeconds: 0.05 }));
    const fit = fitHandoffCost(obs, { linkSecondsPerByte: 3e-9, regressedKvCpuSeconds: 1, handoffBytes: 1e9 });
    expect(fit.cost).toEqual({ sendSecondsPerByte: 0, importSecondsPerByte: 0, offPathSecondsPerByte: 0 });
  });
});
