import { attr } from '../onnx/graph.js';
import { denseQkvProjection, mlaLatentProjection, mlaQueryProjection } from './attention-projections.js';
import { DEFAULT_K_TILE_TOKENS, openInputName, prefillCacheInputSpecs, symbolicDims } from './cache-inputs.js';
import { type KvGroup, kvGroups, pastInputName } from './kv-layout.js';
import { headMatMul, linear, type ModelContext } from './linear.js';

/**
 * Prefill attention of one layer for one sequence: T new tokens over a cached prefix of P.
 *
 * Inputs: x [T, hidden] (normed), positionIds [1, T], mask [T, P+T] (0 / −inf, causal with
 * the prefix visible) and the layer's `past.l<l>.<stream>…` prefix inputs (cache-inputs.ts).
 * Returns the attention output [T, hidden] and each KV group's new rows [numStreams, T, width].
 *
 * Scores are computed over the full T × (P+T) square and masked (what the graph executes and
 * what the counter counts; oicf's 'full-square' convention).
 */
export interface PrefillAttention {
  readonly out: string;
  readonly newKv: ReadonlyMap<KvGroup['name'], string>;
}

/** MHA/GQA/MQA: batched over KV heads, query groups broadcast against their KV head. */
export function densePrefillAttention(
  ctx: ModelContext,
  layer: number,
  x: string,
  positionIds: string,
  mask: string,
): PrefillAttention {
  const { config: c } = ctx;
  const H = c.numHeads;
  const kvH = c.numKvHeads;
  const D = c.headDim;
  const G = H / kvH;
  const p = `l${layer}.attn`;
  const { qRot, kRot, v } = denseQkvProjection(ctx, layer, x, positionIds, 0);
  // New K/V rows per KV head: [kvH, T, D] (also the graph's new-KV outputs).
  const kNew = headMajor(ctx, kRot, kvH, D, 'k_new');
  const vNew = headMajor(ctx, v, kvH, D, 'v_new');
  const kT = keysTransposed(ctx, layer, kNew);
  const vAll = withPrefix(ctx, layer, 'v', kvH, vNew);
  const merged = groupedAttention(ctx, qRot, kT, vAll, mask, { numKvHeads: kvH, numGroups: G, headDim: D });
  const out = linear(ctx, merged, `${p}.w_o`, H * D, c.hiddenSize);
  return {
    out,
    newKv: new Map([
      ['k', kNew],
      ['v', vNew],
    ]),
  };
}

/**
 * Causal grouped-query attention core: q [(1,) T, H·D] (RoPE applied), Kᵀ [kvH, D, C] and
 * V [kvH, C, D] with C = P + T keys, mask [T, C] → context [T, H·D]. Batched over KV heads;
 * each KV head's G query heads broadcast against it (no K/V repeat):
 *
 *   q → [T, kvH, G, D] → [kvH, G, T, D] · 1/√D;  scores = q · Kᵀ [kvH, G, T, C] + mask
 *   softmax over C;  context = p · V [kvH, G, T, D] → [T, kvH, G, D] → [T, H·D]
 */
export function groupedAttention(
  ctx: ModelContext,
  q: string,
  kT: string,
  vAll: string,
  mask: string,
  dims: { numKvHeads: number; numGroups: number; headDim: number },
): string {
  const { b } = ctx;
  const { numKvHeads: kvH, numGroups: G, headDim: D } = dims;
  const qHeads = b.op1('Transpose', [b.op1('Reshape', [q, b.ints([-1, kvH, G, D])], { name: 'q4' })], {
    name: 'q_heads',
    attrs: { perm: attr.ints([1, 2, 0, 3]) },
  });
  const qScaled = b.op1('Mul', [qHeads, b.floats([1 / Math.sqrt(D)])], { name: 'q_scaled' });
  const kT4 = b.op1('Unsqueeze', [kT, b.ints([1])], { name: 'k_t4' });
  const scores = b.op1('MatMul', [qScaled, kT4], { name: 'scores' });
  const probs = b.op1('Softmax', [b.op1('Add', [scores, mask], { name: 'masked' })], {
    name: 'softmax',
    attrs: { axis: attr.int(-1) },
  });
  const ctx4 = b.op1('MatMul', [probs, b.op1('Unsqueeze', [vAll, b.ints([1])], { name: 'v4' })], { name: 'context' });
  return b.op1(
    'Reshape',
    [b.op1('Transpose', [ctx4], { name: 'context_t', attrs: { perm: attr.ints([2, 0, 1, 3]) } }), b.ints([0, -1])],
    {
      name: 'context_rows',
    },
  );
}

/** [1, T, n·width] or [T, n·width] → [n, T, width]. */
export function headMajor(ctx: ModelContext, x: string, n: number, width: number, name: string): string {
  const { b } = ctx;
  return b.op1('Transpose', [b.op1('Reshape', [x, b.ints([-1, n, width])], { name: `${name}_rows` })], {
    name,
    attrs: { perm: attr.ints([1, 0, 2]) },
  });
}

/** [n, C, width] → [n, width, C]. */
export function transposeKeys(ctx: ModelContext, kAll: string): string {
  return ctx.b.op1('Transpose', [kAll], { name: 'k_t', attrs: { perm: attr.ints([0, 2, 1]) } });
}

/**
 * Kᵀ [kvH, D, P+T] of the prefix and the new keys kNew [kvH, T, D]. Each head's prefix arrives
 * as sealed tiles [nT, D, T'] (already [D, T'] per tile) and open rows [1, o, D] (cache-inputs.ts):
 *
 *   prefixᵀ_h = Reshape(Transpose(tiles, [1,0,2]), [1, D, nT·T']) ‖ open_hᵀ    [1, D, P]
 */
function keysTransposed(ctx: ModelContext, layer: number, kNew: string): string {
  const { b, config } = ctx;
  const T = ctx.kTileTokens ?? DEFAULT_K_TILE_TOKENS;
  const D = config.headDim;
  const specs = prefillCacheInputSpecs(config, layer);
  const input = (name: string) => {
    const spec = specs.find((x) => x.name === name);
    if (spec === undefined) throw new Error(`unreachable: no prefix input ${name}`);
    return b.input(name, 'float32', symbolicDims(spec, undefined, T));
  };
  const heads = Array.from({ length: config.numKvHeads }, (_, h) => {
    const name = pastInputName(layer, `k${h}`);
    const tiles = b.op1(
      'Reshape',
      [
        b.op1('Transpose', [input(name)], { name: `past_k${h}_tiles_t`, attrs: { perm: attr.ints([1, 0, 2]) } }),
        b.ints([1, D, -1]),
      ],
      { name: `past_k${h}_tiles` },
    );
    const open = b.op1('Transpose', [input(openInputName(name))], {
      name: `past_k${h}_open_t`,
      attrs: { perm: attr.ints([0, 2, 1]) },
    });
    return b.op1('Concat', [tiles, open], { name: `past_k${h}_t`, attrs: { axis: attr.int(2) } });
  });
  const prefix =
    heads.length === 1 ? heads[0] : b.op1('Concat', heads, { name: 'past_k_t', attrs: { axis: attr.int(0) } });
  if (prefix === undefined) throw new Error('unreachable: no KV heads');
  return b.op1('Concat', [prefix, transposeKeys(ctx, kNew)], { name: 'k_all_t', attrs: { axis: attr.int(2) } });
}

/** Concat(prefix [n, P, width] from the `past.*` inputs, new [n, T, width]) → [n, P+T, width]. */
function withPrefix(ctx: ModelContext, layer: number, group: KvGroup['name'], n: number, fresh: string): string {
  const { b, config } = ctx;
  const g = kvGroups(config).find((x) => x.name === group);
  if (g === undefined) throw new Error(`no KV group ${group}`);
  const past = Array.from({ length: n }, (_, i) => {
    const input = b.input(pastInputName(layer, `${group}${i}`), 'float32', ['numPastTokens', g.width]);
    return b.op1('Unsqueeze', [input, b.ints([0])], { name: `past_${group}${i}` });
  });
  const prefix = n === 1 ? past[0] : b.op1('Concat', past, { name: `past_${group}`, attrs: { axis: attr.int(0) } });
  if (prefix === undefined) throw new Error('unreachable: no past streams');
  return b.op1('Concat', [prefix, fresh], { name: `${group}_all`, attrs: { axis: attr.int(1) } });
}

/**
 * MLA prefill, expanded form (as DeepSeek runs prefill): the latent of every context token is
 * up-projected to per-head keys and values.
 *
 *   q = x·W_q [T, H·(rope+nope)], rope on the first `rope` dims of each head
 *   [c | kr] = x·W_kv_a; c = RMSNorm(c) (cached, kvLoraRank); kr = RoPE(kr) (cached, shared)
 *   K_h = [kr | c·W_uk_h], V_h = c·W_uv_h over all P+T tokens; softmax(q·Kᵀ/√(rope+nope))·V
 */
export function mlaPrefillAttention(
  ctx: ModelContext,
  layer: number,
  x: string,
  positionIds: string,
  mask: string,
): PrefillAttention {
  const { b, w, config: c } = ctx;
  const mla = c.mla;
  if (mla === undefined) throw new Error('mlaPrefillAttention needs an mla config');
  const H = c.numHeads;
  const R = mla.kvLoraRank;
  const Dr = mla.qkRopeHeadDim;
  const Dn = mla.qkNopeHeadDim;
  const Dv = mla.vHeadDim;
  const p = `l${layer}.attn`;
  const qRot = mlaQueryProjection(ctx, layer, x, positionIds, 0);
  const qHeads = headMajor(ctx, qRot, H, Dr + Dn, 'q_heads');
  const qScaled = b.op1('Mul', [qHeads, b.floats([1 / Math.sqrt(Dr + Dn)])], { name: 'q_scaled' });
  const { latent: cNew, ropeKey: krNew } = mlaLatentProjection(ctx, layer, x, positionIds, 0);
  const cNew3 = b.op1('Unsqueeze', [cNew, b.ints([0])], { name: 'c_new' });
  const cAll = b.op1('Squeeze', [withPrefix(ctx, layer, 'c', 1, cNew3), b.ints([0])], { name: 'c_ctx' });
  const krAll = withPrefix(ctx, layer, 'kr', 1, krNew);
  const kNope = headMatMul(ctx, cAll, `${p}.w_uk`, { numHeads: H, inDim: R, outDim: Dn }, () =>
    w.stacked(`${p}.w_uk`, H, R, Dn),
  );
  const vHeads = headMatMul(ctx, cAll, `${p}.w_uv`, { numHeads: H, inDim: R, outDim: Dv }, () =>
    w.stacked(`${p}.w_uv`, H, R, Dv),
  );
  // The shared rope key, broadcast to every head: [1, P+T, Dr] → [H, P+T, Dr].
  const krHeads = b.op1('Expand', [krAll, b.ints([H, 1, 1])], { name: 'kr_heads' });
  const keys = b.op1('Concat', [krHeads, kNope], { name: 'keys', attrs: { axis: attr.int(-1) } });
  const scores = b.op1(
    'MatMul',
    [qScaled, b.op1('Transpose', [keys], { name: 'keys_t', attrs: { perm: attr.ints([0, 2, 1]) } })],
    {
      name: 'scores',
    },
  );
  const probs = b.op1('Softmax', [b.op1('Add', [scores, mask], { name: 'masked' })], {
    name: 'softmax',
    attrs: { axis: attr.int(-1) },
  });
  const context = b.op1('MatMul', [probs, vHeads], { name: 'context' });
  const merged = b.op1(
    'Reshape',
    [b.op1('Transpose', [context], { name: 'context_t', attrs: { perm: attr.ints([1, 0, 2]) } }), b.ints([0, -1])],
    {
      name: 'context_rows',
    },
  );
  const out = linear(ctx, merged, `${p}.w_o`, H * Dv, c.hiddenSize);
  return {
    out,
    newKv: new Map([
      ['c', cNew3],
      ['kr', krNew],
    ]),
  };
}
