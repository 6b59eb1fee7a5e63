// @oicf/kernels: tiny transformer kernels as ONNX graphs, counted per node and run with
// onnxruntime-node. Re-exports only.

export { type CalibrationOptions, calibrate, DEFAULT_CALIBRATION } from './calibrate/calibrate.js';
export {
  CalibrationFileError,
  type CalibrationProfileFile,
  DEFAULT_CALIBRATION_PATH,
  type GemmMeasurement,
  loadCalibration,
  type Measurement,
  parseCalibration,
  saveCalibration,
} from './calibrate/calibration-file.js';
export {
  type CalibrationReuse,
  calibrationReuse,
  QUICK_CALIBRATION,
  type WantedCalibration,
} from './calibrate/calibration-reuse.js';
export { emptyGraph, type GemmPrecision, gemmGraph, streamGraph } from './calibrate/micro-kernels.js';
export {
  type CountOptions,
  type CountTotals,
  countGraph,
  type GraphCount,
  isKvInputName,
} from './count/count-graph.js';
export { type CostKind, ELEMENTWISE_FLOPS_PER_ELEMENT, type NodeCost } from './count/op-costs.js';
export {
  buildDecodeGraph,
  buildPrefillGraph,
  type DecodeGraphOptions,
  type PrefillGraphOptions,
} from './model/build-graphs.js';
export { type BuiltModel, buildModel } from './model/build-model.js';
export {
  type CacheInputKind,
  type CacheInputSpec,
  cacheSplit,
  concreteInput,
  DECODE_V_BLOCKS,
  DEFAULT_K_TILE_TOKENS,
  DEFAULT_PREFILL_CHUNK_TOKENS,
  decodeCacheDims,
  decodeCacheInputSpecs,
  prefillCacheDims,
  prefillCacheInputSpecs,
} from './model/cache-inputs.js';
export {
  configKey,
  type MlaConfig,
  ModelConfigError,
  type MoeConfig,
  numQueryGroups,
  parseModelConfig,
  type TinyModelConfig,
  type WeightPrecision,
} from './model/config.js';
export {
  type AttentionKernelSpec,
  buildDecodeAttentionKernel,
  buildGemmKernel,
  buildMoeKernel,
  buildPrefillAttentionKernel,
  type GemmKernelSpec,
  type MoeKernelSpec,
} from './model/kernels.js';
export {
  decodeKvInputName,
  KV_BYTES_PER_ELEMENT,
  type KvGroup,
  type KvStream,
  kvBytesPerToken,
  kvElementsPerTokenPerLayer,
  kvGroups,
  kvStreams,
  moeRoutingOutputName,
  newKvOutputName,
  pastInputName,
} from './model/kv-layout.js';
export {
  analyzeTwin,
  precisionConfigFor,
  type TwinConventionOptions,
  type TwinStep,
  toModelSpec,
  twinConvention,
} from './model/oicf-twin.js';
export { microConfig, type PresetOptions, tinyConfig, VARIANT_IDS, type VariantId } from './model/presets.js';
export { WeightStore } from './model/weight-store.js';
export { DTYPE_BYTES, type DType } from './onnx/dtype.js';
export { type Graph, type GraphNode, type Initializer, withoutWeightData } from './onnx/graph.js';
export { GraphBuilder, ONNX_OPSET } from './onnx/graph-builder.js';
export { decodeModel, encodeModel } from './onnx/onnx-codec.js';
export {
  probeRate,
  type RepeatState,
  repeatState,
  type StateThreshold,
  type TwoGroupSplit,
  twoGroupSplit,
} from './roofline/cache-state.js';
export {
  fitRoofline,
  type PointFidelity,
  pointLabel,
  pointQuery,
  type RooflineFit,
} from './roofline/fit-roofline.js';
export { type MeasuredRuns, measurePoint, syntheticKv, WARMUP_RUNS } from './roofline/measure-point.js';
export {
  DEFAULT_REPEAT_JUDGEMENT,
  type JudgedPoint,
  judgeRepeats,
  type RepeatFigure,
  type RepeatJudgement,
  type RepeatRuns,
} from './roofline/point-repeats.js';
export { mergePasses, type PointRuns, withRuns } from './roofline/point-runs.js';
export { READ_PROBE_MIB, ReadProbe, type ReadRate } from './roofline/read-probe.js';
export {
  cleanMedian,
  cleanRuns,
  cpuStallMicros,
  HOST_CPU_USAGE_PATH,
  hostCpuNanos,
  isCleanRun,
  MAX_WAIT_FRACTION,
  ownCpuNanos,
  type RunQuality,
  threadTimes,
  threadWaitNanos,
  waitFractions,
} from './roofline/run-quality.js';
export {
  describePoint,
  type RooflinePoint,
  runPoints,
  runSweep,
  type SweepRunOptions,
} from './roofline/run-sweep.js';
export {
  type ClusterAgreement,
  clusterAgreement,
  judgeByState,
  type StateJudgedPoint,
  type StateRepeat,
} from './roofline/state-repeats.js';
export {
  FULL_SWEEP,
  type PlannedPoint,
  planSweep,
  QUICK_SWEEP,
  type SweepSpec,
  sweepConfig,
} from './roofline/sweep-plan.js';
export { type SweepStructures, sweepStructures } from './roofline/sweep-structures.js';
export { causalMask } from './runtime/graph-io.js';
export {
  CACHE_LINE_BYTES,
  type CounterAvailability,
  countDuring,
  HARDWARE_EVENTS,
  parsePerfStat,
  probeHardwareCounters,
} from './runtime/hardware-counters.js';
export { KernelError, type KernelErrorCode } from './runtime/kernel-error.js';
export { KernelRunner, type KernelRunnerOptions } from './runtime/kernel-runner.js';
export {
  type NodeRole,
  type NodeTiming,
  type OperatorPoint,
  operatorPoints,
  type ParseOptions,
  type ProfileSummary,
  parseProfile,
  type RoleTime,
  readProfiles,
  roleTimes,
} from './runtime/profile.js';
export { SequenceKv } from './runtime/sequence-kv.js';
export { DEFAULT_SPINNING, type Spinning, spinningOptions } from './runtime/spinning.js';
export type { StepOutput } from './runtime/step-output.js';
export { type StepCounted, type StepInfo, StepStats } from './runtime/step-stats.js';
export { type MeasuredTraffic, TrafficProbe, trafficFromProfile } from './runtime/traffic.js';
export {
  logSumExp,
  MAX_TOP_LOGPROBS,
  type TokenLogprob,
  type TopLogprob,
  tokenLogprob,
  topIds,
} from './sampling/logprobs.js';
export { argmax, type SampleOptions, SampleRng, sample } from './sampling/sample.js';
// The calibrated step-time model (also its own onnxruntime-free entry, @oicf/kernels/step-time).
export * from './step-time/index.js';
