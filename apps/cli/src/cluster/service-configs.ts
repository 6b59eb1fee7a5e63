import type { ClusterConfig } from './cluster-config.js';

/**
 * Per-service config files the launcher writes, derived from one cluster config. These shapes are
 * the apps' own config schemas (apps/<app>/src/config.ts); a field here that an app does not know is
 * a startup error there, so the two stay in step.
 */
export interface PoolAddresses {
  readonly grpcAddress: string;
  readonly wsAddress: string;
}

export function poolServiceConfig(c: ClusterConfig, dataDir: string): Record<string, unknown> {
  return {
    host: c.host,
    blockTokens: c.blockTokens,
    policy: c.pool.policy,
    dataDir,
    tiers: {
      dram: { capacityBytes: c.pool.tiers.dram.capacityBytes },
      cxl: { capacityBytes: c.pool.tiers.cxl.capacityBytes },
      opticalPool: { capacityBytes: c.pool.tiers.opticalPool.capacityBytes },
      disk: { capacityBytes: c.pool.tiers.disk.capacityBytes },
    },
    logLevel: c.logLevel,
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
    ...(pool ? { pool } : {}),
    sessionTtlSeconds: c.sessionTtlSeconds,
    logLevel: c.logLevel,
  };
}

export type WorkerKind = 'prefill' | 'decode';

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
    routerGrpcAddress,
    ...(pool ? { pool } : {}),
    ...(kind === 'decode' ? { kvCapacityBytes: c.decode.kvCapacityBytes, maxBatch: c.decode.maxBatch } : {}),
    ...(side.emulate ? { emulate: side.emulate } : {}),
    sessionTtlSeconds: c.sessionTtlSeconds,
    logLevel: c.logLevel,
  };
}
