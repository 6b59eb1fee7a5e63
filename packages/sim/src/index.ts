// @oicf/sim: the cluster digital twin. Re-exports only; README.md says what each part owns.

// The step-time port and the `oicf` model are @oicf/core's (one abstraction for the twin, the workers'
// pacer and @oicf/kernels/step-time's calibrated model); re-exported for the twin's users.
export {
  directOicfStepSeconds,
  oicfStepTimeModel,
  type StepShapeQuery,
  type StepTarget as OicfTarget,
  type StepTimeModel,
} from '@oicf/core';
export { SimClient, type SimClientEvents, type SimClientResult, type SimTarget } from './client/sim-client.js';
export { checkSimCluster } from './cluster/check-cluster.js';
export {
  POOL_DEFAULTS,
  ROUTER_DEFAULTS,
  type SimCluster,
  type SimHostSpec,
  type SimLinkSpec,
  type SimPoolSpec,
  type SimPoolTierSpec,
  type SimRouterSpec,
  type SimWorkerRole,
  type SimWorkerSpec,
  WORKER_DEFAULTS,
} from './cluster/sim-cluster.js';
export { EventQueue } from './core/event-queue.js';
export { Fabric } from './core/fabric.js';
export { FifoLink, transferOver } from './core/fifo-link.js';
export { HostCpu, type HostScheduling } from './core/host-cpu.js';
export type { SimContext } from './core/sim-context.js';
export { decodeBusySeconds, nextStepCost, unionSeconds } from './host-cost/decode-loop.js';
export {
  fitHandoffCost,
  fitLine,
  type HandoffFit,
  type HandoffObservation,
  type LineFit,
} from './host-cost/fit-handoff-cost.js';
export {
  type FitOptions,
  fitHostCost,
  HOST_COST_COUNTERS,
  type HostCostFit,
  type KernelPricing,
  type KindFit,
  kindOf,
  type ProcessKind,
  sumCounters,
} from './host-cost/fit-host-cost.js';
export { DecodeGraphs, type GraphBuildCost } from './host-cost/graph-build.js';
export {
  type ClientCost,
  type DecodeCost,
  type ForeignLoadPoint,
  foreignLoad,
  type HandoffCost,
  type HostCost,
  type HostSample,
  type LoopFlushCost,
  type LoopPaceCost,
  type PoolCost,
  type PrefillCost,
  type PrefillSendCpu,
  type ProcessSample,
  type RouterCost,
  ZERO_HOST_COST,
} from './host-cost/host-cost.js';
export {
  graphBuildCostIssues,
  HOST_COST_FILE_VERSION,
  type HostCostFile,
  hostCostFileIssues,
  loadHostCostFile,
  saveHostCostFile,
} from './host-cost/host-cost-file.js';
export { type FlushTotals, loopFlushCost, withLoopFlush } from './host-cost/loop-flush.js';
export { loopPaceCost, type PaceTotals, withLoopPace } from './host-cost/loop-pace.js';
export {
  type PrefillMeterCost,
  type PrefillMeterTotals,
  prefillMeterCost,
  type SendLine,
  withPrefillMeter,
} from './host-cost/prefill-meter.js';
export { bestTry, nextBracketedCost, type StepSearchOptions, type StepTry } from './host-cost/step-search.js';
export { SimPool } from './pool/sim-pool.js';
export { type BlockIdMode, PromptNamer, type SimPrompt } from './prompts/prompt-blocks.js';
export { newAdmission, registrationOf, type SimRegistration } from './router/admission-host.js';
export type { ClientRequest } from './router/client-request.js';
export type { ClientFinal, ClientSink } from './router/run-routed.js';
export { SimRouter } from './router/sim-router.js';
export type { DecodeWorkerPort, PrefillWorkerPort } from './router/worker-ports.js';
export { runStats, type SimRunStats, type SimWorkerStats } from './run/run-stats.js';
export { SimRuntime } from './run/sim-runtime.js';
export { SIM_STARTED_AT_ISO, type SimResult, SimRun, type SimulateOptions, simulate } from './run/simulate.js';
export type {
  DecodeCall,
  DecodeFinal,
  DecodeSink,
  LeasedBlocks,
  PrefillCall,
  PrefillReply,
} from './workers/worker-calls.js';
