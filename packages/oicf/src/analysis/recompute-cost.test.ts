import { describe, expect, it } from 'vitest';
import { unwrap } from '../errors.js';
import { getDevice } from '../hardware/devices.js';
import { getModel } from '../models/lookup.js';
import { analyzePoint } from './analyze-point.js';
import { recomputeSecondsForBlockOf } from './recompute-cost.js';

describe('recomputeSecondsForBlockOf', () => {
  const target = { modelId: 'llama-3-8b', deviceId: 'h100', precision: 'bf16', blockTokens: 64 } as const;

  it("is @oicf/core's prefill of one block after its cached prefix, and grows with the position", () => {
    const f = recomputeSecondsForBlockOf(target);
    const direct = analyzePoint({
      model: unwrap(getModel('llama-3-8b')),
      device: unwrap(getDevice('h100')),
      precision: { weights: 'bf16', kv: 'bf16', activations: 'bf16' },
      phase: 'prefill',
      batch: 1,
      newTokens: 64,
      cachedTokens: 10 * 64,
    }).predicted.stepSeconds;
    expect(f(10)).toBe(direct);
    // Block 1000 attends over 64,000 cached tokens, block 0 over none: its recompute costs more.
    expect(f(1000)).toBeGreaterThan(f(0));
    expect(f(10)).toBe(f(10));
  });

  it('names an unknown model', () => {
    expect(() => recomputeSecondsForBlockOf({ ...target, modelId: 'nope' })).toThrow(/unknown model 'nope'/);
  });
});
