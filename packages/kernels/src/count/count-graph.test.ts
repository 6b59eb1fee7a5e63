import { describe, expect, it } from 'vitest';
import { buildDecodeGraph, buildPrefillGraph } from '../model/build-graphs.js';
import { buildMoeKernel } from '../model/kernels.js';
import { microConfig } from '../model/presets.js';
import { WeightStore } from '../model/weight-store.js';
import { attr } from '../onnx/graph.js';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { encodeModel } from '../onnx/onnx-codec.js';
import { countGraph } from './count-graph.js';

/** x [rows, k] · W [k, n] (fp32 weight) → y, optionally through a reshape and a Gemm with bias. */
function matmulGraph(k: number, n: number) {
  const b = new GraphBuilder('mm');
  const x = b.input('x', 'float32', ['rows', k]);
  const y = b.op1('MatMul', [x, b.initializer('w', 'float32', [k, n], new Float32Array(k * n))]);
  const r = b.op1('Reshape', [y, b.ints([-1, n])]);
  b.outputAs(r, 'y', 'float32', ['rows', n]);
  return b.build();
}

describe('per-node counts of small graphs (hand-derived)', () => {
  it.each([
    // rows, k, n: FLOPs 2·rows·n·k; read x (4·rows·k) + W (4·k·n); write y (4·rows·n).
    [1, 64, 32],
    [7, 16, 48],
  ])('MatMul rows=%i k=%i n=%i', (rows, k, n) => {
    const c = countGraph(matmulGraph(k, n), { dims: { rows } });
    const mm = c.nodes.find((x) => x.opType === 'MatMul');
    expect(mm).toMatchObject({
      flops: 2 * rows * n * k,
      matmulFlops: 2 * rows * n * k,
      bytesRead: 4 * (rows * k + k * n),
      bytesWritten: 4 * rows * n,
    });
    // Reshape and the output Identity are views: no FLOPs, no bytes.
    expect(c.nodes.filter((x) => x.kind === 'view').every((x) => x.bytesRead + x.bytesWritten + x.flops === 0)).toBe(
      true,
    );
    expect(c.totals).toMatchObject({ weightBytes: 4 * k * n, kvReadBytes: 0, kvWriteBytes: 0, idealBytes: 4 * k * n });
  });

  it('Gemm with a bias: the bias add counts as FLOPs but not as matmul FLOPs', () => {
    const b = new GraphBuilder('gemm');
    const q = b.input('q', 'float32', [3, 8]);
    const kv = b.input('kv.b0.l0.k0', 'float32', ['L', 8]);
    const bias = b.input('bias', 'float32', [3, 'L']);
    b.outputAs(b.op1('Gemm', [q, kv, bias], { attrs: { transB: attr.int(1) } }), 'y', 'float32', [3, 'L']);
    const c = countGraph(b.build(), { dims: { L: 10 } });
    // 2·3·10·8 = 480 multiply-add FLOPs + 3·10 = 30 adds; the kv.* input is a KV read: 10·8·4 B.
    expect(c.totals).toMatchObject({ matmulFlops: 480, flops: 510, kvReadBytes: 320, weightBytes: 0 });
  });

  it('a Gather from a weight table reads the rows it takes, at most every row once', () => {
    const b = new GraphBuilder('gather');
    const ids = b.input('ids', 'int64', ['n']);
    b.outputAs(
      b.op1('Gather', [b.initializer('table', 'float32', [10, 4], new Float32Array(40)), ids]),
      'y',
      'float32',
      ['n', 4],
    );
    const g = b.build();
    expect(countGraph(g, { dims: { n: 3 } }).totals.weightBytes).toBe(3 * 4 * 4);
    expect(countGraph(g, { dims: { n: 25 } }).totals.weightBytes).toBe(10 * 4 * 4);
  });

  it.each([
    // Shape(tail [1, r, 4], start, end) → the Slice end: y = x[:, 0 : dims[0]] of x [2, 9].
    [1, 2, 3], // dims [r] = [3] → y [2, 3]
    [-2, -1, 3], // negative attrs count from the rank: dims [r] again
    [0, 1, 1], // dims [1] → y [2, 1]
  ])('Shape start=%i end=%i bounds a Slice: %i columns', (start, end, cols) => {
    const b = new GraphBuilder('shape');
    const x = b.input('x', 'float32', [2, 9]);
    const tail = b.input('tail', 'float32', [1, 'r', 4]);
    const n = b.op1('Shape', [tail], { attrs: { start: attr.int(start), end: attr.int(end) } });
    b.outputAs(b.op1('Slice', [x, b.ints([0]), n, b.ints([1])]), 'y', 'float32', [2, 'c']);
    const slice = countGraph(b.build(), { dims: { r: 3 } }).nodes.find((c) => c.opType === 'Slice');
    expect(slice?.bytesWritten).toBe(2 * cols * 4);
  });

  it('throws naming the missing dim', () => {
    expect(() => countGraph(matmulGraph(4, 4), { dims: {} })).toThrow(/input x needs dims.rows/);
  });
});

describe('whole micro models (hand-derived)', () => {
  it('micro-gqa decode, batch 2 at contexts 5 and 9', () => {
    const g = buildDecodeGraph(new WeightStore(microConfig('gqa')), 2);
    const c = countGraph(g, { dims: { 'contextTokens.b0': 5, 'contextTokens.b1': 9 } });
    // d=64, H=4, kvH=2, D=16, I=128, V=259, 2 layers, B=2. Per layer:
    //   qkv 2·2·64·(4+2·2)·16 = 32768; o 2·2·64·64 = 16384; gate_up 2·2·64·256 = 65536;
    //   down 2·2·128·64 = 32768; QK 2·H·Σ(L+1)·D = 2·4·16·16 = 2048; PV 2048 → 151552.
    // 2 layers 303104 + lm_head 2·2·64·259 = 66304 → 369408.
    expect(c.totals.matmulFlops).toBe(369_408);
    // Weights (fp32 elements): per layer qkv 8192 + o 4096 + ffn 24576 + 2 norms 128 = 36992;
    // ×2 = 73984, final norm 64, lm_head 16576, 2 embedding rows 128 → 90752 × 4 B = 363008.
    // KV read (5+9) tokens × 2 layers × 64 elements × 4 B = 7168; written 2 × 2 × 64 × 4 = 1024.
    expect(c.totals).toMatchObject({
      weightBytes: 363_008,
      kvReadBytes: 7168,
      kvWriteBytes: 1024,
      idealBytes: 371_200,
    });
    expect(c.totals.intensityFlopsPerByte).toBeCloseTo(c.totals.flops / 371_200, 12);
  });

  it.each([1, 3, 4, 6])('micro-mha decode at L = %i: K tile and V block dims follow from contextTokens', (L) => {
    const g = buildDecodeGraph(new WeightStore(microConfig('mha')), 1);
    const c = countGraph(g, { dims: { 'contextTokens.b0': L } });
    // Every cached row read once, whatever its split (K tiles + open rows, V lead + blocks): L tokens × 2 layers ×
    // (4 K + 4 V heads × 16) elements × 4 B; attention 2·H·(L+1)·D for QK and PV per layer.
    expect(c.totals.kvReadBytes).toBe(L * 2 * 128 * 4);
    const attention = c.nodes.filter((n) => /scores_tiles|scores_fresh|context_blocks|context_fresh/.test(n.name));
    expect(attention.reduce((a, n) => a + n.matmulFlops, 0)).toBe(2 * 2 * 2 * 4 * (L + 1) * 16);
  });

  it('micro-mha prefill of 5 tokens over a 3-token prefix, from ModelProto bytes', () => {
    const g = buildPrefillGraph(new WeightStore(microConfig('mha')), { logits: 'all' });
    const dims = { numNewTokens: 5, numPastTokens: 3, numContextTokens: 8 };
    const c = countGraph(encodeModel(g), { dims });
    // T=5, P=3, d=64, H=kvH=4, D=16. Per layer: qkv 2·5·64·192 = 122880; o 40960;
    // ffn 163840 + 81920; full-square QK 2·4·5·8·16 = 5120, PV 5120 → 419840; ×2 = 839680;
    // lm_head on all 5 tokens 2·5·64·259 = 165760 → 1005440.
    expect(c.totals.matmulFlops).toBe(1_005_440);
    // Prefix KV read once: 3 tokens × 2 layers × 128 elements × 4 B; 5 new tokens written.
    expect(c.totals.kvReadBytes).toBe(3 * 2 * 128 * 4);
    expect(c.totals.kvWriteBytes).toBe(5 * 2 * 128 * 4);
    expect(countGraph(g, { dims }).totals).toEqual(c.totals);
  });

  it('MoE: FLOPs follow the tokens routed; idle experts read no weights', () => {
    const g = buildMoeKernel({ hiddenSize: 64, numExperts: 4, topK: 2, expertIntermediateSize: 32, weights: 'fp32' });
    // 3 tokens × top-2 = 6 rows, all sent to experts 0 and 2.
    const routed = countGraph(g, { dims: { numNewTokens: 3 }, moeTokensPerExpert: [[3, 0, 3, 0]] });
    // router 2·3·64·4 = 1536; experts 6 rows × (2·64·64 gate_up + 2·32·64 down) = 6 × 12288.
    expect(routed.totals.matmulFlops).toBe(1536 + 6 * 12_288);
    // Weights: router 64·4 + two experts × (64·64 + 32·64) elements, fp32.
    expect(routed.totals.weightBytes).toBe(4 * (256 + 2 * 6144));
    // Default: the expectation 3·2/4 = 1.5 rows per expert: same FLOPs, every expert read.
    const expected = countGraph(g, { dims: { numNewTokens: 3 } });
    expect(expected.totals.matmulFlops).toBe(routed.totals.matmulFlops);
    expect(expected.totals.weightBytes).toBe(4 * (256 + 4 * 6144));
  });
});
