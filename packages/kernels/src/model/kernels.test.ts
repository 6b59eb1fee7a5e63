import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { countGraph } from '../count/count-graph.js';
import type { Graph } from '../onnx/graph.js';
import { encodeModel } from '../onnx/onnx-codec.js';
import { causalMask } from '../runtime/graph-io.js';
import { buildDecodeAttentionKernel, buildGemmKernel, buildMoeKernel, buildPrefillAttentionKernel } from './kernels.js';
import { fillUniform, matrix } from './weights.js';

async function run(
  graph: Graph,
  feeds: Record<string, ort.Tensor>,
): Promise<Record<string, Float32Array | BigInt64Array>> {
  const s = await ort.InferenceSession.create(encodeModel(graph), { intraOpNumThreads: 1 });
  const out = await s.run(feeds);
  await s.release();
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array | BigInt64Array]));
}

const f32 = (n: number, name: string) => fillUniform(new Float32Array(n), 3, name, 1);

/** Naive softmax attention of one query over rows 0..n-1 of K/V (row-major, width D). */
function attend(q: Float32Array, K: Float32Array, V: Float32Array, n: number, D: number): number[] {
  const s = Array.from({ length: n }, (_, j) => {
    let dot = 0;
    for (let i = 0; i < D; i++) dot += (q[i] ?? 0) * (K[j * D + i] ?? 0);
    return dot / Math.sqrt(D);
  });
  const m = Math.max(...s);
  const e = s.map((v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  return Array.from({ length: D }, (_, i) => e.reduce((a, p, j) => a + (p / z) * (V[j * D + i] ?? 0), 0));
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return m;
}

describe('isolated kernels compute what they claim', () => {
  it('GEMM (fp32) equals x·W with the seeded weights; int8 stays within quantization error', async () => {
    const x = f32(5 * 32, 'x');
    const W = matrix(1, 'w', 32, 24); // the kernel's default seed 1, weight name 'w'
    const ref = Array.from({ length: 5 * 24 }, (_, k) => {
      const [r, c] = [Math.floor(k / 24), k % 24];
      let s = 0;
      for (let i = 0; i < 32; i++) s += (x[r * 32 + i] ?? 0) * (W[i * 24 + c] ?? 0);
      return s;
    });
    const fp32 = await run(buildGemmKernel({ inDim: 32, outDim: 24, weights: 'fp32' }), {
      x: new ort.Tensor('float32', x, [5, 32]),
    });
    expect(maxDiff(fp32.y as Float32Array, ref)).toBeLessThan(1e-5);
    const int8 = await run(buildGemmKernel({ inDim: 32, outDim: 24, weights: 'int8' }), {
      x: new ort.Tensor('float32', x, [5, 32]),
    });
    // Activations and weights each carry ≤ 1/254 relative rounding; over 32 terms of size ≤ 0.3
    // the output error stays well under 0.05 (outputs are ~0.5).
    expect(maxDiff(int8.y as Float32Array, ref)).toBeLessThan(0.05);
  });

  it('prefill attention (GQA 4 heads over 2 KV heads) is causal softmax attention', async () => {
    const [T, H, kvH, D] = [4, 4, 2, 8];
    const q = f32(T * H * D, 'q');
    const k = f32(T * kvH * D, 'k');
    const v = f32(T * kvH * D, 'v');
    const out = await run(buildPrefillAttentionKernel({ numHeads: H, numKvHeads: kvH, headDim: D }), {
      q: new ort.Tensor('float32', q, [T, H * D]),
      k: new ort.Tensor('float32', k, [T, kvH * D]),
      v: new ort.Tensor('float32', v, [T, kvH * D]),
      attn_mask: new ort.Tensor('float32', causalMask(0, T), [T, T]),
    });
    const head = (src: Float32Array, n: number, width: number, h: number) =>
      Float32Array.from({ length: n * D }, (_, i) => src[Math.floor(i / D) * width + h * D + (i % D)] ?? 0);
    const ref: number[] = [];
    for (let t = 0; t < T; t++) {
      for (let h = 0; h < H; h++) {
        const g = Math.floor(h / (H / kvH));
        ref.push(
          ...attend(
            q.subarray(t * H * D + h * D, t * H * D + (h + 1) * D),
            head(k, T, kvH * D, g),
            head(v, T, kvH * D, g),
            t + 1,
            D,
          ),
        );
      }
    }
    expect(maxDiff(out.y as Float32Array, ref)).toBeLessThan(1e-5);
  });

  it('decode attention reads each sequence’s own cache length', async () => {
    const [H, kvH, D] = [2, 1, 8];
    const graph = buildDecodeAttentionKernel({ numHeads: H, numKvHeads: kvH, headDim: D, batch: 2 });
    const q = f32(2 * H * D, 'q');
    const lengths = [3, 6];
    const caches = lengths.map((L, b) => ({ K: f32(L * D, `k${b}`), V: f32(L * D, `v${b}`) }));
    const feeds: Record<string, ort.Tensor> = { q: new ort.Tensor('float32', q, [2, H * D]) };
    caches.forEach((c, b) => {
      feeds[`kv.b${b}.l0.k0`] = new ort.Tensor('float32', c.K, [lengths[b] ?? 0, D]);
      feeds[`kv.b${b}.l0.v0`] = new ort.Tensor('float32', c.V, [lengths[b] ?? 0, D]);
    });
    const out = await run(graph, feeds);
    const ref = [0, 1].flatMap((b) =>
      [0, 1].flatMap((h) => {
        const c = caches[b];
        if (c === undefined) throw new Error('cache');
        return attend(q.subarray((b * H + h) * D, (b * H + h + 1) * D), c.K, c.V, lengths[b] ?? 0, D);
      }),
    );
    expect(maxDiff(out.y as Float32Array, ref)).toBeLessThan(1e-5);
    // Counted: K and V of both sequences read once: (3 + 6) tokens × 2 × 8 × 4 B.
    expect(countGraph(graph, { dims: { 'contextTokens.b0': 3, 'contextTokens.b1': 6 } }).totals.kvReadBytes).toBe(
      9 * 2 * 8 * 4,
    );
  });

  it('MoE routes each token to its top-k experts with softmax gates', async () => {
    const spec = { hiddenSize: 16, numExperts: 4, topK: 2, expertIntermediateSize: 8, weights: 'fp32' as const };
    const graph = buildMoeKernel(spec);
    const x = f32(5 * 16, 'x');
    const out = await run(graph, { x: new ort.Tensor('float32', x, [5, 16]) });
    const mv = (row: number[], W: Float32Array, m: number) =>
      Array.from({ length: m }, (_, j) => row.reduce((a, v, i) => a + v * (W[i * m + j] ?? 0), 0));
    const expertIds = out['moe.l0.experts'] as BigInt64Array;
    const ref: number[] = [];
    for (let t = 0; t < 5; t++) {
      const row = Array.from(x.subarray(t * 16, (t + 1) * 16));
      const logits = mv(row, matrix(1, 'l0.moe.router', 16, 4), 4);
      const top = logits
        .map((v, e) => ({ v, e }))
        .sort((a, b) => b.v - a.v)
        .slice(0, 2);
      expect(Array.from(expertIds.subarray(t * 2, t * 2 + 2)).map(Number)).toEqual(top.map((o) => o.e));
      const z = top.reduce((a, o) => a + Math.exp(o.v - (top[0]?.v ?? 0)), 0);
      const y = new Array<number>(16).fill(0);
      for (const o of top) {
        const p = `l0.moe.e${o.e}`;
        const g = mv(row, matrix(1, `${p}.w_gate`, 16, 8), 8);
        const u = mv(row, matrix(1, `${p}.w_up`, 16, 8), 8);
        const d = mv(
          g.map((a, i) => (a / (1 + Math.exp(-a))) * (u[i] ?? 0)),
          matrix(1, `${p}.w_down`, 8, 16),
          16,
        );
        d.forEach((v, i) => {
          y[i] = (y[i] ?? 0) + (Math.exp(o.v - (top[0]?.v ?? 0)) / z) * v;
        });
      }
      ref.push(...y);
    }
    expect(maxDiff(out.y as Float32Array, ref)).toBeLessThan(1e-5);
  });
});
