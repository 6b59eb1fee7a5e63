// @oicf/worker: code shared by the prefill and decode workers. Re-exports only.

// The emulation target and its step prediction live in @oicf/core (the twin's `oicf` step-time
// model uses the same code); re-exported here for the workers.
export {
  type EmulationTarget,
  emulationTarget,
  kvCapacityTokens,
  type PredictedStep,
  predictTargetStep,
  type StepShapeQuery,
  targetTransferSeconds,
} from '@oicf/core';
export {
  type WorkerConfig,
  type WorkerRole,
  workerConfigSchema,
  workerConfigSchemaFor,
} from './config/worker-config.js';
export { paceSeconds } from './emulation/pace-seconds.js';
export { type PacedStep, type PaceEvent, Pacer } from './emulation/pacer.js';
export { type StepAnalysis, StepAnalyzer } from './emulation/step-analyzer.js';
export {
  type BlockRange,
  blockRanges,
  encodePayload,
  exportBlocks,
  importPayload,
  type KvBlockPayload,
  type KvExporter,
  type KvImporter,
  splitPayload,
} from './kv/block-codec.js';
export { fetchPrefix, type PrefixFetch, type PrefixStaging } from './kv/fetch-prefix.js';
export { type HandoffShm, sendHandoff } from './kv/handoff-sender.js';
export { kvPathCounter } from './kv/kv-path-metrics.js';
export { PayloadPool } from './kv/payload-pool.js';
export {
  CpuMeter,
  type CpuMeterSink,
  type CpuUsageMicros,
  type LoopCpuCounters,
  loopCpuMeter,
} from './metrics/cpu-meter.js';
export { Ewma } from './metrics/ewma.js';
export { StepRecorder } from './metrics/step-recorder.js';
export {
  BATCH_SEQUENCES_BUCKETS,
  createWorkerMetrics,
  type KvLink,
  type Phase,
  STEP_SECONDS_BUCKETS,
  type WorkerComponent,
  type WorkerMetrics,
} from './metrics/worker-metrics.js';
export { Registration, type RegistrationOptions } from './registry/registration.js';
export { KernelStepRunner } from './runner/kernel-step-runner.js';
export { MODEL_NAMES, type ModelName, type ModelSetup, modelSetup } from './runner/model-setup.js';
export { bootWorker, type WorkerProcess } from './runtime/boot-worker.js';
export { loadWorkerConfigOrExit, type ProcessIo } from './runtime/load-worker-config.js';
export { thisMachine } from './runtime/this-machine.js';
export { startRegistration } from './runtime/worker-process.js';
export {
  createWorkerRuntime,
  type RuntimeOptions,
  registerRequest,
  type WorkerRuntime,
} from './runtime/worker-runtime.js';
export { LogprobRecorder } from './sampling/logprob-recorder.js';
export {
  drawSeed,
  sampleToken,
  sampleWithLogprob,
  samplingFromProto,
  type WorkerSamplingParams,
  workerSampler,
} from './sampling/sampler.js';
export { createLogger, type Logger, type LogLevel, silentLogger } from './util/logger.js';
