// @oicf/kernels/step-time: the calibrated step-time model, its fit and its file. Imports no
// onnxruntime (a test checks), so the cluster twin can price steps without loading it.
// Re-exports only.

export { DEFAULT_PREFILL_CHUNK_TOKENS } from '../model/cache-inputs.js';
export { PRESET_MODEL_IDS, presetConfig } from '../model/presets.js';
export { calibratedStepTimeModel, StepTimeModelError } from './calibrated-model.js';
export {
  type CostStructureOptions,
  costStructure,
  type DecodeStructure,
  type ModelCostStructure,
  type StructureQuery,
  structureFeatures,
} from './cost-structure.js';
export { COLUMNS, type Column, featureVector, sumFeatures } from './feature-vector.js';
export {
  CACHE_STATES,
  type CacheState,
  fitStepTimeByState,
  leaveOneOutByState,
  STATE_COLUMNS,
  type StateFit,
  type StateSample,
} from './fit-by-state.js';
export {
  type FitSample,
  fitStepTime,
  leaveOneOut,
  predictSeconds,
  relativeError,
  type StepCosts,
  type StepTimeFit,
} from './fit-step-time.js';
export { leastSquares, nnls } from './nnls.js';
export { type StepFeatures, stepFeatures, WEIGHT_KINDS, type WeightKind, type WeightKinds } from './step-features.js';
export {
  DEFAULT_STEP_TIME_PATH,
  parseStepTimeFile,
  type StepTimeFile,
  StepTimeFileError,
  type StepTimeStates,
  savedStructure,
  shouldReplaceStepTime,
} from './step-time-file.js';
export {
  calibratedModelFromFile,
  loadStepTimeFile,
  type StepTimeState,
  saveStepTimeFile,
} from './step-time-io.js';
