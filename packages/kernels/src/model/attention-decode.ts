import { attr } from '../onnx/graph.js';
import { mlaLatentProjection, mlaQueryProjection } from './attention-projections.js';
import { contextDim } from './cache-inputs.js';
import { decodeKvInputName, type KvGroup } from './kv-layout.js';
import { headMatMul, linear, type ModelContext } from './linear.js';

/**
 * Decode attention of one layer for a batch of B sequences, one new token each, whose cached
 * contexts L_b differ. Projections run batched ([B, hidden] GEMMs); attention runs per sequence,
 * reading that sequence's cache inputs `kv.b<b>.l<l>.<stream>…` (layouts: cache-inputs.ts)
 * — zero-copy views of the runner's per-sequence buffers — and never writes them:
 *
 *   s_cache = q·Kᵀ  [heads, L_b]     s_new = q·k_newᵀ  [heads, 1]
 *   p = softmax(s_cache ‖ s_new)     out = p[:, :L]·V + p[:, L]·v_new
 *
 * The new token's K/V leave the graph as [B, numStreams, width] outputs; the runner writes
 * them in place at position L_b. Nothing in the graph is O(L) except reading K/V once and the
 * [heads, L+1] score rows.
 */
export interface DecodeAttention {
  readonly out: string;
  readonly newKv: ReadonlyMap<KvGroup['name'], string>;
}

export const INT64_MAX = Number.MAX_SAFE_INTEGER;

/** Splits probabilities [G, L+1] into the cache part [G, L] and the new-token column [G, 1]. */
function splitProbs(ctx: ModelContext, scores: string): { cache: string; fresh: string } {
  const { b } = ctx;
  const probs = b.op1('Softmax', [scores], { name: 'softmax', attrs: { axis: attr.int(-1) } });
  const cache = b.op1('Slice', [probs, b.ints([0]), b.ints([-1]), b.ints([1])], { name: 'p_cache' });
  const fresh = b.op1('Slice', [probs, b.ints([-1]), b.ints([INT64_MAX]), b.ints([1])], { name: 'p_new' });
  return { cache, fresh };
}

function cacheInput(ctx: ModelContext, seq: number, layer: number, id: string, width: number): string {
  return ctx.b.input(decodeKvInputName(seq, layer, id), 'float32', [contextDim(seq), width]);
}

/**
 * MLA decode, absorbed form (as DeepSeek runs decode): W_uk folds into the query and W_uv into
 * the output, so attention runs in latent space over the cached [L, rank] latent and [L, rope]
 * key like MQA with one shared KV head:
 *
 *   q_lat_h = q_nope_h · W_uk_hᵀ  [rank]       s = q_lat·Cᵀ + q_rope·KRᵀ  (Gemm with bias)
 *   o_lat_h = p_h · C  [rank]                  o_h = o_lat_h · W_uv_h  [v]
 */
export function mlaDecodeAttention(
  ctx: ModelContext,
  layer: number,
  batch: number,
  x: string,
  positionIds: string,
): DecodeAttention {
  const { b, w, config: c } = ctx;
  const mla = c.mla;
  if (mla === undefined) throw new Error('mlaDecodeAttention needs an mla config');
  const H = c.numHeads;
  const R = mla.kvLoraRank;
  const Dr = mla.qkRopeHeadDim;
  const Dn = mla.qkNopeHeadDim;
  const Dv = mla.vHeadDim;
  const p = `l${layer}.attn`;
  const scale = b.floats([1 / Math.sqrt(Dr + Dn)]);
  const qRot = mlaQueryProjection(ctx, layer, x, positionIds, 1);
  const [qRope, qNope] = b.op(
    'Split',
    [b.op1('Reshape', [qRot, b.ints([batch, H, Dr + Dn])], { name: 'q_heads' }), b.ints([Dr, Dn])],
    {
      name: 'split_q',
      numOutputs: 2,
      attrs: { axis: attr.int(-1) },
    },
  );
  if (qRope === undefined || qNope === undefined) throw new Error('unreachable: Split');
  const qNopeT = b.op1('Transpose', [qNope], { name: 'q_nope_t', attrs: { perm: attr.ints([1, 0, 2]) } });
  const qLatT = headMatMul(ctx, qNopeT, `${p}.w_uk_t`, { numHeads: H, inDim: Dn, outDim: R }, () =>
    w.derived(`${p}.w_uk_t|master`, () => transposeBlocks(w.stacked(`${p}.w_uk`, H, R, Dn), H, R, Dn)),
  );
  const qLat = b.op1(
    'Mul',
    [b.op1('Transpose', [qLatT], { name: 'q_lat', attrs: { perm: attr.ints([1, 0, 2]) } }), scale],
    {
      name: 'q_lat_scaled',
    },
  );
  const qRopeScaled = b.op1('Mul', [qRope, scale], { name: 'q_rope_scaled' });
  const { latent: cNorm, ropeKey: krNew } = mlaLatentProjection(ctx, layer, x, positionIds, 1);
  const cNew = b.op1('Reshape', [cNorm, b.ints([batch, 1, R])], { name: 'c_new' });
  const cCols = b.op1('Reshape', [cNorm, b.ints([batch, R, 1])], { name: 'c_new_cols' });
  const krCols = b.op1('Reshape', [krNew, b.ints([batch, Dr, 1])], { name: 'kr_new_cols' });
  const outs: string[] = [];
  for (let s = 0; s < batch; s++) {
    outs.push(
      b.scope(`b${s}`, () => {
        const idx = b.ints([s], []);
        const ql = b.op1('Gather', [qLat, idx], { name: 'q_lat' });
        const qr = b.op1('Gather', [qRopeScaled, idx], { name: 'q_rope' });
        const C = cacheInput(ctx, s, layer, 'c0', R);
        const KR = cacheInput(ctx, s, layer, 'kr0', Dr);
        const sRope = b.op1('Gemm', [qr, KR], { name: 'scores_rope', attrs: { transB: attr.int(1) } });
        const sCache = b.op1('Gemm', [ql, C, sRope], { name: 'scores_cache', attrs: { transB: attr.int(1) } });
        const sNew = b.op1(
          'Add',
          [
            b.op1('MatMul', [ql, b.op1('Gather', [cCols, idx], { name: 'c_new' })], { name: 'score_new_latent' }),
            b.op1('MatMul', [qr, b.op1('Gather', [krCols, idx], { name: 'kr_new' })], { name: 'score_new_rope' }),
          ],
          { name: 'score_new' },
        );
        const scores = b.op1('Concat', [sCache, sNew], { name: 'scores', attrs: { axis: attr.int(1) } });
        const probs = splitProbs(ctx, scores);
        const fromCache = b.op1('MatMul', [probs.cache, C], { name: 'latent_cache' });
        const fromNew = b.op1('MatMul', [probs.fresh, b.op1('Gather', [cNew, idx], { name: 'c_new_row' })], {
          name: 'latent_new',
        });
        const latent = b.op1('Add', [fromCache, fromNew], { name: 'latent' });
        return b.op1('Unsqueeze', [latent, b.ints([1])], { name: 'latent_col' });
      }),
    );
  }
  const latent = outs.length === 1 ? outs[0] : b.op1('Concat', outs, { name: 'latents', attrs: { axis: attr.int(1) } });
  if (latent === undefined) throw new Error('unreachable: empty batch');
  const heads = headMatMul(ctx, latent, `${p}.w_uv`, { numHeads: H, inDim: R, outDim: Dv }, () =>
    w.stacked(`${p}.w_uv`, H, R, Dv),
  );
  const merged = b.op1(
    'Reshape',
    [b.op1('Transpose', [heads], { name: 'heads_t', attrs: { perm: attr.ints([1, 0, 2]) } }), b.ints([batch, H * Dv])],
    {
      name: 'context_rows',
    },
  );
  const out = linear(ctx, merged, `${p}.w_o`, H * Dv, c.hiddenSize);
  return {
    out,
    newKv: new Map([
      ['c', cNew],
      ['kr', krNew],
    ]),
  };
}

/** Per-block transpose of a stack of [rows, cols] matrices → stack of [cols, rows]. */
export function transposeBlocks(values: Float32Array, numBlocks: number, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  const per = rows * cols;
  for (let h = 0; h < numBlocks; h++) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) out[h * per + c * rows + r] = values[h * per + r * cols + c] ?? 0;
    }
  }
  return out;
}
