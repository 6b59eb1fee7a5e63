import { analyzePointWith } from '../analysis/analyze-point.js';
import { shardPlan } from '../analysis/sharding.js';
import { unwrap } from '../errors.js';
import { getLink } from '../hardware/links.js';
import { kvBytesPerToken, weightBytes } from '../models/parameters.js';
import { parseTargetSpec } from '../parse/parse-target.js';
import { PRECISION_PRESETS } from '../precision.js';
import { fitWeightsSharding } from '../sweep/fit-sharding.js';
import type { DeviceSpec, LinkSpec, ModelSpec, PointResult, PrecisionConfig, Regime, ShardingSpec } from '../types.js';
import type { StepShapeQuery } from './step-time-model.js';

/**
 * What a worker pretends to be under `emulate: "<model>@<device>"`: a catalog model in bf16 on a
 * tensor-parallel domain of catalog devices just large enough for the weights (`fitWeightsSharding`),
 * with KV transfers over a catalog link. The tiny real kernel still runs; the worker's pacer
 * (@oicf/worker pacer.ts) stretches steps and transfers to these predictions, and the twin's `oicf`
 * step-time model (oicf-step-time.ts) returns the same predictions in virtual time.
 */
export interface EmulationTarget {
  readonly model: ModelSpec;
  readonly device: DeviceSpec;
  readonly precision: PrecisionConfig;
  readonly sharding: ShardingSpec;
  readonly link: LinkSpec;
  /** KV bytes per token of the target model at bf16 (Llama-3.1-70B: 327,680). */
  readonly kvBytesPerToken: number;
}

/** Resolves `<model>@<device>` and a link id against the catalogs (throws OicfCoreError NOT_FOUND). */
export function emulationTarget(spec: string, linkId: string): EmulationTarget {
  const { model, device } = unwrap(parseTargetSpec(spec));
  const precision = PRECISION_PRESETS.bf16;
  return {
    model,
    device,
    precision,
    sharding: fitWeightsSharding(model, device, precision),
    link: unwrap(getLink(linkId)),
    kvBytesPerToken: kvBytesPerToken(model, precision),
  };
}

/**
 * Tokens of KV the target domain holds after its weights:
 *   ⌊(numDevices · memoryCapacityBytes − weightBytes) / (kvBytesPerToken · kvReplication)⌋, ≥ 0,
 * kvReplication > 1 only when tensor parallelism must replicate KV heads (more devices than heads, MLA).
 */
export function kvCapacityTokens(target: EmulationTarget): number {
  const plan = shardPlan(target.model, target.device, target.sharding);
  const freeBytes = plan.numDevices * target.device.memoryCapacityBytes - weightBytes(target.model, target.precision);
  return Math.max(0, Math.floor(freeBytes / (target.kvBytesPerToken * plan.kvReplication)));
}

export interface PredictedStep {
  readonly stepSeconds: number;
  readonly regime: Regime;
  readonly intensityFlopsPerByte: number;
}

/**
 * What a step prediction needs of a target: the model, its precision and its domain (no link). An
 * EmulationTarget is one; so is the served tiny model on this machine's calibrated device.
 */
export type StepTarget = Pick<EmulationTarget, 'model' | 'device' | 'precision' | 'sharding'>;

/** @oicf/core's roofline prediction of one step of the target model on the target domain. */
export function predictTargetStep(target: StepTarget, shape: StepShapeQuery): PredictedStep {
  const r = analyzeTargetStep(target, shape);
  return {
    stepSeconds: r.predicted.stepSeconds,
    regime: r.regime,
    intensityFlopsPerByte: r.operationalIntensityFlopsPerByte,
  };
}

/** The whole @oicf/core analysis behind predictTargetStep (compute, memory and communication times). */
export function analyzeTargetStep(target: StepTarget, shape: StepShapeQuery): PointResult {
  const common = {
    model: target.model,
    device: target.device,
    precision: target.precision,
    sharding: target.sharding,
  };
  return shape.phase === 'prefill'
    ? analyzePointWith(
        { ...common, phase: 'prefill', batch: 1, newTokens: shape.numNewTokens, cachedTokens: shape.cachedTokens },
        false,
      )
    : analyzePointWith({ ...common, phase: 'decode', contextTokens: shape.contextTokens }, false);
}

/** Seconds to move `numTokens` of the target model's KV over the target link: latency + bytes / bandwidth. */
export function targetTransferSeconds(target: EmulationTarget, numTokens: number): number {
  if (numTokens <= 0) return 0;
  return target.link.latencySeconds + (numTokens * target.kvBytesPerToken) / target.link.bandwidthBytesPerSecond;
}
