import { describe, expect, it } from 'vitest';
import { countGraph } from '../count/count-graph.js';
import { attr } from '../onnx/graph.js';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { stepFeatures } from './step-features.js';

/**
 * One layer's worth of every kind of matmul the model graphs run, small enough to count by hand:
 *
 *   y  = x [2, 64] · W1 (fp32 weight [64, 32])                   weight GEMM
 *   Wf = DequantizeLinear(Wq (int8 weight [32, 16]), s (fp32 [16]))
 *   y2 = y · Wf  [2, 16]                                           weight GEMM (through dequant)
 *   sc = Gemm(y2, K (KV input [L, 16]), transB)  [2, L]            attention, Gemm, 2 rows per K row
 *   o  = p (input [1, L]) · V (KV input [L, 8])  [1, 8]            attention, MatMul, 1 row per V row
 */
function layerGraph() {
  const b = new GraphBuilder('layer');
  const x = b.input('x', 'float32', [2, 64]);
  const y = b.op1('MatMul', [x, b.initializer('w1', 'float32', [64, 32], new Float32Array(64 * 32))]);
  const wq = b.initializer('wq', 'int8', [32, 16], new Int8Array(32 * 16));
  const s = b.initializer('s', 'float32', [16], new Float32Array(16).fill(0.01));
  const wf = b.op1('DequantizeLinear', [wq, s], { attrs: { axis: attr.int(1) } });
  const y2 = b.op1('MatMul', [y, wf]);
  const K = b.input('kv.b0.l0.k0', 'float32', ['L', 16]);
  const V = b.input('kv.b0.l0.v0', 'float32', ['L', 8]);
  const scores = b.op1('Gemm', [y2, K], { attrs: { transB: attr.int(1) } });
  const o = b.op1('MatMul', [b.input('p', 'float32', [1, 'L']), V]);
  b.outputAs(scores, 'scores', 'float32', [2, 'L']);
  b.outputAs(o, 'o', 'float32', [1, 8]);
  return b.build();
}

describe('stepFeatures of a hand-counted layer', () => {
  const g = layerGraph();
  const L = 100;
  const f = stepFeatures(g, countGraph(g, { dims: { L } }));

  it('splits attention FLOPs by the kernel that runs them', () => {
    // Gemm: 2 · 2 · L · 16 = 64·L = 6,400; MatMul over V: 2 · 1 · 8 · L = 16·L = 1,600.
    expect(f.attentionGemmFlops).toBe(6400);
    expect(f.attentionFlops).toBe(1600);
    // Weight GEMMs, fp32 arithmetic: 2·2·32·64 = 8,192 and (dequantized) 2·2·16·32 = 2,048.
    expect(f.gemmFlops.fp32).toBe(10_240);
  });

  it('splits KV bytes by the query rows each cached row serves', () => {
    // K serves 2 rows (6,400 FLOPs = 2 · 2 · 1,600 elements): kvReadBytes L·16·4 = 6,400.
    // V serves 1 (1,600 FLOPs = 2 · 1 · 800 elements): a stream, kvStreamBytes L·8·4 = 3,200.
    expect(f.kvReadBytes).toBe(6400);
    expect(f.kvStreamBytes).toBe(3200);
  });

  it('counts as resident what the next step reads again: weights, KV, dequantized weights', () => {
    // Weights: W1 64·32·4 = 8,192, Wq 32·16 = 512, s 16·4 = 64 → 8,768. KV: K L·16·4 = 6,400 +
    // V L·8·4 = 3,200 → 9,600. The fp32 weights DequantizeLinear writes: 32·16·4 = 2,048.
    // 8,768 + 9,600 + 2,048 = 20,416.
    expect(f.weightBytes).toEqual({ fp32: 8256, fp16: 0, int8: 512 });
    expect(f.kvReadBytes + f.kvStreamBytes).toBe(9600);
    expect(f.residentBytes).toBe(20_416);
  });
});

describe('stepFeatures of broadcast attention', () => {
  // The dense prefill's shape, hand-sized: q [2 kv heads, 3 groups, T 4, D 8] against
  // Kᵀ [2, 8, C 5] made [2, 1, 8, 5] by an Unsqueeze (broadcast over the groups), then
  // p [2, 3, 4, 5] · V [2, 5, 8] the same way; a third matmul q · Kᵀ without the Unsqueeze
  // ([2, 3, 4, 8] · [2, 3, 8, 5], both plain batched) for comparison.
  const b = new GraphBuilder('attn.prefill');
  const q = b.input('q', 'float32', [2, 3, 4, 8]);
  const kT = b.input('kT', 'float32', [2, 8, 5]);
  const p = b.input('p', 'float32', [2, 3, 4, 5]);
  const v = b.input('v', 'float32', [2, 5, 8]);
  const kPlain = b.input('kPlain', 'float32', [2, 3, 8, 5]);
  const scores = b.op1('MatMul', [q, b.op1('Unsqueeze', [kT, b.ints([1])])]);
  const context = b.op1('MatMul', [p, b.op1('Unsqueeze', [v, b.ints([1])])]);
  const plain = b.op1('MatMul', [q, kPlain]);
  b.outputAs(scores, 'scores', 'float32', [2, 3, 4, 5]);
  b.outputAs(context, 'context', 'float32', [2, 3, 4, 8]);
  b.outputAs(plain, 'plain', 'float32', [2, 3, 4, 5]);
  const g = b.build();
  const f = stepFeatures(g, countGraph(g, { dims: {} }));

  it('counts matmuls against an Unsqueezed operand as broadcast attention, the rest as attention', () => {
    // scores: 2 · (2·3·4) rows · 8 · 5 = 1,920; context: 2 · 24 · 5 · 8 = 1,920 → 3,840 broadcast.
    // plain: 2 · 24 · 8 · 5 = 1,920 attention.
    expect(f.broadcastAttentionFlops).toBe(3840);
    expect(f.attentionFlops).toBe(1920);
    expect(f.attentionGemmFlops).toBe(0);
  });
});
