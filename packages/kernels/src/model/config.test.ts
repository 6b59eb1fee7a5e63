import { describe, expect, it } from 'vitest';
import { configKey, ModelConfigError, parseModelConfig } from './config.js';
import { microConfig, tinyConfig } from './presets.js';

describe('parseModelConfig', () => {
  it('accepts the presets', () => {
    expect(parseModelConfig(tinyConfig('mla'))).toEqual(tinyConfig('mla'));
  });

  it('lists every bad field by path at once', () => {
    const bad = {
      ...microConfig('moe'),
      numKvHeads: 3,
      headDim: 15,
      weights: 'int4',
      moe: { numExperts: 2, topK: 3, expertIntermediateSize: 8 },
    };
    let caught: unknown;
    try {
      parseModelConfig(bad);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ModelConfigError);
    const paths = (caught as ModelConfigError).issues.map((i) => i.path).sort();
    expect(paths).toEqual(['headDim', 'moe.topK', 'weights']);
  });

  it('checks that KV heads divide query heads once the rest is valid', () => {
    expect(() => parseModelConfig({ ...microConfig('gqa'), numKvHeads: 3 })).toThrow(
      /numKvHeads: must divide numHeads \(4\)/,
    );
  });

  it('rejects unknown fields', () => {
    expect(() => parseModelConfig({ ...microConfig('gqa'), layers: 2 })).toThrow(ModelConfigError);
  });
});

describe('configKey', () => {
  it('is stable under key order and sees nested fields', () => {
    const a = microConfig('mla');
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    expect(configKey(reordered)).toBe(configKey(a));
    const b = {
      ...a,
      mla: { ...(a.mla ?? { kvLoraRank: 1, qkNopeHeadDim: 1, qkRopeHeadDim: 2, vHeadDim: 1 }), kvLoraRank: 64 },
    };
    expect(configKey(b)).not.toBe(configKey(a));
  });
});
