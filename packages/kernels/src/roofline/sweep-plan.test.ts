import { describe, expect, it } from 'vitest';
import { planSweep, QUICK_SWEEP } from './sweep-plan.js';

describe('planSweep', () => {
  it('covers every variant × precision: prefill lengths, then decode batch × context', () => {
    const plan = planSweep(QUICK_SWEEP);
    // 4 variants × 2 precisions × (1 prefill + 2 decode contexts × 1 batch).
    expect(plan.length).toBe(4 * 2 * 3);
    expect(plan.slice(0, 3)).toEqual([
      { variant: 'mha', weights: 'fp32', phase: 'prefill', batch: 1, newTokens: 256, contextTokens: [0] },
      { variant: 'mha', weights: 'fp32', phase: 'decode', batch: 1, newTokens: 1, contextTokens: [1024] },
      { variant: 'mha', weights: 'fp32', phase: 'decode', batch: 1, newTokens: 1, contextTokens: [8192] },
    ]);
  });

  it('skips decode points whose KV would exceed the budget', () => {
    // tiny-mha keeps 4 layers × 1024 elements × 4 B = 16 KiB per token: batch 4 at 16384
    // tokens needs 4 · 16385 · 16 KiB ≈ 1.0 GiB; a 0.5 GiB budget drops it, keeps batch 1.
    const plan = planSweep({
      size: 'tiny',
      variants: ['mha'],
      precisions: ['fp32'],
      prefillTokens: [],
      decodeContexts: [16_384],
      decodeBatches: [1, 4],
      maxKvBytes: 2 ** 29,
    });
    expect(plan.map((p) => p.batch)).toEqual([1]);
  });
});
