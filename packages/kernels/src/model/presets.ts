import { parseModelConfig, type TinyModelConfig, type WeightPrecision } from './config.js';

/**
 * The tiny family, mirrored from @oicf/core's catalog entries `tiny-mha`, `tiny-gqa`, `tiny-mla`
 * and `tiny-moe` (packages/oicf/src/models/catalog.ts): 4 layers, d_model 512, 8 heads ×
 * head_dim 64, SwiGLU 1536, byte vocab 259, untied lm_head; MHA 8 kv heads, GQA 2, MLA latent
 * 128 + rope 32 (qk_nope 64, v 64, no q_lora), MoE = GQA-2 with 8 experts top-2 of width 1024
 * in every layer. model-spec-mirror.test.ts checks the two stay equal.
 *
 * The `micro-*` family keeps every structural feature at a fraction of the size so unit tests
 * build and run each variant in milliseconds.
 */

export type VariantId = 'mha' | 'gqa' | 'mqa' | 'mla' | 'moe';
export const VARIANT_IDS: readonly VariantId[] = ['mha', 'gqa', 'mqa', 'mla', 'moe'];

const common = {
  vocabSize: 259,
  seed: 1234,
  ropeTheta: 10_000,
  rmsNormEpsilon: 1e-5,
};

const tinyBase = { ...common, numLayers: 4, hiddenSize: 512, numHeads: 8, headDim: 64, ffnIntermediateSize: 1536 };

function tinyShape(variant: VariantId): Omit<TinyModelConfig, 'weights' | 'maxPositions'> {
  switch (variant) {
    case 'mha':
      return { ...tinyBase, id: 'tiny-mha', numKvHeads: 8 };
    case 'gqa':
      return { ...tinyBase, id: 'tiny-gqa', numKvHeads: 2 };
    case 'mqa':
      // No catalog twin; same shape with one KV head.
      return { ...tinyBase, id: 'tiny-mqa', numKvHeads: 1 };
    case 'mla':
      return {
        ...tinyBase,
        id: 'tiny-mla',
        numKvHeads: 8,
        headDim: 96,
        mla: { kvLoraRank: 128, qkNopeHeadDim: 64, qkRopeHeadDim: 32, vHeadDim: 64 },
      };
    case 'moe':
      return {
        ...tinyBase,
        id: 'tiny-moe',
        numKvHeads: 2,
        moe: { numExperts: 8, topK: 2, expertIntermediateSize: 1024 },
      };
  }
}

const microBase = { ...common, numLayers: 2, hiddenSize: 64, numHeads: 4, headDim: 16, ffnIntermediateSize: 128 };

function microShape(variant: VariantId): Omit<TinyModelConfig, 'weights' | 'maxPositions'> {
  switch (variant) {
    case 'mha':
      return { ...microBase, id: 'micro-mha', numKvHeads: 4 };
    case 'gqa':
      return { ...microBase, id: 'micro-gqa', numKvHeads: 2 };
    case 'mqa':
      return { ...microBase, id: 'micro-mqa', numKvHeads: 1 };
    case 'mla':
      return {
        ...microBase,
        id: 'micro-mla',
        numKvHeads: 4,
        headDim: 24,
        mla: { kvLoraRank: 32, qkNopeHeadDim: 16, qkRopeHeadDim: 8, vHeadDim: 16 },
      };
    case 'moe':
      return {
        ...microBase,
        id: 'micro-moe',
        numKvHeads: 2,
        moe: { numExperts: 4, topK: 2, expertIntermediateSize: 64 },
      };
  }
}

export interface PresetOptions {
  readonly weights?: WeightPrecision;
  readonly seed?: number;
  /** Default 65,536 for tiny (the catalog's maxContextTokens), 1,024 for micro. */
  readonly maxPositions?: number;
}

/** A `tiny-*` config: the analytic catalog's twin, the size the benchmarks and `oicf roofline` run. */
export function tinyConfig(variant: VariantId, opts: PresetOptions = {}): TinyModelConfig {
  return parseModelConfig({
    ...tinyShape(variant),
    weights: opts.weights ?? 'fp32',
    seed: opts.seed ?? common.seed,
    maxPositions: opts.maxPositions ?? 65_536,
  });
}

/** A `micro-*` config: same structure, small enough for unit tests. */
export function microConfig(variant: VariantId, opts: PresetOptions = {}): TinyModelConfig {
  return parseModelConfig({
    ...microShape(variant),
    weights: opts.weights ?? 'fp32',
    seed: opts.seed ?? common.seed,
    maxPositions: opts.maxPositions ?? 1024,
  });
}

/** Model ids of the presets: `tiny-<variant>` and `micro-<variant>`. */
export const PRESET_MODEL_IDS: readonly string[] = VARIANT_IDS.flatMap((v) => [`tiny-${v}`, `micro-${v}`]);

/**
 * The preset config named `modelId` (`tiny-gqa`, `micro-mla`, …); throws a RangeError naming the valid ids for anything else.
 */
export function presetConfig(modelId: string, opts: PresetOptions = {}): TinyModelConfig {
  const [family, variant] = modelId.split('-');
  if (!PRESET_MODEL_IDS.includes(modelId) || variant === undefined) {
    throw new RangeError(`unknown tiny model '${modelId}'; valid: ${PRESET_MODEL_IDS.join(', ')}`);
  }
  return family === 'tiny' ? tinyConfig(variant as VariantId, opts) : microConfig(variant as VariantId, opts);
}
