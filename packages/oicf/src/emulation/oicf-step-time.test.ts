import { describe, expect, it } from 'vitest';
import { emulationTarget, predictTargetStep } from './emulation-target.js';
import { oicfStepTimeModel } from './oicf-step-time.js';

describe('oicfStepTimeModel', () => {
  const target = emulationTarget('llama-3.1-70b@h100', 'rdma-400g');
  const model = oicfStepTimeModel(target);

  it('returns exactly what --emulate paces to (predictTargetStep) for prefill and decode', () => {
    for (const step of [
      { phase: 'prefill', numNewTokens: 2048, cachedTokens: 0 },
      { phase: 'prefill', numNewTokens: 512, cachedTokens: 4096 },
      { phase: 'decode', contextTokens: [1000] },
      { phase: 'decode', contextTokens: [1000, 30_000, 7] },
    ] as const) {
      expect(model.stepSeconds(step)).toBe(predictTargetStep(target, step).stepSeconds);
    }
    expect(model.kind).toBe('oicf');
    expect(model.label).toBe('llama-3.1-70b@h100');
  });

  it('a decode step is no faster than reading each H100 shard of the bf16 weights once', () => {
    // 70,553,706,496 parameters · 2 bytes = 141.1e9 bytes over 4 devices, each at 3.35 TB/s:
    // 141,107,412,992 / 4 / 3.35e12 = 10.53 ms (emulation.test.ts in @oicf/worker derives the sharding).
    expect(model.stepSeconds({ phase: 'decode', contextTokens: [1] })).toBeGreaterThanOrEqual(
      141_107_412_992 / 4 / 3.35e12,
    );
  });

  it('names a malformed step instead of pricing it', () => {
    expect(() => model.stepSeconds({ phase: 'decode', contextTokens: [10, 0] })).toThrow(
      /step shape: contextTokens\[1\] must be an integer ≥ 1, got 0/,
    );
    expect(() => model.stepSeconds({ phase: 'prefill', numNewTokens: 3, cachedTokens: -1 })).toThrow(
      /cachedTokens must be an integer ≥ 0, got -1/,
    );
  });
});
