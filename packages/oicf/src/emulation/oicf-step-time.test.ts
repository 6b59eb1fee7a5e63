import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../prng.js';
import { emulationTarget, predictTargetStep } from './emulation-target.js';
import { directOicfStepSeconds, oicfStepTimeModel } from './oicf-step-time.js';

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
      // Both phases are its arithmetic regrouped into closed forms (equal up to rounding); the direct
      // evaluation is predictTargetStep itself.
      const want = predictTargetStep(target, step).stepSeconds;
      expect(directOicfStepSeconds(target, step)).toBe(want);
      expect(Math.abs(model.stepSeconds(step) / want - 1)).toBeLessThan(1e-9);
    }
    expect(model.kind).toBe('oicf');
    expect(model.label).toBe('llama-3.1-70b@h100');
  });

  it.each([
    'llama-3.1-70b@h100',
    'deepseek-v3@h200',
    'mixtral-8x7b@b200',
    'llama-3-8b@rubin-cpx',
    'llama-3-8b@h100',
    'llama-3.1-70b@lpddr-decode',
  ])('%s: decode steps of any batch equal predictTargetStep (the fast path is the same arithmetic)', (spec) => {
    const t = emulationTarget(spec, 'rdma-400g');
    const m = oicfStepTimeModel(t);
    const prng = mulberry32(42);
    for (let i = 0; i < 60; i++) {
      const B = 1 + Math.floor(prng.next() * (i < 30 ? 24 : 64));
      const contexts = Array.from({ length: B }, () => 1 + Math.floor(prng.next() * 60_000));
      const want = predictTargetStep(t, { phase: 'decode', contextTokens: contexts }).stepSeconds;
      expect(Math.abs(m.stepSeconds({ phase: 'decode', contextTokens: contexts }) / want - 1)).toBeLessThan(1e-9);
    }
  });

  it.each(['llama-3.1-70b@h100', 'llama-3-8b@h100', 'mixtral-8x7b@h100', 'llama-3.1-70b@lpddr-decode'])(
    '%s: prefill steps of any length and cache equal predictTargetStep (MoE prefill falls back to it)',
    (spec) => {
      const t = emulationTarget(spec, 'rdma-400g');
      const m = oicfStepTimeModel(t);
      const prng = mulberry32(7);
      for (let i = 0; i < 40; i++) {
        const step = {
          phase: 'prefill',
          numNewTokens: 1 + Math.floor(prng.next() * 20_000),
          cachedTokens: prng.next() < 0.3 ? 0 : Math.floor(prng.next() * 120_000),
        } as const;
        const want = predictTargetStep(t, step).stepSeconds;
        expect(Math.abs(m.stepSeconds(step) / want - 1)).toBeLessThan(1e-9);
      }
    },
  );

  it('takes a label for reports', () => {
    expect(oicfStepTimeModel(target, 'tiny-gqa on this machine (analytic)').label).toBe(
      'tiny-gqa on this machine (analytic)',
    );
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

  it('names a hole in a decode batch (the forEach before round 8 skipped it)', () => {
    const holed: number[] = [10];
    holed[2] = 30; // contextTokens[1] was never written
    expect(() => model.stepSeconds({ phase: 'decode', contextTokens: holed })).toThrow(
      /step shape: contextTokens\[1\] must be an integer ≥ 1, got undefined/,
    );
  });
});
