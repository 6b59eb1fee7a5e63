// The cluster a `cluster.json` launches, as a twin design (`@oicf/sim/config`): the same file and override
// handling as `oicf cluster up` (@oicf/cluster parse + applyOverrides), each worker configured as the
// launcher configures it (service-configs.ts) and as the apps' own defaults fill the rest (worker, router
// and kv-pool config schemas; the twin's copies in sim-cluster.ts are checked against them by a test).
//
// Step times: under `emulate: <model>@<device>` a worker's step is the `oicf` model of the target (what it
// paces to) or, when longer, the real tiny kernel's (the calibrated model when given, else the analytic
// one of the tiny model on this machine); its KV transfers are paced to the target link per transfer
// (links do not queue: the pacer prices each alone). Without emulation a step is the calibrated model of
// the tiny kernels. Kernels share this machine's cores (thisMachineHost), each step demanding its worker's
// onnxruntime threads (cluster.json `threads`); the target's pacing does not.
import { type ClusterConfig, WORKER_MAX_TOKENS_PER_SEQUENCE } from '@oicf/cluster';
import { oicfStepTimeModel, POOL_TIERS, type PrecisionId, type StepTimeModel } from '@oicf/core';
import { catalogLinkPath, catalogPoolTierPaths, DEFAULT_QUEUE_LIMITS, servedKvBytesPerToken } from '@oicf/sched';
import { emulationTarget, kvCapacityTokens } from '@oicf/worker';
import {
  POOL_DEFAULTS,
  ROUTER_DEFAULTS,
  type SimCluster,
  type SimHostSpec,
  type SimLinkSpec,
  type SimPoolSpec,
  type SimWorkerSpec,
  WORKER_DEFAULTS,
} from '../cluster/sim-cluster.js';
import type { HostScheduling } from '../core/host-cpu.js';
import type { HostCostFile } from '../host-cost/host-cost-file.js';
import { thisMachineTarget } from './this-machine-target.js';

export type StepModelChoice = 'oicf' | 'calibrated';

export interface ClusterFromConfigOptions {
  /** Which model prices steps: `oicf` (default under emulation) or `calibrated` (default otherwise). */
  readonly stepModel?: StepModelChoice;
  /** This machine's calibrated model of the served tiny model (oicf roofline); required for `calibrated`. */
  readonly calibrated?: StepTimeModel;
  /** This machine's I/O costs and cores; default `thisMachineHost(…, cores)`. */
  readonly host?: SimHostSpec;
  /** Cores the local cluster's kernels share (default 2, DESIGN.md §7; the CLI passes this machine's). */
  readonly cores?: number;
  /** How those cores are shared (default per-core run queues, as Linux does; `shared`: processor sharing). */
  readonly scheduling?: HostScheduling;
  /**
   * This machine's host-cost model (`.oicf/host-cost.json`, fitted by the fidelity bench's --fit-host): the
   * services' own CPU charged on the shared cores, and the KV link at its measured same-host rate.
   */
  readonly hostCost?: Pick<HostCostFile, 'cost' | 'kvLink' | 'fittedAtIso'>;
}

/**
 * This machine's I/O edges for the local cluster (DESIGN.md §7, measured here): a gRPC unary round trip
 * ≈ 0.27 ms (p50), so ≈ 0.14 ms a hop; HTTP/SSE to the client about the same; KV over loopback WebSockets
 * with checksums and imports ≈ 1 GB/s (raw `ws` 1 MiB messages 2.8 GB/s) and ≈ 0.2 ms a transfer.
 */
export function thisMachineHost(tinyKvBytesPerToken: number, cores = 2): SimHostSpec {
  return {
    httpSeconds: 0.00015,
    rpcSeconds: 0.00014,
    loopback: { bandwidthBytesPerSecond: 1e9, latencySeconds: 0.0002 },
    kvBytesPerToken: tinyKvBytesPerToken,
    cores,
    threadsPerStep: 1,
    label: `this machine, ${cores} cores (DESIGN.md §7 figures)`,
  };
}

/** The host with the fitted costs charged and the KV link at its measured rate (unchanged without a model). */
export function withHostCost(host: SimHostSpec, hostCost: ClusterFromConfigOptions['hostCost']): SimHostSpec {
  if (hostCost === undefined) return host;
  return {
    ...host,
    cost: hostCost.cost,
    ...(hostCost.kvLink === undefined ? {} : { loopback: hostCost.kvLink }),
    label: `${host.label}; host-cost model fitted ${hostCost.fittedAtIso}`,
  };
}

export function clusterFromConfig(c: ClusterConfig, options: ClusterFromConfigOptions = {}): SimCluster {
  const precision = c.weightPrecision as PrecisionId;
  // The router's and workers' KV bytes per token: the tiny model's, KV always fp32 (router catalog priors).
  const bpt = servedKvBytesPerToken(c.model, precision);
  const base = withHostCost(options.host ?? thisMachineHost(bpt, options.cores), options.hostCost);
  const host = options.scheduling === undefined ? base : { ...base, scheduling: options.scheduling };
  const workers: SimWorkerSpec[] = [];
  const side = (kind: 'prefill' | 'decode') => {
    const s = kind === 'prefill' ? c.prefill : c.decode;
    const stepModel = options.stepModel ?? (s.emulate !== undefined ? 'oicf' : 'calibrated');
    const calibrated = options.calibrated;
    if (stepModel === 'calibrated' && calibrated === undefined) {
      throw new Error(
        `the calibrated step-time model of ${c.model} is needed (${kind} workers run the real kernels${s.emulate ? '' : ' without emulation'}): run 'oicf roofline', or use --step-model oicf`,
      );
    }
    let stepTime: StepTimeModel;
    let computeTime: StepTimeModel | undefined;
    let link: SimLinkSpec | undefined;
    let kvCapacityBytes = kind === 'decode' ? c.decode.kvCapacityBytes : WORKER_DEFAULTS.kvCapacityBytes;
    let label = `${c.model} ${c.weightPrecision} on this machine`;
    if (s.emulate !== undefined) {
      const target = emulationTarget(s.emulate, WORKER_DEFAULTS.emulateLink);
      stepTime = stepModel === 'oicf' ? oicfStepTimeModel(target) : (calibrated as StepTimeModel);
      // The real kernel under the pacing: the calibrated model, else the analytic one of the tiny model
      // on this machine (a rough stand-in: `oicf roofline` fits the calibrated one).
      computeTime =
        stepModel !== 'oicf'
          ? undefined
          : (calibrated ??
            oicfStepTimeModel(thisMachineTarget(c.model, precision), `${c.model} on this machine (analytic)`));
      kvCapacityBytes = kvCapacityTokens(target) * bpt;
      link = {
        bandwidthBytesPerSecond: target.link.bandwidthBytesPerSecond,
        latencySeconds: target.link.latencySeconds,
        bytesPerToken: target.kvBytesPerToken,
        sharing: 'independent',
      };
      label = `${s.emulate} ×${target.sharding.numDevices} (emulated)`;
    } else if (stepModel === 'oicf') {
      stepTime = oicfStepTimeModel(thisMachineTarget(c.model, precision), `${c.model} on this machine (analytic)`);
    } else {
      stepTime = calibrated as StepTimeModel;
    }
    for (let i = 0; i < s.count; i++) {
      workers.push({
        workerId: `${kind}-${i}`,
        role: kind === 'prefill' ? 'prefill' : c.mode === 'colocated' ? 'both' : 'decode',
        kvCapacityBytes,
        maxBatch: kind === 'decode' ? c.decode.maxBatch : WORKER_DEFAULTS.maxBatch,
        maxContextTokens: WORKER_MAX_TOKENS_PER_SEQUENCE,
        maxPrefillTokensPerStep: WORKER_DEFAULTS.maxPrefillTokensPerStep,
        stepTime,
        ...(computeTime !== undefined ? { computeTime } : {}),
        hostThreads: s.threads,
        link,
        label,
      });
    }
  };
  // A colocated cluster's prefill workers are launched but never called (the router prefills locally);
  // the twin leaves them out, which changes no decision.
  if (c.mode === 'disaggregated') side('prefill');
  side('decode');
  return {
    kvBytesPerToken: bpt,
    blockTokens: c.blockTokens,
    mode: c.mode,
    sessionTtlSeconds: c.sessionTtlSeconds,
    router: {
      policy: c.router.policy,
      policyParams: c.router.policyParams,
      heartbeatIntervalSeconds: ROUTER_DEFAULTS.heartbeatIntervalSeconds,
      workerTimeoutSeconds: c.router.workerTimeoutSeconds ?? ROUTER_DEFAULTS.workerTimeoutSeconds,
      workerDropSeconds: c.router.workerDropSeconds ?? ROUTER_DEFAULTS.workerDropSeconds,
      queueLimits: { ...DEFAULT_QUEUE_LIMITS, ...c.router.queue },
      priorPrefillSecondsPerToken: ROUTER_DEFAULTS.priorPrefillSecondsPerToken,
      priorDecodeStepSeconds: ROUTER_DEFAULTS.priorDecodeStepSeconds,
      leaseTtlSeconds: ROUTER_DEFAULTS.leaseTtlSeconds,
      maxPromptTokens: ROUTER_DEFAULTS.maxPromptTokens,
      handoffPath: catalogLinkPath(ROUTER_DEFAULTS.handoffLink),
      tierPaths: catalogPoolTierPaths(),
      learnTransferPaths: ROUTER_DEFAULTS.learnTransferPaths,
    },
    workers,
    pool: c.pool.enabled ? poolOf(c) : undefined,
    host,
  };
}

function poolOf(c: ClusterConfig): SimPoolSpec {
  const target = (c.decode.emulate ?? c.prefill.emulate)?.split('@');
  return {
    tiers: POOL_TIERS.filter((t) => c.pool.tiers[t.configKey].capacityBytes > 0).map((t) => ({
      id: t.id,
      capacityBytes: c.pool.tiers[t.configKey].capacityBytes,
      bandwidthBytesPerSecond: t.bandwidthBytesPerSecond,
      latencySeconds: t.latencySeconds,
      paced: t.serving.store === 'paced-memory',
    })),
    policy: c.pool.policy,
    // poolServiceConfig: the emulated target when there is one, else the served model priced on an H100.
    recompute: {
      modelId: target?.[0] ?? c.model,
      deviceId: target?.[1] ?? 'h100',
      precision: 'bf16',
    },
    maxLeaseTtlSeconds: POOL_DEFAULTS.maxLeaseTtlSeconds,
    link: undefined,
  };
}
