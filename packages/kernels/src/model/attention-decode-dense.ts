import { attr } from '../onnx/graph.js';
import { type DecodeAttention, INT64_MAX } from './attention-decode.js';
import { denseQkvProjection } from './attention-projections.js';
import {
  DECODE_V_BLOCKS,
  DEFAULT_K_TILE_TOKENS,
  decodeCacheInputSpecs,
  leadInputName,
  openInputName,
  symbolicDims,
} from './cache-inputs.js';
import { decodeKvInputName } from './kv-layout.js';
import { linear, type ModelContext } from './linear.js';

/**
 * Decode attention of MHA/GQA/MQA layers (contract: attention-decode.ts). Per sequence, the two
 * big cache reads run per KV head as batched MatMuls that stream whole contiguous runs per
 * thread (q·Kᵀ over sealed K tiles, p·V over V row blocks; layouts: cache-inputs.ts) and
 * everything else — the few fresh rows (open K rows and V lead rows plus the new token),
 * softmax, slicing — runs once for all heads. That keeps a layer at 2·kvH + ~30 nodes; a
 * per-head formulation's ~12·kvH small nodes cost more than a millisecond per 16k-token step.
 */
export function denseDecodeAttention(
  ctx: ModelContext,
  layer: number,
  batch: number,
  x: string,
  positionIds: string,
): DecodeAttention {
  const { b, config: c } = ctx;
  const H = c.numHeads;
  const kvH = c.numKvHeads;
  const D = c.headDim;
  const G = H / kvH;
  const { qRot, kRot, v } = denseQkvProjection(ctx, layer, x, positionIds, 1);
  // Queries [B·kvH, G, D] scaled by 1/√D: query head j of sequence s is row (s·kvH + ⌊j/G⌋, j mod G).
  const qGroups = b.op1(
    'Mul',
    [b.op1('Reshape', [qRot, b.ints([batch * kvH, G, D])], { name: 'q_groups' }), b.floats([1 / Math.sqrt(D)])],
    { name: 'q_scaled' },
  );
  const kNew = b.op1('Reshape', [kRot, b.ints([batch * kvH, 1, D])], { name: 'k_new_rows' });
  const vNew = b.op1('Reshape', [v, b.ints([batch * kvH, 1, D])], { name: 'v_new_rows' });
  const perSeq = (value: string, name: string) => splitRows(ctx, value, new Array<number>(batch).fill(kvH), name);
  const [qs, ks, vs] = [perSeq(qGroups, 'q'), perSeq(kNew, 'k_new'), perSeq(vNew, 'v_new')];
  const outs = Array.from({ length: batch }, (_, s) =>
    b.scope(`b${s}`, () => sequenceAttention(ctx, layer, s, { q: at(qs, s), kNew: at(ks, s), vNew: at(vs, s) })),
  );
  const merged =
    outs.length === 1 ? at(outs, 0) : b.op1('Concat', outs, { name: 'heads', attrs: { axis: attr.int(0) } });
  const out = linear(ctx, merged, `l${layer}.attn.w_o`, H * D, c.hiddenSize);
  return {
    out,
    newKv: new Map([
      ['k', b.op1('Reshape', [kRot, b.ints([batch, kvH, D])], { name: 'k_new' })],
      ['v', b.op1('Reshape', [v, b.ints([batch, kvH, D])], { name: 'v_new' })],
    ]),
  };
}

/**
 * One sequence's attention in one layer, all heads, over L cached tokens = nT·T sealed K tiles
 * + o open K rows = r V lead rows + NB·m V block rows, plus the new token:
 *
 *   s_tiles [H, nT·T]  = q·tiles                 per KV head, batched over tiles
 *   s_fresh [H, o+1]   = q·(K_open ‖ k_new)ᵀ     one MatMul batched over KV heads
 *   p = softmax(s_tiles ‖ s_fresh) [H, L+1]      token order; one Softmax for all heads
 *   out = Σ_blocks p_blocks·V_blocks             per KV head, then one ReduceSum
 *       + (p_lead ‖ p_new)·(V_lead ‖ v_new)      one MatMul batched over KV heads
 *
 * t.q [kvH, G, D] (scaled), t.kNew / t.vNew [kvH, 1, D] → [1, H·D].
 */
function sequenceAttention(
  ctx: ModelContext,
  layer: number,
  seq: number,
  t: { q: string; kNew: string; vNew: string },
): string {
  const { b, config: c } = ctx;
  const H = c.numHeads;
  const kvH = c.numKvHeads;
  const D = c.headDim;
  const G = H / kvH;
  const T = ctx.kTileTokens ?? DEFAULT_K_TILE_TOKENS;
  const inputs = new Map(
    decodeCacheInputSpecs(c, seq, layer, ctx.shortDecode === true).map((spec) => [
      spec.name,
      b.input(spec.name, 'float32', symbolicDims(spec, seq, T)),
    ]),
  );
  const cache = (name: string): string => {
    const value = inputs.get(name);
    if (value === undefined) throw new Error(`unreachable: no cache input ${name}`);
    return value;
  };
  const stream = (id: string) => decodeKvInputName(seq, layer, id);
  const heads = Array.from({ length: kvH }, (_, h) => h);
  if (ctx.shortDecode === true) {
    // No sealed tile: all of K is open rows and V is fed whole, so attention is two MatMuls batched
    // over KV heads (q·[K ‖ k_new]ᵀ, softmax, p·[V ‖ v_new]) — ~8 nodes instead of ~30.
    const kAll = b.op1(
      'Concat',
      [
        concat(
          ctx,
          heads.map((h) => cache(openInputName(stream(`k${h}`)))),
          0,
          'k_open',
        ),
        t.kNew,
      ],
      {
        name: 'k_all',
        attrs: { axis: attr.int(1) },
      },
    );
    const vAll = b.op1(
      'Concat',
      [
        concat(
          ctx,
          heads.map((h) => cache(stream(`v${h}`))),
          0,
          'v_rows',
        ),
        t.vNew,
      ],
      {
        name: 'v_all',
        attrs: { axis: attr.int(1) },
      },
    );
    const scores = b.op1(
      'MatMul',
      [t.q, b.op1('Transpose', [kAll], { name: 'k_all_t', attrs: { perm: attr.ints([0, 2, 1]) } })],
      { name: 'scores' },
    );
    const probs = b.op1('Softmax', [scores], { name: 'softmax', attrs: { axis: attr.int(-1) } });
    const context = b.op1('MatMul', [probs, vAll], { name: 'context' });
    return b.op1('Reshape', [context, b.ints([1, H * D])], { name: 'context_row' });
  }
  const kTiles = heads.map((h) => cache(stream(`k${h}`)));
  const kOpen = heads.map((h) => cache(openInputName(stream(`k${h}`))));
  const vBlocks = heads.map((h) => cache(stream(`v${h}`)));
  const vLead = heads.map((h) => cache(leadInputName(stream(`v${h}`))));

  // q·tiles. q is expanded to [kvH, nT, G, D] (nT·H·D floats) because onnxruntime's MatMul
  // cannot broadcast a batch of nT = 0 (L < T), which [G, D]·[nT, D, T] would need.
  const numTiles = b.op1('Shape', [at(kTiles, 0)], {
    name: 'num_tiles',
    attrs: { start: attr.int(0), end: attr.int(1) },
  });
  const qTiles = b.op1(
    'Expand',
    [
      b.op1('Unsqueeze', [t.q, b.ints([1])], { name: 'q4' }),
      b.op1('Concat', [b.ints([kvH]), numTiles, b.ints([G, D])], {
        name: 'q_tiles_shape',
        attrs: { axis: attr.int(0) },
      }),
    ],
    { name: 'q_tiles' },
  );
  const qParts = splitRows(ctx, qTiles, new Array<number>(kvH).fill(1), 'q_tiles');
  const sTiles = concat(
    ctx,
    heads.map((h) => b.op1('MatMul', [at(qParts, h), at(kTiles, h)], { name: `h${h}.scores_tiles` })),
    0,
    'scores_tiles',
  );
  // [kvH, nT, G, T] → [kvH, G, nT, T] → [H, nT·T] (row h·G + g = query head j).
  const sTileRows = b.op1(
    'Reshape',
    [
      b.op1('Transpose', [sTiles], { name: 'scores_tiles_t', attrs: { perm: attr.ints([0, 2, 1, 3]) } }),
      b.ints([H, -1]),
    ],
    { name: 'scores_tile_rows' },
  );
  const kFresh = b.op1('Concat', [concat(ctx, kOpen, 0, 'k_open'), t.kNew], {
    name: 'k_fresh',
    attrs: { axis: attr.int(1) },
  });
  const sFresh = b.op1(
    'Reshape',
    [
      b.op1(
        'MatMul',
        [t.q, b.op1('Transpose', [kFresh], { name: 'k_fresh_t', attrs: { perm: attr.ints([0, 2, 1]) } })],
        { name: 'scores_fresh' },
      ),
      b.ints([H, -1]),
    ],
    { name: 'scores_fresh_rows' },
  );
  const scores = b.op1('Concat', [sTileRows, sFresh], { name: 'scores', attrs: { axis: attr.int(1) } });
  const probs = b.op1('Softmax', [scores], { name: 'softmax', attrs: { axis: attr.int(-1) } });

  const r = b.op1('Shape', [at(vLead, 0)], { name: 'lead_rows', attrs: { start: attr.int(1), end: attr.int(2) } });
  const pLead = b.op1('Slice', [probs, b.ints([0]), r, b.ints([1])], { name: 'p_lead' });
  const pBlocks = b.op1('Slice', [probs, r, b.ints([-1]), b.ints([1])], { name: 'p_blocks' });
  const pNew = b.op1('Slice', [probs, b.ints([-1]), b.ints([INT64_MAX]), b.ints([1])], { name: 'p_new' });
  // [H, NB·m] → [kvH, NB, G, m]: block k of KV head h holds the probabilities of its G queries.
  const pGrouped =
    G === 1
      ? b.op1('Reshape', [pBlocks, b.ints([kvH, DECODE_V_BLOCKS, 1, -1])], { name: 'p_blocks_grouped' })
      : b.op1(
          'Transpose',
          [b.op1('Reshape', [pBlocks, b.ints([kvH, G, DECODE_V_BLOCKS, -1])], { name: 'p_blocks_heads' })],
          { name: 'p_blocks_grouped', attrs: { perm: attr.ints([0, 2, 1, 3]) } },
        );
  const pParts = splitRows(ctx, pGrouped, new Array<number>(kvH).fill(1), 'p_blocks');
  const perBlock = concat(
    ctx,
    heads.map((h) => b.op1('MatMul', [at(pParts, h), at(vBlocks, h)], { name: `h${h}.context_blocks` })),
    0,
    'context_blocks',
  );
  const fromBlocks = b.op1('ReduceSum', [perBlock, b.ints([1])], {
    name: 'context_blocks_sum',
    attrs: { keepdims: attr.int(0) },
  });
  const vFresh = b.op1('Concat', [concat(ctx, vLead, 0, 'v_lead'), t.vNew], {
    name: 'v_fresh',
    attrs: { axis: attr.int(1) },
  });
  const pFresh = b.op1(
    'Reshape',
    [b.op1('Concat', [pLead, pNew], { name: 'p_fresh', attrs: { axis: attr.int(1) } }), b.ints([kvH, G, -1])],
    { name: 'p_fresh_groups' },
  );
  const fromFresh = b.op1('MatMul', [pFresh, vFresh], { name: 'context_fresh' });
  const context = b.op1('Add', [fromBlocks, fromFresh], { name: 'context' });
  return b.op1('Reshape', [context, b.ints([1, H * D])], { name: 'context_row' });
}

/** Split along axis 0 into parts of `sizes` rows (the value itself when there is one part). */
function splitRows(ctx: ModelContext, x: string, sizes: readonly number[], name: string): string[] {
  if (sizes.length === 1) return [x];
  return ctx.b.op('Split', [x, ctx.b.ints(sizes)], {
    name: `${name}_split`,
    numOutputs: sizes.length,
    attrs: { axis: attr.int(0) },
  });
}

/** Concat along `axis` (the value itself when there is one). */
function concat(ctx: ModelContext, xs: readonly string[], axis: number, name: string): string {
  return xs.length === 1 ? at(xs, 0) : ctx.b.op1('Concat', xs, { name, attrs: { axis: attr.int(axis) } });
}

function at(xs: readonly string[], i: number): string {
  const x = xs[i];
  if (x === undefined || x === '') throw new Error(`unreachable: missing graph value ${i}`);
  return x;
}
