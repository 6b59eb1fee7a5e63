import type { Graph } from '../onnx/graph.js';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { type DecodeAttention, mlaDecodeAttention } from './attention-decode.js';
import { denseDecodeAttention } from './attention-decode-dense.js';
import { densePrefillAttention, mlaPrefillAttention, type PrefillAttention } from './attention-prefill.js';
import { rmsNorm, swiglu } from './blocks.js';
import { DEFAULT_K_TILE_TOKENS } from './cache-inputs.js';
import { configKey, type TinyModelConfig } from './config.js';
import { embed } from './embedding.js';
import { META_CONFIG, META_KIND, META_MOE_DYNAMIC } from './graph-meta.js';
import { kvGroups, moeRoutingOutputName, newKvOutputName } from './kv-layout.js';
import { linear, type ModelContext } from './linear.js';
import { type MoeDynamicDim, moeFfn } from './moe.js';
import type { WeightStore } from './weight-store.js';

export interface PrefillGraphOptions {
  /** `all`: logits for every new token [T, vocab]; `last`: only the last one [1, vocab]. */
  readonly logits: 'all' | 'last';
  /** Tokens per sealed K tile of the prefix inputs (cache-inputs.ts; default 256). */
  readonly kTileTokens?: number;
}

export interface DecodeGraphOptions {
  /** Tokens per sealed K tile of the cache inputs (cache-inputs.ts; default 256). */
  readonly kTileTokens?: number;
  /**
   * The short-context variant, for batches where every sequence has fewer cached tokens than a K tile
   * (cache-inputs.ts `isShortDecode`): the same model, with attention over whole-cache inputs instead of
   * tiles and blocks — far fewer nodes, which is what short contexts pay for. Ignored for MLA.
   */
  readonly short?: boolean;
}

/**
 * The prefill graph of one sequence: T new tokens after a cached prefix of P.
 *
 * Inputs   tokens int64 [T]; positions int64 [T] (= P … P+T−1); attn_mask fp32 [T, P+T]
 *          (0 where key j ≤ position of query i, −inf elsewhere); past.l<l>.<stream>… the prefix
 *          (P may be 0; layouts: cache-inputs.ts — [P, width] rows, dense K as tiles + open rows).
 * Outputs  logits [T or 1, vocab]; new_kv.l<l>.<group> [numStreams, T, width];
 *          moe.l<l>.experts int64 [T, topK] (MoE only).
 */
export function buildPrefillGraph(w: WeightStore, opts: PrefillGraphOptions): Graph {
  const config = w.config;
  const b = new GraphBuilder(`${config.id}.prefill`);
  const ctx: ModelContext = { b, w, config, kTileTokens: opts.kTileTokens ?? DEFAULT_K_TILE_TOKENS };
  const tokens = b.input('tokens', 'int64', ['numNewTokens']);
  const positions = b.input('positions', 'int64', ['numNewTokens']);
  const mask = b.input('attn_mask', 'float32', ['numNewTokens', 'numContextTokens']);
  const positionIds = b.op1('Unsqueeze', [positions, b.ints([0])], { name: 'position_ids' });
  const dynamic: MoeDynamicDim[] = [];
  let x = embed(ctx, tokens);
  for (let l = 0; l < config.numLayers; l++) {
    x = b.scope(`l${l}`, () => {
      const h = rmsNorm(ctx, x, `l${l}.attn_norm`, config.hiddenSize);
      const attn: PrefillAttention = b.scope('attn', () =>
        config.mla
          ? mlaPrefillAttention(ctx, l, h, positionIds, mask)
          : densePrefillAttention(ctx, l, h, positionIds, mask),
      );
      for (const g of kvGroups(config)) {
        const out = attn.newKv.get(g.name);
        if (out === undefined) throw new Error(`attention produced no ${g.name} rows`);
        b.outputAs(out, newKvOutputName(l, g.name), 'float32', [g.numStreams, 'numNewTokens', g.width]);
      }
      return ffnBlock(ctx, l, b.op1('Add', [x, attn.out], { name: 'residual_attn' }), dynamic, 'numNewTokens');
    });
  }
  const final = rmsNorm(ctx, x, 'final_norm', config.hiddenSize);
  const rows = opts.logits === 'last' ? b.op1('Gather', [final, b.ints([-1])], { name: 'last_row' }) : final;
  const logits = linear(ctx, rows, 'lm_head', config.hiddenSize, config.vocabSize);
  return finish(b, config, 'prefill', logits, [opts.logits === 'last' ? 1 : 'numNewTokens', config.vocabSize], dynamic);
}

/**
 * The decode graph for a batch of `batch` sequences, one new token each.
 *
 * Inputs   tokens int64 [B]; positions int64 [B] (= each sequence's cached length L_b);
 *          kv.b<b>.l<l>.<stream>… sequence b's cache (L_b ≥ 1; layouts: cache-inputs.ts).
 * Outputs  logits [B, vocab]; new_kv.l<l>.<group> [B, numStreams, width]; moe.l<l>.experts [B, topK].
 */
export function buildDecodeGraph(w: WeightStore, batch: number, opts: DecodeGraphOptions = {}): Graph {
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`decode batch must be a positive integer, got ${batch}`);
  const config = w.config;
  const short = opts.short === true && config.mla === undefined;
  const b = new GraphBuilder(`${config.id}.decode.b${batch}${short ? '.short' : ''}`);
  const ctx: ModelContext = {
    b,
    w,
    config,
    kTileTokens: opts.kTileTokens ?? DEFAULT_K_TILE_TOKENS,
    shortDecode: short,
  };
  const tokens = b.input('tokens', 'int64', [batch]);
  const positions = b.input('positions', 'int64', [batch]);
  const positionIds = b.op1('Unsqueeze', [positions, b.ints([1])], { name: 'position_ids' });
  const dynamic: MoeDynamicDim[] = [];
  let x = embed(ctx, tokens);
  for (let l = 0; l < config.numLayers; l++) {
    x = b.scope(`l${l}`, () => {
      const h = rmsNorm(ctx, x, `l${l}.attn_norm`, config.hiddenSize);
      const attn: DecodeAttention = b.scope('attn', () =>
        config.mla
          ? mlaDecodeAttention(ctx, l, batch, h, positionIds)
          : denseDecodeAttention(ctx, l, batch, h, positionIds),
      );
      for (const g of kvGroups(config)) {
        const out = attn.newKv.get(g.name);
        if (out === undefined) throw new Error(`attention produced no ${g.name} rows`);
        b.outputAs(out, newKvOutputName(l, g.name), 'float32', [batch, g.numStreams, g.width]);
      }
      return ffnBlock(ctx, l, b.op1('Add', [x, attn.out], { name: 'residual_attn' }), dynamic, batch);
    });
  }
  const final = rmsNorm(ctx, x, 'final_norm', config.hiddenSize);
  const logits = linear(ctx, final, 'lm_head', config.hiddenSize, config.vocabSize);
  return finish(b, config, 'decode', logits, [batch, config.vocabSize], dynamic);
}

function ffnBlock(
  ctx: ModelContext,
  layer: number,
  x: string,
  dynamic: MoeDynamicDim[],
  rows: number | string,
): string {
  const { b, config } = ctx;
  const h = rmsNorm(ctx, x, `l${layer}.ffn_norm`, config.hiddenSize);
  let f: string;
  if (config.moe) {
    const moe = b.scope('moe', () => moeFfn(ctx, h, layer, dynamic));
    b.outputAs(moe.experts, moeRoutingOutputName(layer), 'int64', [rows, config.moe.topK]);
    f = moe.out;
  } else {
    f = b.scope('ffn', () => swiglu(ctx, h, `l${layer}.ffn`, config.hiddenSize, config.ffnIntermediateSize));
  }
  return b.op1('Add', [x, f], { name: 'residual_ffn' });
}

function finish(
  b: GraphBuilder,
  config: TinyModelConfig,
  kind: 'prefill' | 'decode',
  logits: string,
  logitsShape: (number | string)[],
  dynamic: MoeDynamicDim[],
): Graph {
  b.outputAs(logits, 'logits', 'float32', logitsShape);
  b.setMetadata(META_CONFIG, configKey(config));
  b.setMetadata(META_KIND, kind);
  if (dynamic.length > 0) b.setMetadata(META_MOE_DYNAMIC, JSON.stringify(dynamic));
  return b.build();
}
