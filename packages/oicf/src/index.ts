// @oicf/core: the pure analytic model of Operational Intensity and Capacity Footprint.
// Re-exports only; docs/oicf.md documents every formula and convention.

export { analyzePoint, analyzePointWith } from './analysis/analyze-point.js';
export { type BatchMaxArgs, type BatchMaxBytes, batchMax, batchMaxFromBytes } from './analysis/batch-max.js';
export { expectedDistinctExperts, expertsReadPerLayer } from './analysis/moe.js';
export { intensity } from './analysis/operator-row.js';
export { operatorRows } from './analysis/operators.js';
export { type RecomputeTarget, recomputeSecondsForBlockOf } from './analysis/recompute-cost.js';
export { attainableFlopsPerSecond, classifyRegime, mbu, mfu, ridgePointFlopsPerByte } from './analysis/roofline.js';
export { type Communication, communication, type ShardPlan, shardPlan } from './analysis/sharding.js';
export { decodeShape, prefillShape, type StepShape, uniformShape } from './analysis/step-shape.js';
export { DEVICE_ECONOMICS, TYPICAL_SHARE_OF_TDP } from './catalog/device-economics.js';
export { deviceEconomics, tierEconomics } from './catalog/economics.js';
export { AMORTIZATION_MONTHS, HOURS_PER_MONTH, LINK_ECONOMICS, TIER_ECONOMICS } from './catalog/tier-economics.js';
export { lookupById } from './catalog-lookup.js';
export {
  CONVENTION_NAMES,
  CONVENTIONS,
  DEFAULT_CONVENTION,
  getConvention,
  resolveConvention,
} from './conventions/presets.js';
export {
  analyzeTargetStep,
  type EmulationTarget,
  emulationTarget,
  kvCapacityTokens,
  type PredictedStep,
  predictTargetStep,
  type StepTarget,
  targetTransferSeconds,
} from './emulation/emulation-target.js';
export { directOicfStepSeconds, oicfStepTimeModel } from './emulation/oicf-step-time.js';
export { checkStepShape, type StepShapeQuery, type StepTimeModel } from './emulation/step-time-model.js';
export { OicfCoreError, unwrap } from './errors.js';
export { computePrecision, peakFlopsPerSecond, ridgeFlopsPerByte } from './hardware/device-peak.js';
export { DEVICE_IDS, DEVICES, getDevice } from './hardware/devices.js';
export { getLink, LINK_IDS, LINKS } from './hardware/links.js';
export { THIS_MACHINE_DESIGN_PROFILE, thisMachineDevice } from './hardware/this-machine.js';
export {
  getTier,
  isPoolTierId,
  isTierId,
  POOL_TIER_IDS,
  POOL_TIERS,
  type PoolTierConfigKey,
  type PoolTierId,
  type PoolTierSpec,
  TIER_IDS,
  TIERS,
  type TierId,
  tierFromProtoName,
  tierProtoName,
  tierSpec,
} from './hardware/tiers.js';
export { MODELS } from './models/catalog.js';
export { getModel, MODEL_IDS } from './models/lookup.js';
export {
  attentionParameters,
  ffnParameters,
  kvBytesPerToken,
  kvElementsPerTokenPerLayer,
  layerCounts,
  parameterCount,
  weightBytes,
} from './models/parameters.js';
export { deviceSpecSchema, parseDeviceSpec } from './parse/device-schema.js';
export { deviceEconomicsSchema, sourcedFigureSchema, tierEconomicsSchema } from './parse/economics-schema.js';
export {
  HF_MODEL_TYPES,
  type HfConfigOptions,
  type HfModel,
  isHfConfig,
  parseHfConfig,
  parseModelFile,
} from './parse/hf-config.js';
export { linkRefSchema, linkSpecSchema } from './parse/link-schema.js';
export { mlaSpecSchema, modelSpecSchema, moeSpecSchema, parseModelSpec } from './parse/model-schema.js';
export { parseTargetSpec, type TargetSpec, targetSpecProblems } from './parse/parse-target.js';
export { parseWorkflowSpec, workflowSpecSchema } from './parse/workflow-schema.js';
export { describe as describeValue, type NumberRule, numberContract, numberField } from './parse/zod-fields.js';
export { fieldIssues, parseWith } from './parse/zod-issues.js';
export { median, percentile, sortedFinite } from './percentile.js';
export {
  BYTES_PER_ELEMENT,
  bytesPerElement,
  getPrecision,
  isPrecisionId,
  PRECISION_IDS,
  PRECISION_PRESET_IDS,
  PRECISION_PRESETS,
  type PrecisionPresetId,
  precisionLabel,
} from './precision.js';
export { createPrng, fmix32, mulberry32, type Prng } from './prng.js';
export { FIT_WEIGHTS_MEMORY_SHARE, fitWeightsSharding } from './sweep/fit-sharding.js';
export { DEFAULT_SWEEP, sweep } from './sweep/sweep.js';
export { DEFAULT_MAX_DECODE_BATCH, trajectory } from './sweep/trajectory.js';
export type * from './types.js';
export { getWorkflow, WORKFLOW_IDS, WORKFLOWS } from './workflows/catalog.js';
export { sampleRange, simulateSession } from './workflows/simulate-session.js';
