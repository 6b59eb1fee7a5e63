import {
  analyzePoint,
  CONVENTIONS,
  type ConventionOptions,
  type DeviceSpec,
  type ModelSpec,
  type MoeWeightMode,
  type PointResult,
  type PrecisionConfig,
} from '@oicf/core';
import type { TinyModelConfig, WeightPrecision } from './config.js';

/**
 * The analytic twin of a tiny config in @oicf/core's terms, and the counting convention under
 * which the per-node counter and @oicf/core agree: matmul FLOPs equal, bytes = weights + KV.
 */

/** The ModelSpec @oicf/core analyzes for this config (the catalog's tiny-* for the presets). */
export function toModelSpec(c: TinyModelConfig): ModelSpec {
  const base = {
    id: c.id,
    displayName: c.id,
    source: '@oicf/kernels TinyModelConfig (mirrored by toModelSpec)',
    numLayers: c.numLayers,
    hiddenSize: c.hiddenSize,
    numHeads: c.numHeads,
    vocabSize: c.vocabSize,
    tiedEmbeddings: false,
    ffn: { intermediateSize: c.ffnIntermediateSize, gated: true },
    maxContextTokens: c.maxPositions,
    ...(c.moe
      ? {
          moe: {
            numExperts: c.moe.numExperts,
            topK: c.moe.topK,
            expertIntermediateSize: c.moe.expertIntermediateSize,
            numSharedExperts: 0,
            sharedExpertIntermediateSize: 0,
            numDenseLayers: 0,
          },
        }
      : {}),
  };
  if (c.mla) {
    return {
      ...base,
      numKvHeads: c.numHeads,
      headDim: c.mla.qkNopeHeadDim + c.mla.qkRopeHeadDim,
      mla: {
        kvLoraRank: c.mla.kvLoraRank,
        qLoraRank: 0,
        qkNopeHeadDim: c.mla.qkNopeHeadDim,
        qkRopeHeadDim: c.mla.qkRopeHeadDim,
        vHeadDim: c.mla.vHeadDim,
      },
    };
  }
  return { ...base, numKvHeads: c.numKvHeads, headDim: c.headDim };
}

/**
 * Precisions as the graphs run them: KV fp32 always; fp32 weights → fp32 matmuls; fp16 weights →
 * fp16 GEMMs (activations cast in); int8 weights → u8s8 integer GEMMs (activations quantized).
 */
export function precisionConfigFor(weights: WeightPrecision): PrecisionConfig {
  return { weights, kv: 'fp32', activations: weights };
}

export interface TwinConventionOptions {
  /** Prefill graphs built with logits 'all' run lm_head on every token. */
  readonly prefillLogits: 'all' | 'last';
  /** How expert weight bytes compare: 'top-k' for a step counted with its real routing at one
   * token, 'all-experts' for the counter's default expectation, 'expected-distinct' otherwise. */
  readonly moeWeights: MoeWeightMode;
}

/**
 * The convention matching the counter's ideal count: full-square prefill attention (the graphs
 * compute the masked square), matmul FLOPs only, no activation traffic, MLA expanded for prefill
 * and absorbed for decode, decode attends the new token, embedding rows and KV writes counted.
 */
export function twinConvention(opts: TwinConventionOptions): ConventionOptions {
  return {
    ...CONVENTIONS.paper,
    prefillAttention: 'full-square',
    countElementwiseFlops: false,
    activationTraffic: 'none',
    lmHeadTokens: opts.prefillLogits,
    moeWeights: opts.moeWeights,
    mlaAttention: 'auto',
    decodeAttendsNewToken: true,
    countEmbeddingGather: true,
    countKvWrite: true,
  };
}

export interface TwinStep {
  readonly phase: 'prefill' | 'decode';
  /** Prefill: tokens cached before (one sequence). Decode: each sequence's context. */
  readonly contextTokens: readonly number[];
  /** Prefill: new tokens. */
  readonly numNewTokens: number;
}

/** @oicf/core's analysis of one step of this config on `device` (e.g. thisMachineDevice(calibration)). */
export function analyzeTwin(
  config: TinyModelConfig,
  step: TwinStep,
  device: DeviceSpec,
  opts: TwinConventionOptions,
): PointResult {
  const common = {
    model: toModelSpec(config),
    device,
    precision: precisionConfigFor(config.weights),
    convention: twinConvention(opts),
  };
  if (step.phase === 'prefill') {
    return analyzePoint({
      ...common,
      phase: 'prefill',
      batch: 1,
      newTokens: step.numNewTokens,
      cachedTokens: step.contextTokens[0] ?? 0,
    });
  }
  return analyzePoint({ ...common, phase: 'decode', contextTokens: step.contextTokens });
}
