import { emulationTarget, predictTargetStep } from '@oicf/worker';
import { describe, expect, it } from 'vitest';
import { directOicfStepSeconds, oicfStepTimeModel } from './oicf-step-time.js';
import type { StepShapeQuery } from './step-time-model.js';

// The fast model must be the analytic prediction a worker under --emulate paces to (@oicf/worker
// predictTargetStep), to 1e-9 relative, on any step: checked on a spread of shapes per target, including a
// MoE model (whose prefill is not polynomial in the new tokens, so it falls back to direct evaluation).
function shapes(): StepShapeQuery[] {
  const out: StepShapeQuery[] = [];
  let x = 12345;
  const next = (n: number) => {
    x = (x * 48271) % 2147483647;
    return x % n;
  };
  for (let i = 0; i < 40; i++) {
    out.push({ phase: 'prefill', numNewTokens: 1 + next(20_000), cachedTokens: next(3) === 0 ? 0 : next(120_000) });
    const batch = 1 + next(i < 20 ? 4 : 64);
    out.push({ phase: 'decode', contextTokens: Array.from({ length: batch }, () => 1 + next(100_000)) });
  }
  return out;
}

describe('oicfStepTimeModel', () => {
  it.each(['llama-3.1-70b@h100', 'llama-3-8b@h100', 'mixtral-8x7b@h100', 'llama-3.1-70b@lpddr-decode'])(
    '%s: equals the analytic prediction on every shape',
    (spec) => {
      const target = emulationTarget(spec, 'rdma-400g');
      const fast = oicfStepTimeModel(target);
      expect(fast.label).toBe(spec);
      for (const s of shapes()) {
        const exact = predictTargetStep(target, s).stepSeconds;
        expect(directOicfStepSeconds(target, s)).toBe(exact);
        const got = fast.stepSeconds(s);
        expect(Math.abs(got - exact) / exact).toBeLessThan(1e-9);
      }
    },
  );

  it('names a malformed step', () => {
    const fast = oicfStepTimeModel(emulationTarget('llama-3-8b@h100', 'rdma-400g'));
    expect(() => fast.stepSeconds({ phase: 'decode', contextTokens: [] })).toThrow(/at least one sequence/);
    expect(() => fast.stepSeconds({ phase: 'prefill', numNewTokens: 0, cachedTokens: 0 })).toThrow(/numNewTokens/);
  });
});
