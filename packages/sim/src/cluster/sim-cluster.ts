// What the twin simulates: one cluster design as plain data. `clusterFromConfig` (@oicf/sim/config) derives
// it from the cluster.json `oicf cluster up` launches; the explorer (issue 13) builds it directly, with any
// mix of workers: each has its own step-time model (a device and model, or this machine's kernels), KV
// capacity, batch and context limits, and KV link. Units: KV bytes everywhere are in `kvBytesPerToken`
// units (what the router and the engines count); bytes on a link are tokens × that link's bytes per token.

import type { PoolTierId, RecomputeTarget, StepTimeModel } from '@oicf/core';
import type { PolicyName } from '@oicf/kv';
import type { QueueLimitsConfig, TransferPath } from '@oicf/sched';
import type { HostScheduling } from '../core/host-cpu.js';
import type { ForeignLoadPoint, HostCost } from '../host-cost/host-cost.js';

export type SimWorkerRole = 'prefill' | 'decode' | 'both';

export interface SimCluster {
  /** KV bytes one token occupies on the workers: capacities, the router's pricing and pool blocks use it. */
  readonly kvBytesPerToken: number;
  /** Tokens per KV block (the hash-chain granularity everywhere). */
  readonly blockTokens: number;
  readonly mode: 'disaggregated' | 'colocated';
  /** How long an agent session's blocks stay retained in the pool between turns (0 = not retained). */
  readonly sessionTtlSeconds: number;
  readonly router: SimRouterSpec;
  readonly workers: readonly SimWorkerSpec[];
  /** Absent: no pool (every lookup is a miss). */
  readonly pool: SimPoolSpec | undefined;
  /** The machine the services really run on (the local cluster); absent for target hardware alone. */
  readonly host: SimHostSpec | undefined;
}

/** The router's settings that decisions depend on (apps/router config.ts defaults in `ROUTER_DEFAULTS`). */
export interface SimRouterSpec {
  /** `@oicf/sched` routing policy name and parameters. */
  readonly policy: string;
  readonly policyParams: Readonly<Record<string, unknown>>;
  readonly heartbeatIntervalSeconds: number;
  readonly workerTimeoutSeconds: number;
  readonly workerDropSeconds: number;
  readonly priorPrefillSecondsPerToken: number;
  readonly priorDecodeStepSeconds: number;
  readonly leaseTtlSeconds: number;
  /** Longest prompt the router's front door accepts (400 beyond). */
  readonly maxPromptTokens: number;
  /** The cost model's prior for the prefill → decode handoff. */
  readonly handoffPath: TransferPath;
  /** The cost model's prior read path of each pool tier (what the pool reports it models). */
  readonly tierPaths: Readonly<Record<string, TransferPath>>;
  readonly learnTransferPaths: boolean;
  /**
   * The router's queue bounds (@oicf/sched queue-limits.ts; apps/router config `queue`): a request past them
   * is refused 503 `queue-full` / `queue-time`. Absent: the router's defaults, DEFAULT_QUEUE_LIMITS.
   */
  readonly queueLimits?: QueueLimitsConfig;
}

export interface SimWorkerSpec {
  /** Unique; workers are listed to the router in id order, as the router's table does. */
  readonly workerId: string;
  readonly role: SimWorkerRole;
  /** KV memory it may fill ("HBM"), in kvBytesPerToken units. */
  readonly kvCapacityBytes: number;
  /** Most sequences in one decode step. */
  readonly maxBatch: number;
  /** Longest sequence (prompt + output) it accepts, registered with the router (0 = not stated). */
  readonly maxContextTokens: number;
  /** Longest local prefill chunk per engine step. */
  readonly maxPrefillTokensPerStep: number;
  /** How long a step takes as the cluster sees it (tokens leave the worker then). */
  readonly stepTime: StepTimeModel;
  /**
   * When a step's result is in the engine, if earlier than its end: a worker pacing to an emulated target
   * updates its state after the real kernel (this model) and sleeps to the target's time. Absent: at the end.
   */
  readonly computeTime?: StepTimeModel;
  /**
   * On a shared host (`SimCluster.host` with cores): the cores a step of this worker demands (its onnxruntime
   * intra-op threads, cluster.json `threads`). Default: the host's `threadsPerStep`.
   */
  readonly hostThreads?: number;
  /** The worker's KV link (its NIC, or the emulated target's link); undefined = not a constraint. */
  readonly link: SimLinkSpec | undefined;
  /** Device, model and parallelism for reports (e.g. `llama-3.1-70b@h100 ×4`). */
  readonly label: string;
}

export interface SimLinkSpec extends TransferPath {
  /** KV bytes per token crossing it (the emulated model's, under emulation). */
  readonly bytesPerToken: number;
  /**
   * `fifo`: one transfer on the wire at a time (a real NIC); `independent`: each transfer priced alone (what a
   * worker's emulation pacer does: the local cluster's emulated links never queue).
   */
  readonly sharing: 'fifo' | 'independent';
}

export interface SimPoolTierSpec {
  readonly id: PoolTierId;
  readonly capacityBytes: number;
  readonly bandwidthBytesPerSecond: number;
  readonly latencySeconds: number;
  /** Reads and writes paced to the figures above (far tiers: cxl, optical-pool); dram and disk are not. */
  readonly paced: boolean;
}

export interface SimPoolSpec {
  /** Nearest first (the kv-pool's stacking order). */
  readonly tiers: readonly SimPoolTierSpec[];
  /** `@oicf/kv` eviction/demotion policy of every tier. */
  readonly policy: PolicyName;
  /** What the oicf policy's recompute cost models (the kv-pool's `recompute`). */
  readonly recompute: Omit<RecomputeTarget, 'blockTokens'>;
  readonly maxLeaseTtlSeconds: number;
  /** The pool's own network link (target hardware); undefined = not a constraint. */
  readonly link: SimLinkSpec | undefined;
}

/** The costs of the machine the local cluster runs on (I/O edges the real services pay). */
export interface SimHostSpec {
  /** One-way client ↔ router message latency (the request, each SSE chunk). */
  readonly httpSeconds: number;
  /** One-way latency of a gRPC message between services. */
  readonly rpcSeconds: number;
  /** Real KV bytes over loopback WebSockets (shared by every transfer, FIFO). */
  readonly loopback: TransferPath;
  /** KV bytes per token really moved (the tiny model's). */
  readonly kvBytesPerToken: number;
  /**
   * Cores the workers' kernels share (core/host-cpu.ts); absent: each worker computes on its own. Only
   * steps priced by this machine's model share them (a worker's `computeTime` under emulation, else its
   * `stepTime`); an emulated target's pacing does not.
   */
  readonly cores?: number;
  /**
   * How they are shared (core/host-cpu.ts): 'per-core' (default: a run queue per core, as Linux) or
   * 'shared' (processor sharing over all cores, the twin before round 5).
   */
  readonly scheduling?: HostScheduling;
  /** Cores one step demands, for workers that do not say (`hostThreads`); default 1. */
  readonly threadsPerStep?: number;
  /**
   * The services' own CPU besides the kernels (host-cost model, fitted by the fidelity bench's --fit-host):
   * charged on the same cores, one FIFO main thread per process. Needs `cores`; absent: that CPU is free.
   */
  readonly cost?: HostCost;
  /**
   * What other processes of the machine used during a real run (measured, bench/host-sampler.ts), replayed
   * as demand on the cores from each point's time on: the twin of that run on that machine. Needs `cores`.
   */
  readonly foreignLoad?: readonly ForeignLoadPoint[];
  /** What the host is, for reports (`this machine, 2 cores`). */
  readonly label: string;
}

/** The router config's defaults (apps/router/src/config.ts), for designs that do not set them. */
export const ROUTER_DEFAULTS = {
  policy: 'oicf-cost',
  heartbeatIntervalSeconds: 0.5,
  workerTimeoutSeconds: 3,
  workerDropSeconds: 30,
  priorPrefillSecondsPerToken: 2.5e-4,
  priorDecodeStepSeconds: 0.005,
  leaseTtlSeconds: 30,
  maxPromptTokens: 32_768,
  learnTransferPaths: true,
  handoffLink: 'rdma-400g',
} as const;

/** The worker config's defaults (packages/worker config/worker-config.ts) the twin uses. */
export const WORKER_DEFAULTS = {
  maxBatch: 16,
  maxPrefillTokensPerStep: 512,
  maxTokensPerSequence: 8192,
  kvCapacityBytes: 256 * 1024 * 1024,
  emulateLink: 'rdma-400g',
} as const;

/** The kv-pool config's defaults (apps/kv-pool/src/config.ts) the twin uses. */
export const POOL_DEFAULTS = {
  maxLeaseTtlSeconds: 300,
} as const;
