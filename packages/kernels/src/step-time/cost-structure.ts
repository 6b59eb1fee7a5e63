import { expectedDistinctExperts } from '@oicf/core';
import { countGraph } from '../count/count-graph.js';
import { buildDecodeGraph, buildPrefillGraph } from '../model/build-graphs.js';
import { DECODE_V_BLOCKS, DEFAULT_K_TILE_TOKENS, DEFAULT_PREFILL_CHUNK_TOKENS } from '../model/cache-inputs.js';
import type { TinyModelConfig } from '../model/config.js';
import { WeightStore } from '../model/weight-store.js';
import { DTYPE_BYTES } from '../onnx/dtype.js';
import type { Graph } from '../onnx/graph.js';
import { addFeatures, scaleFeatures, subtractFeatures, ZERO_FEATURES } from './feature-vector.js';
import { type StepFeatures, stepFeatures, type WeightKinds } from './step-features.js';

/**
 * A model's step features as closed forms of the step's shape, so a step-time model can price
 * any step in microseconds without building or counting a graph. Derived once per model by
 * counting the graphs the runner builds at a few probe shapes (costStructure); exact wherever
 * the counted graph is affine in the shape, which the test checks against direct counts.
 *
 *   prefill, T new tokens over P cached:   F = base + T·perNewToken + P·perCachedToken
 *                                              + T·(P+T)·perScore            (one graph call)
 *   decode, B sequences at L_1 … L_B:      F = base_B + ΣL·perContextToken + Σo·perOpenToken
 *                                              + Σr·perLeadToken
 *     per graph kind, with base_1 = single, base_B = base + B·perSequence (B ≥ 2: the batch's
 *     Split/Concat nodes), o_b = L_b mod kTileTokens the K rows not yet sealed in a tile and
 *     r_b = L_b mod DECODE_V_BLOCKS the V rows before the blocks (both concatenated with the new
 *     token's row each step: sawtooths in L); graph kind 'short' when every L_b < kTileTokens
 *     (non-MLA; no tiles or blocks, so o and r play no extra part), else 'tiled' (cache-inputs.ts)
 *
 * MoE: counted with every expert receiving its expected T·k/E rows (FLOPs exact in expectation)
 * and then only the expected distinct experts' weights read: E·(1 − (1 − k/E)^N) per layer for N
 * tokens (@oicf/core expectedDistinctExperts).
 */
export interface ModelCostStructure {
  readonly modelId: string;
  readonly weights: TinyModelConfig['weights'];
  readonly kTileTokens: number;
  /** Longest prefill run as one graph call (KernelRunner prefillChunkTokens). */
  readonly prefillChunkTokens: number;
  readonly prefill: {
    readonly base: StepFeatures;
    readonly perNewToken: StepFeatures;
    readonly perCachedToken: StepFeatures;
    readonly perScore: StepFeatures;
  };
  readonly decode: {
    readonly tiled: DecodeStructure;
    /** Absent for MLA (one decode graph). */
    readonly short?: DecodeStructure;
  };
  readonly moe?: {
    readonly numExperts: number;
    readonly topK: number;
    /** One expert's weight bytes summed over layers, by stored type. */
    readonly expertWeightBytes: WeightKinds;
  };
}

export interface DecodeStructure {
  readonly single: StepFeatures;
  readonly base: StepFeatures;
  readonly perSequence: StepFeatures;
  readonly perContextToken: StepFeatures;
  readonly perOpenToken: StepFeatures;
  readonly perLeadToken: StepFeatures;
}

export interface CostStructureOptions {
  readonly kTileTokens?: number;
  readonly prefillChunkTokens?: number;
}

/** Counts `config`'s graphs (prefill logits 'last', as workers run) at probe shapes. ~1 s for a tiny model. */
export function costStructure(config: TinyModelConfig, opts: CostStructureOptions = {}): ModelCostStructure {
  const kTileTokens = opts.kTileTokens ?? DEFAULT_K_TILE_TOKENS;
  const store = new WeightStore(config);
  const prefillGraph = buildPrefillGraph(store, { logits: 'last', kTileTokens });
  const pf = (T: number, P: number) =>
    features(prefillGraph, { numNewTokens: T, numPastTokens: P, numContextTokens: P + T });
  // F(T, 0) = base + a·T + q·T²: three lengths give base, a, q; a fourth with P > 0 gives c.
  const [t1, t2, t3, p1] = [64, 128, 192, 128];
  const f1 = pf(t1, 0);
  const f2 = pf(t2, 0);
  const f3 = pf(t3, 0);
  // Second difference over equal steps: f3 − 2f2 + f1 = q·(t3² − 2t2² + t1²) = q·2·64².
  const perScore = scaleFeatures(addFeatures(subtractFeatures(f3, scaleFeatures(f2, 2)), f1), 1 / (2 * 64 * 64));
  const perNewToken = subtractFeatures(
    scaleFeatures(subtractFeatures(f2, f1), 1 / (t2 - t1)),
    scaleFeatures(perScore, t1 + t2),
  );
  const base = subtractFeatures(subtractFeatures(f1, scaleFeatures(perNewToken, t1)), scaleFeatures(perScore, t1 * t1));
  const rest = subtractFeatures(
    pf(t1, p1),
    addFeatures(addFeatures(base, scaleFeatures(perNewToken, t1)), scaleFeatures(perScore, t1 * (p1 + t1))),
  );
  const perCachedToken = scaleFeatures(rest, 1 / p1);
  const decodeGraphs = (short: boolean) => [1, 2, 3].map((B) => buildDecodeGraph(store, B, { kTileTokens, short }));
  const tiled = decodeStructure(decodeGraphs(false), 4 * kTileTokens, 8 * kTileTokens, Math.floor(kTileTokens / 2));
  const short =
    config.mla === undefined
      ? decodeStructure(decodeGraphs(true), Math.floor(kTileTokens / 4), Math.floor(kTileTokens / 2), 0)
      : undefined;
  return {
    modelId: config.id,
    weights: config.weights,
    kTileTokens,
    prefillChunkTokens: opts.prefillChunkTokens ?? DEFAULT_PREFILL_CHUNK_TOKENS,
    prefill: { base, perNewToken, perCachedToken, perScore },
    decode: { tiled, ...(short ? { short } : {}) },
    ...(config.moe
      ? {
          moe: {
            numExperts: config.moe.numExperts,
            topK: config.moe.topK,
            expertWeightBytes: expertWeightBytes(prefillGraph, config.moe.numExperts),
          },
        }
      : {}),
  };
}

/**
 * From graphs of batch 1, 2, 3 (one kind): uniform contexts L1 < L2 (multiples of the K tile)
 * give the affine forms; L1 + open (open > 0, a multiple of DECODE_V_BLOCKS) the open-row term,
 * then L1 + 2 the lead-row term (open 0: neither, the short graph).
 */
function decodeStructure(graphs: readonly Graph[], L1: number, L2: number, open: number): DecodeStructure {
  const [g1, g2, g3] = graphs;
  if (g1 === undefined || g2 === undefined || g3 === undefined) throw new Error('unreachable: three graphs');
  const at = (g: Graph, B: number, L: number) =>
    features(g, Object.fromEntries(Array.from({ length: B }, (_, b) => [`contextTokens.b${b}`, L])));
  const perContextToken = scaleFeatures(subtractFeatures(at(g2, 2, L2), at(g2, 2, L1)), 1 / (2 * (L2 - L1)));
  const perContext1 = scaleFeatures(subtractFeatures(at(g1, 1, L2), at(g1, 1, L1)), 1 / (L2 - L1));
  const single = subtractFeatures(at(g1, 1, L1), scaleFeatures(perContext1, L1));
  const two = subtractFeatures(at(g2, 2, L1), scaleFeatures(perContextToken, 2 * L1));
  const three = subtractFeatures(at(g3, 3, L1), scaleFeatures(perContextToken, 3 * L1));
  const perSequence = subtractFeatures(three, two);
  const base = subtractFeatures(two, scaleFeatures(perSequence, 2));
  // Two sequences each `extra` tokens past L1: what they add beyond `extra` context tokens each.
  const beyond = (extra: number) =>
    subtractFeatures(subtractFeatures(at(g2, 2, L1 + extra), at(g2, 2, L1)), scaleFeatures(perContextToken, 2 * extra));
  if (open === 0)
    return { single, base, perSequence, perContextToken, perOpenToken: ZERO_FEATURES, perLeadToken: ZERO_FEATURES };
  const perOpenToken = scaleFeatures(beyond(open), 1 / (2 * open));
  // L1 + 2: two open rows and two lead rows.
  const perLeadToken = scaleFeatures(subtractFeatures(beyond(2), scaleFeatures(perOpenToken, 4)), 1 / 4);
  return { single, base, perSequence, perContextToken, perOpenToken, perLeadToken };
}

function features(graph: Graph, dims: Record<string, number>): StepFeatures {
  return stepFeatures(graph, countGraph(graph, { dims }));
}

/** One expert's weight bytes over all layers, by stored type (initializers `l<l>.moe.e<e>.…`). */
function expertWeightBytes(graph: Graph, numExperts: number): WeightKinds {
  const out = { fp32: 0, fp16: 0, int8: 0 };
  for (const init of graph.initializers) {
    if (init.role !== 'weight' || !/^l\d+\.moe\.e\d+\./.test(init.name)) continue;
    const bytes = init.dims.reduce((a, d) => a * d, 1) * DTYPE_BYTES[init.dtype];
    if (init.dtype === 'float32') out.fp32 += bytes / numExperts;
    else if (init.dtype === 'float16') out.fp16 += bytes / numExperts;
    else if (init.dtype === 'int8') out.int8 += bytes / numExperts;
  }
  return out;
}

/** The step shape a step-time model prices (what the engine asks its StepRunner to run). */
export type StructureQuery =
  | { readonly phase: 'prefill'; readonly numNewTokens: number; readonly cachedTokens: number }
  | { readonly phase: 'decode'; readonly contextTokens: readonly number[] };

/**
 * Features of one step from the closed forms. A prefill longer than prefillChunkTokens is the
 * runner's consecutive chunks, each over the growing prefix (summed).
 */
export function structureFeatures(s: ModelCostStructure, q: StructureQuery): StepFeatures {
  if (q.phase === 'prefill') {
    let total = ZERO_FEATURES;
    for (let done = 0; done < q.numNewTokens; done += s.prefillChunkTokens) {
      const T = Math.min(s.prefillChunkTokens, q.numNewTokens - done);
      const P = q.cachedTokens + done;
      const p = s.prefill;
      const chunk = addFeatures(
        addFeatures(p.base, scaleFeatures(p.perNewToken, T)),
        addFeatures(scaleFeatures(p.perCachedToken, P), scaleFeatures(p.perScore, T * (P + T))),
      );
      total = addFeatures(total, withExpectedExperts(s, chunk, T));
    }
    return total;
  }
  const B = q.contextTokens.length;
  const sumL = q.contextTokens.reduce((a, L) => a + L, 0);
  const sumOpen = q.contextTokens.reduce((a, L) => a + (L % s.kTileTokens), 0);
  const sumLead = q.contextTokens.reduce((a, L) => a + (L % DECODE_V_BLOCKS), 0);
  const short = s.decode.short !== undefined && q.contextTokens.every((L) => L < s.kTileTokens);
  const d = short && s.decode.short ? s.decode.short : s.decode.tiled;
  const base = B === 1 ? d.single : addFeatures(d.base, scaleFeatures(d.perSequence, B));
  const perL = addFeatures(
    scaleFeatures(d.perContextToken, sumL),
    addFeatures(scaleFeatures(d.perOpenToken, sumOpen), scaleFeatures(d.perLeadToken, sumLead)),
  );
  return withExpectedExperts(s, addFeatures(base, perL), B);
}

/** Counted with every expert read; keep only the expected distinct experts' weights for N tokens. */
function withExpectedExperts(s: ModelCostStructure, f: StepFeatures, numTokens: number): StepFeatures {
  if (s.moe === undefined) return f;
  const unread = s.moe.numExperts - expectedDistinctExperts(s.moe.numExperts, s.moe.topK, numTokens);
  const e = s.moe.expertWeightBytes;
  return {
    ...f,
    weightBytes: {
      fp32: f.weightBytes.fp32 - unread * e.fp32,
      fp16: f.weightBytes.fp16 - unread * e.fp16,
      int8: f.weightBytes.int8 - unread * e.int8,
    },
    residentBytes: f.residentBytes - unread * (e.fp32 + e.fp16 + e.int8),
  };
}
