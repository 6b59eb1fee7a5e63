import { describe, expect, it } from 'vitest';
import { decodeKernelScale, splitDecodeRequestCpu, withDecodeKernelScale } from './decode-meter.js';
import type { KernelPricing } from './fit-host-cost.js';

// A calibrated pricing by hand: a prefill of n tokens 1 ms a token; a decode step 2 ms a sequence + 1 µs a context
// token; over the run prefill-0's kernels 10 s, decode-0's 4 s.
const K: KernelPricing = {
  prefillStepSeconds: (n) => 0.001 * n,
  decodeStepSeconds: (batch, context) => 0.002 * batch + 1e-6 * context,
  meanDecodeContextTokens: 1000,
  totalSeconds: (name) => ({ 'prefill-0': 10, 'decode-0': 4 })[name],
};
const isDecode = (name: string) => name.startsWith('decode');

describe('the decode kernels’ level from the loop meter', () => {
  it('is the step parts’ CPU over the calibrated seconds of the same steps', () => {
    // 14 s of step CPU over 2,000 steps (7 ms a step) where the calibrated model says 8 s: × 1.75.
    expect(decodeKernelScale({ stepCpuSeconds: 14, calibratedKernelSeconds: 8, steps: 2000 })).toBe(1.75);
    // Nothing metered, or nothing calibrated: no level.
    expect(decodeKernelScale({ stepCpuSeconds: 14, calibratedKernelSeconds: 8, steps: 0 })).toBeUndefined();
    expect(decodeKernelScale({ stepCpuSeconds: 0, calibratedKernelSeconds: 8, steps: 2000 })).toBeUndefined();
    expect(decodeKernelScale({ stepCpuSeconds: 14, calibratedKernelSeconds: 0, steps: 2000 })).toBeUndefined();
  });

  it('scales what the regression subtracts on the decode workers only', () => {
    const k = withDecodeKernelScale(K, 1.5, isDecode);
    // decode-0: 4 s × 1.5 = 6 s; prefill-0 unchanged; a worker the pricing does not know stays unknown.
    expect(k.totalSeconds?.('decode-0')).toBeCloseTo(6, 12);
    expect(k.totalSeconds?.('prefill-0')).toBe(10);
    expect(k.totalSeconds?.('decode-9')).toBeUndefined();
    // A decode step of 2 sequences at 1,000 tokens: (0.004 + 0.001) × 1.5 = 0.0075 s; a 100-token prefill 0.1 s.
    expect(k.decodeStepSeconds(2, 1000)).toBeCloseTo(0.0075, 12);
    expect(k.prefillStepSeconds(100)).toBeCloseTo(0.1, 12);
    expect(k.meanDecodeContextTokens).toBe(1000);
    expect(() => withDecodeKernelScale(K, 0, isDecode)).toThrow(/decode kernel scale must be > 0, got 0/);
  });
});

describe('the per-request decode CPU split by where it runs', () => {
  it('keeps the measured call and finish work per request and charges the rest per loop turn', () => {
    // Regressed 39 ms a request; measured 0.4 ms a call + 4.3 ms a finish = 4.7 ms on the path. The rest, 34.3 ms
    // × 300 requests = 10.29 s, over 4,000 loop turns: 2.5725 ms a turn.
    const s = splitDecodeRequestCpu({
      secondsPerRequest: 0.039,
      measuredSecondsPerRequest: 0.0047,
      numRequests: 300,
      numSteps: 4000,
    });
    expect(s.secondsPerRequest).toBeCloseTo(0.0047, 12);
    expect(s.turnSecondsPerStep).toBeCloseTo(0.0025725, 12);
  });

  it('never charges more on the path than the regression had, and changes nothing without turns to spread over', () => {
    const base = { secondsPerRequest: 0.003, numRequests: 300, numSteps: 4000 };
    // Measured 5 ms > the regressed 3 ms: 3 ms stays on the path, nothing per turn.
    expect(splitDecodeRequestCpu({ ...base, measuredSecondsPerRequest: 0.005 })).toEqual({
      secondsPerRequest: 0.003,
      turnSecondsPerStep: 0,
    });
    expect(splitDecodeRequestCpu({ ...base, measuredSecondsPerRequest: 0.001, numSteps: 0 })).toEqual({
      secondsPerRequest: 0.003,
      turnSecondsPerStep: 0,
    });
  });
});
