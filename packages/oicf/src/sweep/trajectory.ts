import { analyzePointWith } from '../analysis/analyze-point.js';
import { resolveConvention } from '../conventions/presets.js';
import { requireNumber } from '../errors.js';
import type {
  ConventionName,
  ConventionOptions,
  DeviceSpec,
  ModelSpec,
  PointResult,
  PrecisionConfig,
  ShardingSpec,
  Trajectory,
  TrajectoryOptions,
  TrajectoryPoint,
  WorkflowSpec,
} from '../types.js';
import { simulateSession } from '../workflows/simulate-session.js';
import { fitWeightsSharding } from './fit-sharding.js';

export const DEFAULT_MAX_DECODE_BATCH = 256;

/** A simulated session of `workflow` served by `model` on `device`: per turn, the prefill of the
 * new input (batch 1, over the cached prefix) and the turn's decode (at the mean context of its
 * steps, batch per options.decodeBatch, default 'max'). The session's context cap is the smaller
 * of the workflow's and the model's. Deterministic for a seed (default 0). */
export function trajectory(
  workflow: WorkflowSpec,
  model: ModelSpec,
  device: DeviceSpec,
  precision: PrecisionConfig,
  convention?: ConventionName | ConventionOptions,
  options: TrajectoryOptions = {},
): Trajectory {
  const resolved = resolveConvention(convention);
  const decodeBatch = options.decodeBatch ?? 'max';
  if (decodeBatch !== 'max') requireNumber('decodeBatch', decodeBatch, 1, true);
  const maxDecodeBatch = options.maxDecodeBatch ?? DEFAULT_MAX_DECODE_BATCH;
  requireNumber('maxDecodeBatch', maxDecodeBatch, 1, true);
  const prefixCaching = options.prefixCaching ?? true;
  const sharding: ShardingSpec | undefined =
    options.sharding === 'fit-weights' ? fitWeightsSharding(model, device, precision) : options.sharding;
  const capped = { ...workflow, maxContextTokens: Math.min(workflow.maxContextTokens, model.maxContextTokens) };
  const turns = simulateSession(capped, options.seed ?? 0, options.numTurns);
  const base = {
    model,
    device,
    precision,
    convention: resolved.options,
    ...(sharding ? { sharding } : {}),
    ...(options.kvPlacement ? { kvPlacement: options.kvPlacement } : {}),
  };

  const points: TrajectoryPoint[] = [];
  for (const turn of turns) {
    const kept = turn.contextTokensBefore - turn.numDroppedTokens;
    const cached = prefixCaching && turn.numDroppedTokens === 0 ? kept : 0;
    // At least one token is prefilled per turn (the turn delimiter), even with no new input.
    const newTokens = Math.max(1, kept + turn.numNewInputTokens - cached);
    const prefill = analyzePointWith({ ...base, phase: 'prefill', batch: 1, newTokens, cachedTokens: cached }, false);
    points.push(toPoint(turn.index, prefill, newTokens, cached, prefill.predicted.stepSeconds));

    // Decode steps run at contexts start … start + output − 1; their mean is the evaluation point.
    const start = kept + turn.numNewInputTokens;
    const meanContext = Math.round(start + Math.max(0, turn.numOutputTokens - 1) / 2);
    let decode = analyzePointWith({ ...base, phase: 'decode', batch: 1, contextTokens: meanContext }, false);
    const batch = decodeBatch === 'max' ? Math.max(1, Math.min(maxDecodeBatch, decode.batchMax)) : decodeBatch;
    if (batch !== 1) {
      decode = analyzePointWith({ ...base, phase: 'decode', batch, contextTokens: meanContext }, false);
    }
    const step = decode.predicted.stepSeconds;
    points.push(toPoint(turn.index, decode, turn.numOutputTokens, meanContext, turn.numOutputTokens * step));
  }
  return {
    workflowId: workflow.id,
    modelId: model.id,
    deviceId: device.id,
    precision,
    convention: resolved.name,
    conventionOptions: resolved.options,
    turns,
    points,
  };
}

function toPoint(
  turn: number,
  result: PointResult,
  numTokens: number,
  contextTokens: number,
  phaseSeconds: number,
): TrajectoryPoint {
  return {
    turn,
    phase: result.phase,
    batch: result.batch,
    numDevices: result.numDevices,
    contextTokens,
    numTokens,
    flops: result.flops,
    totalBytes: result.bytes.totalBytes,
    operationalIntensityFlopsPerByte: result.operationalIntensityFlopsPerByte,
    capacityFootprintBytes: result.capacityFootprint.totalBytes,
    regime: result.regime,
    batchMax: result.batchMax,
    stepSeconds: result.predicted.stepSeconds,
    phaseSeconds,
    mfu: result.mfu,
    mbu: result.mbu,
  };
}
