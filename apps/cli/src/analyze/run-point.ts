import {
  analyzePoint,
  type DeviceSpec,
  kvBytesPerToken,
  type ModelSpec,
  OicfCoreError,
  type PointQuery,
  type PointResult,
  type PrecisionConfig,
  precisionLabel,
  type ShardingSpec,
  shardPlan,
  weightBytes,
} from '@oicf/core';
import { UsageError } from '../command.js';
import type { AnalyzeArgs } from './args.js';
import type { AnalyzeInputs } from './resolve-inputs.js';

/**
 * One point query: the step the flags describe, evaluated by the core.
 * Defaults: batch 1; decode at a 4,096-token context (or --prompt when only
 * that is given); prefill of a 4,096-token prompt over --context cached
 * tokens (default 0). --tp N splits the model tensor-parallel over N devices
 * (tensor+expert for MoE models).
 */

export const DEFAULT_CONTEXT_TOKENS = 4096;
export const DEFAULT_PROMPT_TOKENS = 4096;

export interface PointRun {
  readonly model: ModelSpec;
  readonly device: DeviceSpec;
  readonly precision: PrecisionConfig;
  readonly precisionId: string;
  readonly query: PointQuery;
  readonly result: PointResult;
  readonly kvBytesPerToken: number;
  readonly weightBytes: number;
  /** Things the user may not have meant but that are not errors (context beyond the model's positions). */
  readonly warnings: readonly string[];
}

export function runPoint(args: AnalyzeArgs, inputs: AnalyzeInputs): PointRun {
  const model = inputs.models[0];
  const device = inputs.devices[0];
  const precision = inputs.precisions[0];
  if (!model || !device || !precision) throw new Error('runPoint: inputs must hold one model, device and precision');
  const sharding = shardingFor(model, args.numTensorParallel);
  // Checked before the step so the message names the flag (domain size, head divisibility).
  coreCall(() => shardPlan(model, device, sharding), `--tp ${args.numTensorParallel}`);
  const base = {
    model,
    device,
    precision,
    convention: inputs.convention.options,
    ...(sharding ? { sharding } : {}),
    ...(inputs.kvPlacement ? { kvPlacement: inputs.kvPlacement } : {}),
  };
  const batch = args.batch ?? 1;
  const query: PointQuery =
    args.phase === 'prefill'
      ? {
          ...base,
          phase: 'prefill',
          batch,
          newTokens: args.promptTokens ?? DEFAULT_PROMPT_TOKENS,
          cachedTokens: args.contextTokens ?? 0,
        }
      : {
          ...base,
          phase: 'decode',
          batch,
          contextTokens: args.contextTokens ?? args.promptTokens ?? DEFAULT_CONTEXT_TOKENS,
        };
  return {
    model,
    device,
    precision,
    precisionId: precisionLabel(precision),
    query,
    result: coreCall(() => analyzePoint(query)),
    kvBytesPerToken: kvBytesPerToken(model, precision),
    weightBytes: weightBytes(model, precision),
    warnings: contextWarnings(model, query),
  };
}

/**
 * A warning (not an error: exploring past a model's limit is legitimate) when the step's
 * sequence is longer than the model's positions (ModelSpec.maxContextTokens). Decode: the
 * context itself beyond the limit; prefill: cached + new tokens beyond it.
 */
export function contextWarnings(model: ModelSpec, query: PointQuery): string[] {
  const max = model.maxContextTokens;
  const limit = `${model.id}'s maximum of ${count(max)} positions`;
  if (query.phase === 'decode') {
    const context = typeof query.contextTokens === 'number' ? query.contextTokens : Math.max(...query.contextTokens);
    return context > max ? [`--context ${count(context)} is beyond ${limit}; figures extrapolate the model`] : [];
  }
  const total = (query.cachedTokens ?? 0) + query.newTokens;
  return total > max
    ? [
        `--context ${count(query.cachedTokens ?? 0)} + --prompt ${count(query.newTokens)} = ${count(total)} tokens is beyond ${limit}; figures extrapolate the model`,
      ]
    : [];
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** --tp N as the core's sharding spec; undefined for one device. */
export function shardingFor(model: ModelSpec, numDevices: number | undefined): ShardingSpec | undefined {
  if (numDevices === undefined || numDevices === 1) return undefined;
  return { numDevices, strategy: model.moe ? 'tensor+expert' : 'tensor' };
}

/** Runs a core computation; its INVALID_ARGUMENT / NOT_FOUND errors are the user's input, so they
 * become UsageErrors (prefixed with the flag when one is named). */
export function coreCall<T>(fn: () => T, flag?: string): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof OicfCoreError) throw new UsageError(flag ? `${flag}: ${err.message}` : err.message);
    throw err;
  }
}
