// Where each worker sits on the roofline and the OI–CF plane right now, from its last heartbeat (pure).
//
//   OI    counted operational intensity of its last sampled step of that phase (the worker counts the FLOPs
//         and the weight + KV bytes of the ONNX graph it ran; heartbeat prefill/decode_intensity_flops_per_byte)
//   CF    capacity footprint per request: the weights shared by the batch plus the request's KV.
//         decode  (weights + KV bytes in use) ÷ running sequences          (the worker's own KV accounting)
//         prefill  weights + KV of the mean prompt the router saw recently (one prompt per prefill step; the
//                  heartbeat does not say which prompt the sampled step had)
//   FLOP/s  @oicf/core's FLOP count of that step shape ÷ the worker's measured time for it (decode step
//           seconds; prefill fixed + per-token seconds from its fitted line)
//
// So a decode point walks right (CF grows) and down (OI falls as KV reads grow) while its contexts grow.
import {
  analyzePointWith,
  type DeviceSpec,
  getModel,
  kvBytesPerToken,
  type ModelSpec,
  type PrecisionConfig,
  unwrap,
  weightBytes,
} from '@oicf/core';

export interface ServedModel {
  readonly id: string;
  readonly weightPrecision: 'fp32' | 'int8';
  readonly weightBytes: number;
  readonly kvBytesPerToken: number;
  /** FLOPs of one decode step of `batch` sequences at `contextTokens` each (@oicf/core, oicf convention). */
  decodeFlops(batch: number, contextTokens: number): number;
  /** FLOPs of prefilling `numTokens` prompt tokens of one sequence from scratch. */
  prefillFlops(numTokens: number): number;
}

/** The served tiny model as the workers run it: weights at `weightPrecision`, KV and math in fp32. */
export function servedModel(modelId: string, weightPrecision: 'fp32' | 'int8', device: DeviceSpec): ServedModel {
  const model: ModelSpec = unwrap(getModel(modelId));
  const precision: PrecisionConfig = { weights: weightPrecision, kv: 'fp32', activations: 'fp32' };
  const base = { model, device, precision } as const;
  return {
    id: modelId,
    weightPrecision,
    weightBytes: weightBytes(model, precision),
    kvBytesPerToken: kvBytesPerToken(model, precision),
    decodeFlops: (batch, contextTokens) =>
      analyzePointWith(
        { ...base, phase: 'decode', batch, contextTokens: Math.max(0, Math.round(contextTokens)) },
        false,
      ).flops,
    prefillFlops: (numTokens) =>
      analyzePointWith({ ...base, phase: 'prefill', batch: 1, newTokens: Math.max(1, Math.round(numTokens)) }, false)
        .flops,
  };
}

/** The heartbeat figures a point needs (WorkerLoad in @oicf/sched, as the registry keeps it). */
export interface LoadFigures {
  readonly numRunningSequences: number;
  readonly kvUsedBytes: number;
  readonly prefillSecondsPerToken: number;
  readonly prefillFixedSeconds: number;
  readonly decodeStepSeconds: number;
  readonly prefillIntensityFlopsPerByte: number;
  readonly decodeIntensityFlopsPerByte: number;
}

export interface PhasePoint {
  readonly intensityFlopsPerByte: number;
  readonly capacityFootprintBytes: number;
  /** Achieved FLOP/s (null until the worker has timed a step of this phase). */
  readonly flopsPerSecond: number | null;
  /** Sequences sharing the weights in this step. */
  readonly batch: number;
  /** Mean context (decode) or prompt length (prefill), tokens. */
  readonly contextTokens: number;
}

/** The decode point of a decode-capable worker, or null while it decodes nothing or has not sampled a step. */
export function decodePoint(load: LoadFigures, model: ServedModel): PhasePoint | null {
  const batch = load.numRunningSequences;
  if (!(load.decodeIntensityFlopsPerByte > 0) || batch < 1) return null;
  const kvPerSequence = load.kvUsedBytes / batch;
  const contextTokens = model.kvBytesPerToken > 0 ? kvPerSequence / model.kvBytesPerToken : 0;
  const flops = load.decodeStepSeconds > 0 ? model.decodeFlops(batch, contextTokens) : 0;
  return {
    intensityFlopsPerByte: load.decodeIntensityFlopsPerByte,
    capacityFootprintBytes: model.weightBytes / batch + kvPerSequence,
    flopsPerSecond: flops > 0 ? flops / load.decodeStepSeconds : null,
    batch,
    contextTokens,
  };
}

/** The prefill point of a worker that prefills, at the mean recent prompt; null before its first sampled step. */
export function prefillPoint(load: LoadFigures, model: ServedModel, meanPromptTokens: number): PhasePoint | null {
  if (!(load.prefillIntensityFlopsPerByte > 0) || !(meanPromptTokens > 0)) return null;
  const seconds = load.prefillFixedSeconds + load.prefillSecondsPerToken * meanPromptTokens;
  return {
    intensityFlopsPerByte: load.prefillIntensityFlopsPerByte,
    capacityFootprintBytes: model.weightBytes + meanPromptTokens * model.kvBytesPerToken,
    flopsPerSecond: seconds > 0 ? model.prefillFlops(meanPromptTokens) / seconds : null,
    batch: 1,
    contextTokens: meanPromptTokens,
  };
}
