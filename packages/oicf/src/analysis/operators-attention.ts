import type { MlaSpec, OperatorRow } from '../types.js';
import { type OperatorContext, operatorRow } from './operator-row.js';

// Attention operators of one step, all layers. Notation (per layer): N new tokens, A attention
// (query, key) pairs, K attended keys, R keys read from memory (see OperatorContext), h hidden,
// H heads, G kv heads, d head dim. A multiply-add is 2 FLOPs.

/** qkv_proj, attention_score, softmax, attention_value, out_proj (+ mla_kv_up for MLA). */
export function attentionRows(ctx: OperatorContext): OperatorRow[] {
  return ctx.model.mla ? mlaRows(ctx, ctx.model.mla) : standardRows(ctx);
}

function softmaxRow(ctx: OperatorContext): OperatorRow {
  const scores = ctx.shape.numAttentionPairs * ctx.model.numHeads;
  return operatorRow(ctx, 'softmax', ctx.model.numLayers, {
    flops: ctx.options.countElementwiseFlops ? ctx.options.softmaxFlopsPerElement * scores : 0,
    // Unfused: the score matrix is read and written once more.
    unfusedActivationElements: 2 * scores,
  });
}

function standardRows(ctx: OperatorContext): OperatorRow[] {
  const { model, shape } = ctx;
  const layers = model.numLayers;
  const n = shape.numNewTokens;
  const pairs = shape.numAttentionPairs;
  const h = model.hiddenSize;
  const heads = model.numHeads;
  const kvHeads = model.numKvHeads;
  const d = model.headDim;
  const qkvOut = (heads + 2 * kvHeads) * d;
  const scores = pairs * heads;
  return [
    operatorRow(ctx, 'qkv_proj', layers, {
      flops: 2 * n * h * qkvOut,
      weightElements: h * qkvOut,
      kvWriteElements: n * 2 * kvHeads * d,
      // Fused QKV GEMM reads the input once and writes Q (K/V go to the cache); unfused q, k, v
      // projections read it three times.
      activationElements: n * h + n * heads * d,
      unfusedActivationElements: 2 * n * h,
    }),
    operatorRow(ctx, 'attention_score', layers, {
      flops: 2 * pairs * heads * d,
      kvReadElements: ctx.numKvReadTokens * kvHeads * d,
      activationElements: n * heads * d,
      unfusedActivationElements: scores,
    }),
    softmaxRow(ctx),
    operatorRow(ctx, 'attention_value', layers, {
      flops: 2 * pairs * heads * d,
      kvReadElements: ctx.numKvReadTokens * kvHeads * d,
      activationElements: n * heads * d,
      unfusedActivationElements: scores,
    }),
    operatorRow(ctx, 'out_proj', layers, {
      flops: 2 * n * heads * d * h,
      weightElements: heads * d * h,
      activationElements: n * heads * d + n * h,
    }),
  ];
}

/** MLA (DeepSeek-V2/V3). Expanded: up-project the cached latent (kvLoraRank) of every attended key
 * to per-head K_nope and V, then attention as MHA with qk dim nope+rope and v dim vHeadDim.
 * Absorbed: fold W_UK into the query and W_UV into the output, so attention runs over the cached
 * latent directly: score dim kvLoraRank+rope, value dim kvLoraRank, one latent shared by all heads. */
function mlaRows(ctx: OperatorContext, mla: MlaSpec): OperatorRow[] {
  const { model, shape, options } = ctx;
  const layers = model.numLayers;
  const n = shape.numNewTokens;
  const pairs = shape.numAttentionPairs;
  const keys = shape.numAttendedKeys;
  const h = model.hiddenSize;
  const heads = model.numHeads;
  const { kvLoraRank: c, qLoraRank: q, qkNopeHeadDim: nope, qkRopeHeadDim: rope, vHeadDim: v } = mla;
  const qk = nope + rope;
  const latent = c + rope;
  const mode =
    options.mlaAttention === 'auto' ? (shape.phase === 'prefill' ? 'expanded' : 'absorbed') : options.mlaAttention;
  const qWeights = q > 0 ? h * q + q * heads * qk : h * heads * qk;
  const scores = pairs * heads;
  const rows: OperatorRow[] = [
    operatorRow(ctx, 'qkv_proj', layers, {
      flops: 2 * n * (qWeights + h * latent),
      weightElements: qWeights + h * latent,
      kvWriteElements: n * latent,
      // q_a (or q) and kv_a read the input; q_a writes its rank-q output, q_b reads it and writes Q.
      activationElements: 2 * n * h + (q > 0 ? 2 * n * q : 0) + n * heads * qk,
    }),
  ];
  if (mode === 'expanded') {
    rows.push(
      operatorRow(ctx, 'mla_kv_up', layers, {
        flops: 2 * keys * c * heads * (nope + v),
        weightElements: c * heads * (nope + v),
        kvReadElements: ctx.numKvReadTokens * latent,
        activationElements: keys * heads * (nope + v),
      }),
      operatorRow(ctx, 'attention_score', layers, {
        flops: 2 * pairs * heads * qk,
        activationElements: n * heads * qk + keys * (heads * nope + rope),
        unfusedActivationElements: scores,
      }),
      softmaxRow(ctx),
      operatorRow(ctx, 'attention_value', layers, {
        flops: 2 * pairs * heads * v,
        activationElements: keys * heads * v + n * heads * v,
        unfusedActivationElements: scores,
      }),
    );
  } else {
    rows.push(
      operatorRow(ctx, 'mla_kv_up', layers, {
        flops: 2 * n * heads * c * (nope + v),
        weightElements: c * heads * (nope + v),
        activationElements: n * heads * (nope + c) + n * heads * (c + v),
      }),
      operatorRow(ctx, 'attention_score', layers, {
        flops: 2 * pairs * heads * latent,
        kvReadElements: ctx.numKvReadTokens * latent,
        activationElements: n * heads * latent,
        unfusedActivationElements: scores,
      }),
      softmaxRow(ctx),
      operatorRow(ctx, 'attention_value', layers, {
        flops: 2 * pairs * heads * c,
        activationElements: n * heads * c,
        unfusedActivationElements: scores,
      }),
    );
  }
  rows.push(
    operatorRow(ctx, 'out_proj', layers, {
      flops: 2 * n * heads * v * h,
      weightElements: heads * v * h,
      activationElements: n * heads * v + n * h,
    }),
  );
  return rows;
}
