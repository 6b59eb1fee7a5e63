import { attr } from '../onnx/graph.js';
import { rmsNorm, rope } from './blocks.js';
import { concatColumns, linear, type ModelContext } from './linear.js';

// The projections both attention graphs open with. Prefill holds T tokens of one sequence as x [T, hidden]
// and views them as [1, T, ·] for RoPE (`unitAxis` 0); decode holds one token of each of B sequences as
// x [B, hidden] and views them as [B, 1, ·] (`unitAxis` 1). Node names are the same in both graphs.

/** Where the RoPE view [·, ·, heads·dim] puts its unit dimension: 0 in prefill, 1 in decode. */
export type UnitAxis = 0 | 1;

/**
 * MHA/GQA/MQA: one fused x·[W_q | W_k | W_v] GEMM, split into q [N, H·D], k, v [N, kvH·D]; RoPE applied
 * to q and k in the 3-D view (qRot, kRot); v returned as split ([N, kvH·D]).
 */
export function denseQkvProjection(
  ctx: ModelContext,
  layer: number,
  x: string,
  positionIds: string,
  unitAxis: UnitAxis,
): { qRot: string; kRot: string; v: string } {
  const { b, w, config: c } = ctx;
  const H = c.numHeads;
  const kvH = c.numKvHeads;
  const D = c.headDim;
  const p = `l${layer}.attn`;
  const qkv = linear(ctx, x, `${p}.w_qkv`, c.hiddenSize, (H + 2 * kvH) * D, () =>
    concatColumns(
      [
        w.matrix(`${p}.w_q`, c.hiddenSize, H * D),
        w.matrix(`${p}.w_k`, c.hiddenSize, kvH * D),
        w.matrix(`${p}.w_v`, c.hiddenSize, kvH * D),
      ],
      c.hiddenSize,
    ),
  );
  const [q, k, v] = b.op('Split', [qkv, b.ints([H * D, kvH * D, kvH * D])], {
    name: 'split_qkv',
    numOutputs: 3,
    attrs: { axis: attr.int(-1) },
  });
  if (q === undefined || k === undefined || v === undefined) throw new Error('unreachable: Split');
  const qRot = rope(
    ctx,
    b.op1('Unsqueeze', [q, b.ints([unitAxis])], { name: 'q3' }),
    positionIds,
    { numHeads: H, headDim: D },
    'rope_q',
  );
  const kRot = rope(
    ctx,
    b.op1('Unsqueeze', [k, b.ints([unitAxis])], { name: 'k3' }),
    positionIds,
    { numHeads: kvH, headDim: D },
    'rope_k',
  );
  return { qRot, kRot, v };
}

/** MLA query: x·W_q [N, H·(rope+nope)] in the 3-D view, RoPE on the first `rope` dims of each head. */
export function mlaQueryProjection(
  ctx: ModelContext,
  layer: number,
  x: string,
  positionIds: string,
  unitAxis: UnitAxis,
): string {
  const { b, config: c } = ctx;
  const mla = c.mla;
  if (mla === undefined) throw new Error('mlaQueryProjection needs an mla config');
  const H = c.numHeads;
  const Dr = mla.qkRopeHeadDim;
  const Dn = mla.qkNopeHeadDim;
  const q = linear(ctx, x, `l${layer}.attn.w_q`, c.hiddenSize, H * (Dr + Dn));
  return rope(
    ctx,
    b.op1('Unsqueeze', [q, b.ints([unitAxis])], { name: 'q3' }),
    positionIds,
    { numHeads: H, headDim: Dr + Dn, rotaryDim: Dr },
    'rope_q',
  );
}

/**
 * MLA compressed KV of the new tokens: [c | kr] = x·W_kv_a; the latent c = RMSNorm(c) [N, kvLoraRank]
 * and the shared rope key kr = RoPE(kr) in the 3-D view — the two streams the KV cache keeps.
 */
export function mlaLatentProjection(
  ctx: ModelContext,
  layer: number,
  x: string,
  positionIds: string,
  unitAxis: UnitAxis,
): { latent: string; ropeKey: string } {
  const { b, config: c } = ctx;
  const mla = c.mla;
  if (mla === undefined) throw new Error('mlaLatentProjection needs an mla config');
  const R = mla.kvLoraRank;
  const Dr = mla.qkRopeHeadDim;
  const p = `l${layer}.attn`;
  const kvA = linear(ctx, x, `${p}.w_kv_a`, c.hiddenSize, R + Dr);
  const [cRaw, krRaw] = b.op('Split', [kvA, b.ints([R, Dr])], {
    name: 'split_kv_a',
    numOutputs: 2,
    attrs: { axis: attr.int(-1) },
  });
  if (cRaw === undefined || krRaw === undefined) throw new Error('unreachable: Split');
  const latent = rmsNorm(ctx, cRaw, `${p}.kv_norm`, R);
  const ropeKey = rope(
    ctx,
    b.op1('Unsqueeze', [krRaw, b.ints([unitAxis])], { name: 'kr3' }),
    positionIds,
    { numHeads: 1, headDim: Dr },
    'rope_kr',
  );
  return { latent, ropeKey };
}
