// @oicf/explore: the heterogeneity explorer. Re-exports only; README.md says what each part owns.
export { type DecodeGroupSolution, solveDecodeGroup } from './analytic/decode-solve.js';
export { HIT_LEVELS, InstanceModel, InstanceModels, type StepParts, stepSeconds } from './analytic/instance-model.js';
export { objectivesOf, ZERO_OBJECTIVES } from './analytic/objectives.js';
export { attainmentWithin, erlangC, type Pool, quantileOf, utilization, waitWithin } from './analytic/queueing.js';
export { PREFIX_AFFINITY_POLICIES, type ScreenContext, screenConfiguration } from './analytic/screen.js';
export {
  OBJECTIVE_KEYS,
  type ObjectiveKey,
  type Objectives,
  type PlanePointValue,
  type RankedOut,
  type RegimeMix,
  type ScreenEstimate,
  type ScreenResult,
  type Slo,
} from './analytic/screen-types.js';
export { decodeBatchMax, fitsOneSequence, type TieredStep, tieredDecodeStep } from './analytic/tiered-kv.js';
export { BYTES_PER_GB, type ConfigCost, type CostLine, configCost, numDevicesOf } from './economics/config-cost.js';
export { configurationPlane, costPowerFrontier, type FrontierChart, latencyFrontier } from './output/charts.js';
export { renderExploreHtml } from './output/html.js';
export { renderCsv, renderTable } from './output/table.js';
export { paretoFrontier } from './rank/pareto.js';
export { type RankedEntry, rankConfigurations, topCandidates } from './rank/rank.js';
export { type ExploreRunInputs, exploreSync, resultFile } from './run/explore-sync.js';
export { type MergeResult, mergeShards } from './run/merge.js';
export {
  EXPLORE_FORMAT,
  EXPLORE_VERSION,
  type ExploreResultFile,
  fnv1a,
  type RankedRow,
  rankedRows,
  rankingOf,
  toRows,
  type WorkloadSummary,
  workloadSummary,
} from './run/result-file.js';
export { screenAll, screenBatch, screenContext } from './run/screen-all.js';
export {
  designToSim,
  SIM_BLOCK_TOKENS,
  SIM_NIC_LINK,
  SIM_SESSION_TTL_SECONDS,
  type SimDesign,
} from './sim/design-to-sim.js';
export type { SimOutcome } from './sim/sim-outcome.js';
export {
  ConfigurationSimulation,
  type SimulateControl,
  type SimulateInputs,
  simulateConfiguration,
} from './sim/simulate-configuration.js';
export { newRecorder, type StepRecorder, tieredStepTimeModel } from './sim/tiered-step-time.js';
export { countConfigurations, enumerateConfigurations, poolLabel, shardOf, tierLabel } from './space/enumerate.js';
export { parseSpace, scaleUpDomainSize } from './space/resolve-space.js';
export type {
  Budget,
  Configuration,
  ExploreSpace,
  InstanceGroup,
  RolePool,
  ServingMode,
  TierOption,
} from './space/space-types.js';
export { type WorkflowWorkload, type WorkflowWorkloadOptions, workflowWorkload } from './workload/workflow-workload.js';
export {
  hitFraction,
  NUM_BINS,
  profileWorkload,
  type RequestBin,
  type WorkloadProfile,
} from './workload/workload-profile.js';
