import { getModel, kvBytesPerToken, POOL_TIERS, unwrap } from '@oicf/core';
import { kvFormatOf } from '@oicf/pool-client';
import type { ClusterConfig } from './cluster-config.js';

/**
 * Per-service config files the launcher writes, derived from one cluster config. These shapes are
 * the apps' own config schemas (apps/<app>/src/config.ts); a field here that an app does not know is
 * a startup error there, so the two stay in step.
 */
export interface PoolAddresses {
  readonly grpcAddress: string;
  readonly wsAddress: string;
  /** http://host:port of its /metrics (the router lists it for scrapers; workers ignore it). */
  readonly httpAddress?: string;
}

export function poolServiceConfig(c: ClusterConfig, dataDir: string): Record<string, unknown> {
  const tiers: Record<string, unknown> = {};
  // A tier is enabled by giving it (capacity 0 in the cluster config = absent); a tier stored as files
  // keeps them under `dataDir`.
  for (const t of POOL_TIERS) {
    const { capacityBytes } = c.pool.tiers[t.configKey];
    if (capacityBytes <= 0) continue;
    tiers[t.configKey] = t.serving.store === 'files' ? { capacityBytes, dataDir } : { capacityBytes };
  }
  // The oicf eviction policy values a block by what recomputing it would cost: on the emulated
  // target when there is one, else on the served model (priced on an H100).
  const target = (c.decode.emulate ?? c.prefill.emulate)?.split('@');
  return {
    host: c.host,
    blockTokens: c.blockTokens,
    policy: { name: c.pool.policy, params: {} },
    recompute: target ? { modelId: target[0], deviceId: target[1] } : { modelId: c.model, deviceId: 'h100' },
    tiers,
    // docs/reliability.md: reads only under a lease; exit when the router has been gone a minute; blocks
    // signed for this model and precision, of this model's size.
    requireLeaseForReads: true,
    routerGraceSeconds: 60,
    kvFormat: kvFormatOf(c.model, c.weightPrecision),
    blockBytes:
      c.blockTokens *
      kvBytesPerToken(unwrap(getModel(c.model)), { weights: c.weightPrecision, kv: 'fp32', activations: 'fp32' }),
  };
}

export function routerServiceConfig(c: ClusterConfig, pool: PoolAddresses | undefined): Record<string, unknown> {
  return {
    host: c.host,
    httpPort: c.router.httpPort,
    model: c.model,
    weightPrecision: c.weightPrecision,
    blockTokens: c.blockTokens,
    mode: c.mode,
    policy: { name: c.router.policy, params: c.router.policyParams },
    ...(c.router.workerTimeoutSeconds !== undefined ? { workerTimeoutSeconds: c.router.workerTimeoutSeconds } : {}),
    ...(c.router.workerDropSeconds !== undefined ? { workerDropSeconds: c.router.workerDropSeconds } : {}),
    ...(c.router.queue !== undefined ? { queue: c.router.queue } : {}),
    ...(pool ? { pool } : {}),
    sessionTtlSeconds: c.sessionTtlSeconds,
    logLevel: c.logLevel,
    metricNames: c.metricNames,
  };
}

export type WorkerKind = 'prefill' | 'decode';

/**
 * The default longest sequence (prompt + output tokens) of a launched worker (`prefill.maxContextTokens`,
 * `decode.maxContextTokens` in the cluster config; the workers' own default too,
 * packages/worker/src/config/worker-config.ts).
 */
export const WORKER_MAX_TOKENS_PER_SEQUENCE = 8192;

/**
 * The context limit the router of a cluster launched from `c` will enforce: the decode workers'
 * `maxContextTokens` (passed to them as `maxTokensPerSequence`; the router rejects longer requests with
 * HTTP 400 `context_length_exceeded`, and `oicf replay` checks a trace against it before sending).
 */
export function clusterMaxContextTokens(c: ClusterConfig): number {
  return c.decode.maxContextTokens;
}

export function workerServiceConfig(
  c: ClusterConfig,
  kind: WorkerKind,
  index: number,
  routerGrpcAddress: string,
  pool: PoolAddresses | undefined,
): Record<string, unknown> {
  const role = kind === 'prefill' ? 'prefill' : c.mode === 'colocated' ? 'both' : 'decode';
  const side = kind === 'prefill' ? c.prefill : c.decode;
  return {
    workerId: `${kind}-${index}`,
    role,
    host: c.host,
    model: c.model,
    weightPrecision: c.weightPrecision,
    seed: c.seed,
    threads: side.threads,
    blockTokens: c.blockTokens,
    maxTokensPerSequence: side.maxContextTokens,
    routerGrpcAddress,
    ...(pool ? { pool: { grpcAddress: pool.grpcAddress, wsAddress: pool.wsAddress } } : {}),
    ...(kind === 'decode' ? { kvCapacityBytes: c.decode.kvCapacityBytes, maxBatch: c.decode.maxBatch } : {}),
    ...(side.emulate ? { emulate: side.emulate } : {}),
    sessionTtlSeconds: c.sessionTtlSeconds,
    logLevel: c.logLevel,
    metricNames: c.metricNames,
  };
}
