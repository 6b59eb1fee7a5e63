import { attr, type Graph } from '../onnx/graph.js';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { groupedAttention, headMajor, transposeKeys } from './attention-prefill.js';
import type { MoeConfig, TinyModelConfig, WeightPrecision } from './config.js';
import { META_CONFIG, META_MOE_DYNAMIC } from './graph-meta.js';
import { decodeKvInputName, moeRoutingOutputName } from './kv-layout.js';
import { linear, type ModelContext } from './linear.js';
import { type MoeDynamicDim, moeFfn } from './moe.js';
import { WeightStore } from './weight-store.js';

/**
 * The model's building blocks as standalone graphs, for roofline points of one kernel at a
 * time. Same operators as inside the model graphs; inputs named so the counter classifies
 * them (KV inputs `kv.*`), symbolic dims named as in the model graphs.
 */

/** A config carrying only what the block builders read (weights, seed, hidden size, moe). */
function kernelConfig(weights: WeightPrecision, seed: number, hiddenSize: number, moe?: MoeConfig): TinyModelConfig {
  return {
    id: 'kernel',
    numLayers: 1,
    hiddenSize,
    numHeads: 1,
    numKvHeads: 1,
    headDim: 2,
    vocabSize: 1,
    ffnIntermediateSize: 1,
    ...(moe ? { moe } : {}),
    weights,
    seed,
    maxPositions: 1,
    ropeTheta: 10_000,
    rmsNormEpsilon: 1e-5,
  };
}

function context(name: string, config: TinyModelConfig): ModelContext {
  return { b: new GraphBuilder(name), w: new WeightStore(config), config };
}

export interface GemmKernelSpec {
  readonly inDim: number;
  readonly outDim: number;
  readonly weights: WeightPrecision;
  readonly seed?: number;
}

/** y [numNewTokens, outDim] = x [numNewTokens, inDim] · W, through the model's precision-aware linear. */
export function buildGemmKernel(spec: GemmKernelSpec): Graph {
  const ctx = context(
    `kernel.gemm.${spec.weights}.${spec.inDim}x${spec.outDim}`,
    kernelConfig(spec.weights, spec.seed ?? 1, spec.inDim),
  );
  const x = ctx.b.input('x', 'float32', ['numNewTokens', spec.inDim]);
  ctx.b.outputAs(linear(ctx, x, 'w', spec.inDim, spec.outDim), 'y', 'float32', ['numNewTokens', spec.outDim]);
  return ctx.b.build();
}

export interface AttentionKernelSpec {
  readonly numHeads: number;
  readonly numKvHeads: number;
  readonly headDim: number;
}

/**
 * Causal prefill attention without projections: q [numNewTokens, H·D], k/v [numContextTokens,
 * kvH·D], attn_mask [numNewTokens, numContextTokens] → y [numNewTokens, H·D].
 */
export function buildPrefillAttentionKernel(spec: AttentionKernelSpec): Graph {
  const { numHeads: H, numKvHeads: kvH, headDim: D } = spec;
  const ctx = context(`kernel.prefill-attention.h${H}.kv${kvH}.d${D}`, kernelConfig('fp32', 1, H * D));
  const { b } = ctx;
  const q = b.input('q', 'float32', ['numNewTokens', H * D]);
  const k = b.input('k', 'float32', ['numContextTokens', kvH * D]);
  const v = b.input('v', 'float32', ['numContextTokens', kvH * D]);
  const mask = b.input('attn_mask', 'float32', ['numNewTokens', 'numContextTokens']);
  const kT = transposeKeys(ctx, headMajor(ctx, k, kvH, D, 'k_heads'));
  const y = groupedAttention(ctx, q, kT, headMajor(ctx, v, kvH, D, 'v_heads'), mask, {
    numKvHeads: kvH,
    numGroups: H / kvH,
    headDim: D,
  });
  b.outputAs(y, 'y', 'float32', ['numNewTokens', H * D]);
  return b.build();
}

/**
 * Decode attention over cached K/V only (no new token), one branch per sequence and KV head:
 * q [B, H·D]; kv.b<b>.l0.k<h> / v<h> [contextTokens.b<b>, D] → y [B, H·D]. Reads each
 * sequence's cache once: the bandwidth-bound kernel of long-context decode.
 */
export function buildDecodeAttentionKernel(spec: AttentionKernelSpec & { readonly batch: number }): Graph {
  const { numHeads: H, numKvHeads: kvH, headDim: D, batch } = spec;
  const G = H / kvH;
  const ctx = context(`kernel.decode-attention.h${H}.kv${kvH}.d${D}.b${batch}`, kernelConfig('fp32', 1, H * D));
  const { b } = ctx;
  const q = b.input('q', 'float32', [batch, H * D]);
  const qGroups = b.op1(
    'Mul',
    [b.op1('Reshape', [q, b.ints([batch * kvH, G, D])], { name: 'q_groups' }), b.floats([1 / Math.sqrt(D)])],
    {
      name: 'q_scaled',
    },
  );
  const outs: string[] = [];
  for (let s = 0; s < batch; s++) {
    for (let h = 0; h < kvH; h++) {
      outs.push(
        b.scope(`b${s}.h${h}`, () => {
          const qh = b.op1('Gather', [qGroups, b.ints([s * kvH + h], [])], { name: 'q' });
          const K = b.input(decodeKvInputName(s, 0, `k${h}`), 'float32', [`contextTokens.b${s}`, D]);
          const V = b.input(decodeKvInputName(s, 0, `v${h}`), 'float32', [`contextTokens.b${s}`, D]);
          const scores = b.op1('Gemm', [qh, K], { name: 'scores', attrs: { transB: attr.int(1) } });
          const probs = b.op1('Softmax', [scores], { name: 'softmax', attrs: { axis: attr.int(-1) } });
          return b.op1('MatMul', [probs, V], { name: 'context' });
        }),
      );
    }
  }
  const y = b.op1(
    'Reshape',
    [b.op1('Concat', outs, { name: 'heads', attrs: { axis: attr.int(0) } }), b.ints([batch, H * D])],
    {
      name: 'rows',
    },
  );
  b.outputAs(y, 'y', 'float32', [batch, H * D]);
  return b.build();
}

export interface MoeKernelSpec extends MoeConfig {
  readonly hiddenSize: number;
  readonly weights: WeightPrecision;
  readonly seed?: number;
}

/** The MoE FFN alone: x [numNewTokens, hidden] → y, plus its routing `moe.l0.experts`. */
export function buildMoeKernel(spec: MoeKernelSpec): Graph {
  const moe: MoeConfig = {
    numExperts: spec.numExperts,
    topK: spec.topK,
    expertIntermediateSize: spec.expertIntermediateSize,
  };
  const config = kernelConfig(spec.weights, spec.seed ?? 1, spec.hiddenSize, moe);
  const ctx = context(`kernel.moe.${spec.weights}.e${moe.numExperts}k${moe.topK}`, config);
  const { b } = ctx;
  const x = b.input('x', 'float32', ['numNewTokens', spec.hiddenSize]);
  const dynamic: MoeDynamicDim[] = [];
  const r = b.scope('l0.moe', () => moeFfn(ctx, x, 0, dynamic));
  b.outputAs(r.out, 'y', 'float32', ['numNewTokens', spec.hiddenSize]);
  b.outputAs(r.experts, moeRoutingOutputName(0), 'int64', ['numNewTokens', moe.topK]);
  b.setMetadata(META_CONFIG, JSON.stringify({ moe }));
  b.setMetadata(META_MOE_DYNAMIC, JSON.stringify(dynamic));
  return b.build();
}
