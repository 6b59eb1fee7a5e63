// A configuration as the twin's cluster design (@oicf/sim SimCluster) on target hardware: one worker per
// instance, each priced by its kind's tiered step-time model; decode instances hold KV in HBM and the tiers
// below it; the tiers also form the pool that keeps session prefixes between turns.
//
// Simplifications, stated: a tier's capacity serves both running KV (spill, per decode instance) and the
// pool; the pool gets the tier's capacity over all decode accelerators less what the screen expects running
// sequences to spill at their operating batches (at least 5 % of it), so the two are not both granted the
// same bytes at that operating point (they can be when the twin's batches run above it). Every instance has
// one 400 Gb/s RDMA NIC per device (handoffs and pool reads), FIFO. The pool's eviction policy is `oicf`
// (recompute cost on the lead decode kind) for catalog models and devices, else `lru`.
import { getDevice, getLink, getModel, POOL_TIERS, unwrap } from '@oicf/core';
import {
  POOL_DEFAULTS,
  ROUTER_DEFAULTS,
  type SimCluster,
  type SimLinkSpec,
  type SimPoolSpec,
  type SimWorkerSpec,
  WORKER_DEFAULTS,
} from '@oicf/sim';
import type { InstanceModel, InstanceModels } from '../analytic/instance-model.js';
import { stepSeconds } from '../analytic/instance-model.js';
import type { ScreenResult } from '../analytic/screen-types.js';
import type { Configuration, ExploreSpace } from '../space/space-types.js';
import { type StepRecorder, tieredStepTimeModel } from './tiered-step-time.js';

/** Tokens per KV block in the twin (Mooncake's trace block size: few ids per long agent prompt). */
export const SIM_BLOCK_TOKENS = 512;
/**
 * Session retention pins are off in the explorer's twin runs (the cluster default keeps a session's blocks
 * 300 s). With every agent session retained, @oicf/kv's eviction scans every block per victim (tier-stack.ts
 * freeUntil → victim with isRetained): a coding workload of 3,011 requests took 237 s instead of 12 s on
 * this machine. Eviction (`oicf`, the pool's default) still keeps what its recompute-cost order favours.
 */
export const SIM_SESSION_TTL_SECONDS = 0;
/** Each device's NIC for KV moves. */
export const SIM_NIC_LINK = 'rdma-400g';

export interface SimDesign {
  readonly cluster: SimCluster;
  readonly recorder: StepRecorder;
}

function nic(m: InstanceModel): SimLinkSpec {
  const l = unwrap(getLink(SIM_NIC_LINK));
  return {
    bandwidthBytesPerSecond: l.bandwidthBytesPerSecond * m.tp,
    latencySeconds: l.latencySeconds,
    bytesPerToken: m.kvBytesPerToken,
    sharing: 'fifo',
  };
}

export function designToSim(
  config: Configuration,
  space: ExploreSpace,
  models: InstanceModels,
  screen: ScreenResult,
  recorder: StepRecorder,
): SimDesign {
  const workers: SimWorkerSpec[] = [];
  const lead = models.get((config.decode[0] ?? { deviceId: '' }).deviceId, config.decode[0]?.tp ?? 1);
  const bpt = lead.kvBytesPerToken;
  const maxContext = space.model.maxContextTokens;
  const add = (role: SimWorkerSpec['role'], prefix: string) => (g: Configuration['decode'][number], gi: number) => {
    const m = models.get(g.deviceId, g.tp);
    let room = Math.max(0, m.hbmFreeBytes);
    if (role !== 'prefill') for (const t of config.tiers) room += t.capacityBytes * m.tp;
    const kvTokens = Math.floor(room / m.kvBytesPerTokenDomain);
    const label = `${space.model.id}@${g.deviceId} ×${g.tp}`;
    const stepTime = tieredStepTimeModel(m, role === 'prefill' ? [] : config.tiers, recorder, label);
    for (let i = 0; i < g.count; i++) {
      workers.push({
        workerId: `${prefix}-${gi}-${i}`,
        role,
        kvCapacityBytes: Math.max(1, kvTokens) * bpt,
        maxBatch:
          role === 'prefill' ? WORKER_DEFAULTS.maxBatch : Math.max(1, screen.estimate?.batchCap ?? space.maxBatch),
        maxContextTokens: maxContext,
        maxPrefillTokensPerStep: WORKER_DEFAULTS.maxPrefillTokensPerStep,
        stepTime,
        link: nic(m),
        label,
      });
    }
  };
  config.prefill.forEach(add('prefill', 'prefill'));
  config.decode.forEach(add(config.mode === 'colocated' ? 'both' : 'decode', 'decode'));
  const prefillKind =
    config.mode === 'colocated' ? lead : models.get(config.prefill[0]?.deviceId ?? '', config.prefill[0]?.tp ?? 1);
  const tierPaths: Record<string, { bandwidthBytesPerSecond: number; latencySeconds: number }> = {};
  for (const t of POOL_TIERS)
    tierPaths[t.id] = { bandwidthBytesPerSecond: t.bandwidthBytesPerSecond, latencySeconds: t.latencySeconds };
  for (const t of config.tiers)
    tierPaths[t.base] = { bandwidthBytesPerSecond: t.bandwidthBytesPerSecond, latencySeconds: t.latencySeconds };
  const handoff = unwrap(getLink(SIM_NIC_LINK));
  const cluster: SimCluster = {
    kvBytesPerToken: bpt,
    blockTokens: SIM_BLOCK_TOKENS,
    mode: config.mode,
    sessionTtlSeconds: SIM_SESSION_TTL_SECONDS,
    router: {
      policy: config.policy,
      policyParams: {},
      heartbeatIntervalSeconds: ROUTER_DEFAULTS.heartbeatIntervalSeconds,
      workerTimeoutSeconds: ROUTER_DEFAULTS.workerTimeoutSeconds,
      workerDropSeconds: ROUTER_DEFAULTS.workerDropSeconds,
      priorPrefillSecondsPerToken: stepSeconds(prefillKind.prefillPartsOf(1024, 0)) / 1024,
      priorDecodeStepSeconds: stepSeconds(lead.decodeParts(1)),
      leaseTtlSeconds: ROUTER_DEFAULTS.leaseTtlSeconds,
      maxPromptTokens: maxContext,
      handoffPath: { bandwidthBytesPerSecond: handoff.bandwidthBytesPerSecond, latencySeconds: handoff.latencySeconds },
      tierPaths,
      learnTransferPaths: ROUTER_DEFAULTS.learnTransferPaths,
    },
    workers,
    pool: poolOf(config, space, screen, lead),
    host: undefined,
  };
  return { cluster, recorder };
}

function poolOf(
  config: Configuration,
  space: ExploreSpace,
  screen: ScreenResult,
  lead: InstanceModel,
): SimPoolSpec | undefined {
  if (config.tiers.length === 0) return undefined;
  let numDecode = 0;
  for (const g of config.decode) numDecode += g.count * g.tp;
  const running = screen.estimate?.runningTierBytes ?? {};
  const catalog = getModel(space.model.id).ok && getDevice(lead.device.id).ok;
  return {
    tiers: config.tiers.map((t) => {
      const total = t.capacityBytes * numDecode;
      return {
        id: t.base,
        capacityBytes: Math.max(total * 0.05, total - (running[t.id] ?? 0)),
        bandwidthBytesPerSecond: t.bandwidthBytesPerSecond,
        latencySeconds: t.latencySeconds,
        paced: true,
      };
    }),
    policy: catalog ? 'oicf' : 'lru',
    recompute: { modelId: space.model.id, deviceId: lead.device.id, precision: space.precision.activations },
    maxLeaseTtlSeconds: POOL_DEFAULTS.maxLeaseTtlSeconds,
    link: undefined,
  };
}
