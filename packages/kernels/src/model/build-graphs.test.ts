import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeModel } from '../onnx/onnx-codec.js';
import { KernelRunner } from '../runtime/kernel-runner.js';
import { referenceForward } from '../testing/reference-forward.js';
import { buildDecodeGraph, buildPrefillGraph } from './build-graphs.js';
import { buildModel } from './build-model.js';
import { microConfig, VARIANT_IDS } from './presets.js';
import { WeightStore } from './weight-store.js';

const TOKENS = [256, 72, 101, 108, 108, 111, 33, 10, 7];

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return m;
}

describe('prefill graph semantics (fp32) match a plain-JS forward pass', () => {
  it.each(VARIANT_IDS)('%s', async (variant) => {
    const config = microConfig(variant);
    const runner = new KernelRunner({ config, prefillLogits: 'all' });
    const out = await runner.prefill('s', TOKENS);
    const ref = referenceForward(new WeightStore(config), TOKENS);
    // The reference runs in float64; fp32 rounding over sums of ≤ 128 terms stays far below 1e-4,
    // while a wrong RoPE angle, mask or head grouping moves logits (≈ 1–4 in size) by ≫ 1e-2.
    expect(maxAbsDiff(out.logits, ref)).toBeLessThan(1e-4);
    await runner.close();
  });
});

describe('graph building', () => {
  it.each(VARIANT_IDS)('%s: building twice gives identical ModelProto bytes (deterministic weights)', (variant) => {
    const a = buildModel(microConfig(variant, { weights: 'int8' }));
    const b = buildModel(microConfig(variant, { weights: 'int8' }));
    expect(Buffer.from(a.prefill()).equals(Buffer.from(b.prefill()))).toBe(true);
    expect(Buffer.from(a.decode(2)).equals(Buffer.from(b.decode(2)))).toBe(true);
  });

  it('a different seed changes the weights', () => {
    const a = buildModel(microConfig('gqa', { seed: 1 }));
    const b = buildModel(microConfig('gqa', { seed: 2 }));
    expect(Buffer.from(a.prefill()).equals(Buffer.from(b.prefill()))).toBe(false);
  });

  it('every weight initializer of a graph is distinct (no two tensors share bytes)', () => {
    const g = buildPrefillGraph(new WeightStore(microConfig('moe')), { logits: 'all' });
    const weights = g.initializers.filter((t) => t.role === 'weight' && t.data.byteLength > 256);
    const seen = new Set(weights.map((t) => Buffer.from(t.data).toString('base64')));
    expect(seen.size).toBe(weights.length);
  });

  it('decode graph I/O follow the documented contract', () => {
    const config = microConfig('gqa');
    const g = buildDecodeGraph(new WeightStore(config), 3);
    // 2 layers × 3 sequences × (2 k streams as tiles + open rows, 2 v streams as lead + blocks)
    // cache inputs, plus tokens and positions.
    expect(g.inputs.length).toBe(2 + 2 * 3 * (2 * 2 + 2 * 2));
    const shape = (name: string) => g.inputs.find((i) => i.name === name)?.shape;
    expect(shape('kv.b2.l1.k1')).toEqual(['kTiles.b2', 16, 256]);
    expect(shape('kv.b2.l1.k1.open')).toEqual([1, 'kOpenTokens.b2', 16]);
    expect(shape('kv.b2.l1.v1.lead')).toEqual([1, 'kvLeadTokens.b2', 16]);
    expect(shape('kv.b2.l1.v1')).toEqual([4, 'kvBlockTokens.b2', 16]);
    // MLA keeps one [L, width] input per stream.
    const mla = buildDecodeGraph(new WeightStore(microConfig('mla')), 1);
    expect(mla.inputs.filter((i) => i.name.startsWith('kv.')).map((i) => [i.name, i.shape])).toEqual([
      ['kv.b0.l0.c0', ['contextTokens.b0', 32]],
      ['kv.b0.l0.kr0', ['contextTokens.b0', 8]],
      ['kv.b0.l1.c0', ['contextTokens.b0', 32]],
      ['kv.b0.l1.kr0', ['contextTokens.b0', 8]],
    ]);
    expect(g.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['new_kv.l0.k', [3, 2, 16]],
      ['new_kv.l0.v', [3, 2, 16]],
      ['new_kv.l1.k', [3, 2, 16]],
      ['new_kv.l1.v', [3, 2, 16]],
      ['logits', [3, 259]],
    ]);
  });

  it('prefill graph with logits "last" outputs one row; MLA caches latent + rope streams', async () => {
    const config = microConfig('mla');
    const g = buildPrefillGraph(new WeightStore(config), { logits: 'last' });
    expect(g.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['new_kv.l0.c', [1, 'numNewTokens', 32]],
      ['new_kv.l0.kr', [1, 'numNewTokens', 8]],
      ['new_kv.l1.c', [1, 'numNewTokens', 32]],
      ['new_kv.l1.kr', [1, 'numNewTokens', 8]],
      ['logits', [1, 259]],
    ]);
    const session = await ort.InferenceSession.create(encodeModel(g));
    expect(session.inputNames).toContain('past.l1.kr0');
    await session.release();
  });

  it('rejects a bad decode batch', () => {
    expect(() => buildDecodeGraph(new WeightStore(microConfig('mha')), 0)).toThrow(/positive integer/);
  });
});
