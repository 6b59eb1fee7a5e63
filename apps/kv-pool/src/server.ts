import { join } from 'node:path';
import { POOL_TIERS } from '@oicf/core';
import { type Clock, clusterCredentials, type RunningService, realClock, startService } from '@oicf/transport';
import type { KvPoolConfig } from './config.js';
import { kvPoolService } from './grpc/kv-pool-service.js';
import { createKvPoolMetrics } from './metrics.js';
import { BlockDigests } from './pool/block-digests.js';
import { buildTiers } from './pool/build-tiers.js';
import { KvPool } from './pool/kv-pool.js';
import { RouterWatch } from './router-watch.js';
import { dataPlaneHandler } from './ws/data-plane.js';

export const KV_POOL_VERSION = '0.1.0';
/** Envelope headroom above the largest payload in one WebSocket frame. */
export const FRAME_HEADROOM_BYTES = 64 * 1024;

export interface StartOptions {
  clock?: Clock;
  /** Install SIGTERM/SIGINT handlers (main does; in-process tests do not). */
  handleSignals?: boolean;
  log?: (line: string) => void;
}

/** Opens the tier stores and the pool, and serves gRPC control, the WebSocket data plane and /metrics. */
export async function startKvPool(
  config: KvPoolConfig,
  options: StartOptions = {},
): Promise<{ service: RunningService; pool: KvPool }> {
  const clock = options.clock ?? realClock;
  const startedAtMs = Date.now();
  const metrics = createKvPoolMetrics();
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const pool = await KvPool.open({
    ...blockDigestsOption(config),
    tiers: await buildTiers(config, clock, undefined, {
      ...config.shm,
      onProgress: (msg, fields) => log(JSON.stringify({ level: 'info', msg, ...fields })),
      onUnavailable: (err) =>
        log(
          JSON.stringify({
            level: 'warn',
            msg: 'no shared-memory arena; same-host clients get bytes in frames',
            error: String(err),
          }),
        ),
    }),
    clock,
    blockTokens: config.blockTokens,
    maxLeaseTtlSeconds: config.maxLeaseTtlSeconds,
    maxBlocksPerRequest: config.maxBlocksPerRequest,
    observer: metrics.observer,
    requireLeaseForReads: config.requireLeaseForReads,
    maxSessionTtlSeconds: config.maxSessionTtlSeconds,
  });
  const watch = new RouterWatch(config.routerGraceSeconds, () =>
    service.shutdown('the router has been gone for routerGraceSeconds'),
  );
  const service: RunningService = await startService({
    name: 'kv-pool',
    host: config.host,
    httpPort: config.httpPort,
    grpc: {
      port: config.grpcPort,
      services: [
        kvPoolService(pool, {
          status: () => (service.state() === 'serving' ? 'SERVING_STATUS_SERVING' : 'SERVING_STATUS_DRAINING'),
          startedAtMs,
          version: KV_POOL_VERSION,
          onHealth: (caller) => watch.heard(caller),
        }),
      ],
    },
    ws: {
      port: config.wsPort,
      maxFrameBytes: config.maxBlockBytes + FRAME_HEADROOM_BYTES,
      onFrame: dataPlaneHandler(pool, { count: metrics.dataPath, maxBlockBytes: config.maxBlockBytes }),
      onError: (error) => metrics.rejected(error.code),
    },
    metrics: metrics.source(pool),
    drainTimeoutSeconds: config.drainTimeoutSeconds,
    handleSignals: options.handleSignals ?? true,
    onShutdown: () => {
      watch.stop();
      return pool.close();
    },
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  return { service, pool };
}

/** Keyed block digests when this process has a block key (cluster credentials), logged beside the files tier. */
function blockDigestsOption(config: KvPoolConfig): { digests?: BlockDigests } {
  const key = clusterCredentials()?.blockKey;
  if (key === undefined) return {};
  // The tier stored as files (its directory survives the process, and so must the digests).
  const filesTier = POOL_TIERS.find((t) => t.serving.store === 'files');
  const tiers = config.tiers as Record<string, { dataDir?: string } | undefined>;
  const dataDir = filesTier === undefined ? undefined : tiers[filesTier.configKey]?.dataDir;
  return {
    digests: new BlockDigests({
      signer: { key, kvFormat: config.kvFormat },
      ...(config.blockBytes === undefined ? {} : { blockBytes: config.blockBytes }),
      ...(dataDir === undefined ? {} : { logFile: join(dataDir, 'block-digests.log') }),
    }),
  };
}
