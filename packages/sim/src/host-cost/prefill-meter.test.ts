import { describe, expect, it } from 'vitest';
import { ZERO_HOST_COST } from './host-cost.js';
import { type PrefillMeterTotals, prefillMeterCost, withPrefillMeter } from './prefill-meter.js';

// A run of 200 prefill steps: 88 s of kernel-part CPU where the calibrated model says 80 s; 1 s of pace-part CPU;
// the send part 8 s of CPU in 16 s of wall over 1 GB of handoffs.
const T: PrefillMeterTotals = {
  kernelCpuSeconds: 88,
  calibratedKernelSeconds: 80,
  paceCpuSeconds: 1,
  steps: 200,
  sendCpuSeconds: 8,
  sendWallSeconds: 16,
  handoffBytes: 1e9,
};

describe('the prefill service from the loop meter', () => {
  it('takes the kernel level, the per-step CPU and the send CPU from the totals', () => {
    // Scale 88 ÷ 80 = 1.1; per step 1 s ÷ 200 = 5 ms; send line 40 ms + 8 ns a byte at CPU ÷ wall = 8 ÷ 16 = 0.5:
    // 20 ms a send + 4 ns a byte.
    const c = prefillMeterCost(T, { interceptSeconds: 0.04, secondsPerByte: 8e-9 });
    expect(c?.kernelScale).toBeCloseTo(1.1, 12);
    expect(c?.secondsPerStep).toBeCloseTo(0.005, 12);
    expect(c?.sendCpu?.secondsPerSend).toBeCloseTo(0.02, 12);
    expect(c?.sendCpu?.secondsPerByte).toBeCloseTo(4e-9, 18);
  });

  it('puts the send CPU all per byte without a usable line, and gives nothing without metered steps', () => {
    // 8 s ÷ 1e9 bytes = 8 ns a byte.
    const c = prefillMeterCost(T, { interceptSeconds: -0.01, secondsPerByte: 9e-9 });
    expect(c?.sendCpu).toEqual({ secondsPerSend: 0, secondsPerByte: 8e-9 });
    expect(prefillMeterCost(T, undefined)?.sendCpu).toEqual({ secondsPerSend: 0, secondsPerByte: 8e-9 });
    expect(prefillMeterCost({ ...T, steps: 0 }, undefined)).toBeUndefined();
    expect(prefillMeterCost({ ...T, kernelCpuSeconds: 0 }, undefined)).toBeUndefined();
  });

  it('replaces the regressed per-step and per-token CPU, keeping the rest', () => {
    const regressed = { secondsPerStep: 0.086, secondsPerToken: 1e-6, secondsPerKvByte: 2e-9, busyCores: 0.01 };
    const m = { kernelScale: 1.1, secondsPerStep: 0.005, sendCpu: { secondsPerSend: 0.02, secondsPerByte: 4e-9 } };
    expect(withPrefillMeter(regressed, m)).toEqual({
      secondsPerStep: 0.005,
      secondsPerToken: 0,
      secondsPerKvByte: 2e-9,
      busyCores: 0.01,
      kernelScale: 1.1,
      sendCpu: m.sendCpu,
    });
    expect(withPrefillMeter(ZERO_HOST_COST.prefill, { ...m, sendCpu: undefined }).sendCpu).toBeUndefined();
  });
});
