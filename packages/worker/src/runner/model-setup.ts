import type { PrecisionConfig } from '@oicf/core';
import {
  kvBytesPerToken,
  microConfig,
  precisionConfigFor,
  type TinyModelConfig,
  tinyConfig,
  type VariantId,
} from '@oicf/kernels';

/** Model names a worker can run: the tiny family (the catalog's twins) and the micro family (tests). */
export const MODEL_NAMES = [
  'tiny-mha',
  'tiny-gqa',
  'tiny-mqa',
  'tiny-mla',
  'tiny-moe',
  'micro-mha',
  'micro-gqa',
  'micro-mqa',
  'micro-mla',
  'micro-moe',
] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export interface ModelSetup {
  readonly config: TinyModelConfig;
  /** KV bytes per token as the runner stores it (fp32, all layers). */
  readonly kvBytesPerToken: number;
  /** Precisions as the graphs run them (KV fp32), for @oicf/core analyses of this model. */
  readonly precision: PrecisionConfig;
}

/**
 * The kernels config for a worker: same weights in every process given the same (name, precision,
 * seed). `maxTokensPerSequence` sets the RoPE table length; it does not change any value computed.
 */
export function modelSetup(
  name: ModelName,
  weights: 'fp32' | 'int8',
  seed: number,
  maxTokensPerSequence: number,
): ModelSetup {
  const [family, variant] = name.split('-') as ['tiny' | 'micro', VariantId];
  const options = { weights, seed, maxPositions: maxTokensPerSequence };
  const config = family === 'tiny' ? tinyConfig(variant, options) : microConfig(variant, options);
  return { config, kvBytesPerToken: kvBytesPerToken(config), precision: precisionConfigFor(weights) };
}
