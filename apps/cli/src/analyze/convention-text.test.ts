import { CONVENTIONS } from '@oicf/core';
import { describe, expect, it } from 'vitest';
import { describeConvention } from './convention-text.js';

describe('describeConvention', () => {
  it.each([
    ['paper', /^paper — bytes: weights \+ KV only; prefill attention causal; /],
    ['oicf', /^oicf — bytes: weights \+ KV \+ activations \(fused kernels\); /],
  ] as const)('%s', (name, pattern) => {
    expect(describeConvention({ name, options: CONVENTIONS[name] })).toMatch(pattern);
  });
  it('says when activations are unfused and elementwise FLOPs counted', () => {
    const options = { ...CONVENTIONS.paper, activationTraffic: 'unfused' as const, countElementwiseFlops: true };
    expect(describeConvention({ name: 'custom', options })).toContain(
      'weights + KV + activations (unfused, scores materialised)',
    );
    expect(describeConvention({ name: 'custom', options })).toContain('elementwise FLOPs counted');
  });
});
