// Wires a router from its config: adapters (pool, worker clients, clock) around the core (registry,
// prefix index, policy, pipeline), behind the HTTP, gRPC and WebSocket front doors, in one service
// lifecycle (startService: /metrics, /healthz, /readyz, graceful drain). main.ts and the tests use this.
import { POOL_TIER_IDS } from '@oicf/core';
import { createRoutingPolicy } from '@oicf/sched';
import { type Clock, type RunningService, realClock, startService } from '@oicf/transport';
import { grpcPool, noPool, type PoolPort, poolTierPaths } from './adapters/pool-client.js';
import { WorkerClients } from './adapters/worker-clients.js';
import type { RouterConfig } from './config.js';
import { InflightTracker } from './core/inflight.js';
import { PrefixIndex } from './core/prefix-index.js';
import { catalogLinkPath, servedKvBytesPerToken } from './core/route-request.js';
import { TransferLinks } from './core/transfer-links.js';
import { routerGrpcService } from './front/grpc-front.js';
import { httpRoutes } from './front/http-routes.js';
import { wsFrameHandler } from './front/ws-front.js';
import { createLogger, type Logger } from './logger.js';
import { createRouterMetrics } from './metrics.js';
import { RouterCore } from './pipeline/router-core.js';
import { WorkerRegistry } from './registry/registry.js';

export interface StartRouterOptions {
  readonly clock?: Clock;
  /** Where log lines and the `listening` line go (default stdout). */
  readonly write?: (line: string) => void;
  /** Install SIGTERM/SIGINT handlers (main: yes; in-process tests: no). */
  readonly handleSignals?: boolean;
  /** Replace the pool adapter (default: gRPC to `config.pool`, or none). */
  readonly pool?: PoolPort;
}

export interface RunningRouter {
  readonly service: RunningService;
  readonly registry: WorkerRegistry;
  readonly log: Logger;
  shutdown(reason?: string): Promise<void>;
}

export async function startRouter(config: RouterConfig, options: StartRouterOptions = {}): Promise<RunningRouter> {
  const clock = options.clock ?? realClock;
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = createLogger(config.logLevel, 'router', write);
  const policy = createRoutingPolicy(config.policy.name, config.policy.params, 'policy');
  if (!policy.ok)
    throw new Error(`invalid policy (config validation should have caught it): ${policy.errors.join('; ')}`);
  const kvBytesPerToken = servedKvBytesPerToken(config.model, config.weightPrecision);
  const pool = options.pool ?? (config.pool === undefined ? noPool : grpcPool(config.pool, config.poolTimeoutSeconds));
  const clients = new WorkerClients();
  const prefixIndex = new PrefixIndex();
  const inflight = new InflightTracker();
  const blockBytes = config.blockTokens * kvBytesPerToken;
  const registry = new WorkerRegistry({
    modelId: config.model,
    mode: config.mode,
    heartbeatIntervalSeconds: config.heartbeatIntervalSeconds,
    workerTimeoutSeconds: config.workerTimeoutSeconds,
    workerDropSeconds: config.workerDropSeconds,
    clock,
    log,
    onHeartbeat: (workerId) => inflight.markReport(workerId),
    onRegistered: (reg, previous) => {
      // A changed registration is a restarted worker: its cache is gone and its address may be new.
      if (previous !== undefined) {
        prefixIndex.forget(previous.workerId);
        clients.forget(previous.grpcAddress);
      }
      if (reg.role !== 'prefill') prefixIndex.setCapacity(reg.workerId, Math.floor(reg.kvCapacityBytes / blockBytes));
    },
    onDropped: (reg) => {
      prefixIndex.forget(reg.workerId);
      clients.forget(reg.grpcAddress);
    },
  });
  // Pool reads are priced from the figures the pool itself models (Stats), read once at start.
  const tierPaths = await poolTierPaths(pool, (reason) =>
    log.warn('pool_tier_paths_from_catalog', { reason, note: 'pricing pool reads with the @oicf/core tier figures' }),
  );
  const links = new TransferLinks(
    tierPaths,
    catalogLinkPath(config.handoffLink),
    config.learnTransferPaths,
    kvBytesPerToken,
  );
  const metrics = createRouterMetrics({
    transferBandwidths: () => ({
      'pool-read': links.tierPaths()[POOL_TIER_IDS[0] as string]?.bandwidthBytesPerSecond ?? 0,
      handoff: links.handoffPath().bandwidthBytesPerSecond,
    }),
    metricNames: config.metricNames,
    modelName: config.model,
    maxContextTokens: config.maxPromptTokens,
    inflightRequests: () => inflight.totalSequences(),
    workers: () =>
      registry.table.entries().map((e) => ({
        workerId: e.registration.workerId,
        role: e.registration.role,
        healthy: registry.isHealthy(e),
        kvUsedBytes: e.load?.kvUsedBytes ?? 0,
        kvCapacityBytes: e.load?.kvCapacityBytes || e.registration.kvCapacityBytes,
        numWaitingSequences: e.load?.numWaitingSequences ?? 0,
      })),
  });
  const core = new RouterCore({
    config,
    clock,
    log,
    registry,
    pool,
    clients,
    metrics,
    policy: policy.value,
    prefixIndex,
    inflight,
    kvBytesPerToken,
    links,
  });
  const limits = {
    servedModel: config.model,
    maxPromptTokens: config.maxPromptTokens,
    defaultSessionTtlSeconds: config.sessionTtlSeconds,
  };
  registry.start(Math.min(config.heartbeatIntervalSeconds, config.workerTimeoutSeconds / 4));
  const service = await startService({
    name: 'router',
    host: config.host,
    httpPort: config.httpPort,
    grpc: {
      port: config.grpcPort,
      services: [registry.service(), routerGrpcService(core, limits, clock, metrics)],
    },
    ws: { port: config.wsPort, onFrame: wsFrameHandler(core, limits, clock, metrics) },
    routes: httpRoutes({
      core,
      clock,
      log,
      metrics,
      limits,
      maxBodyBytes: config.maxBodyBytes,
      registry,
      pool: config.pool,
    }),
    metrics: metrics.source,
    isReady: () => registry.hasDecodeWorker(),
    drainTimeoutSeconds: config.drainTimeoutSeconds,
    handleSignals: options.handleSignals ?? true,
    onShutdown: () => {
      registry.stop();
      clients.closeAll();
      pool.close();
    },
    log: write,
  });
  log.info('router_started', {
    model: config.model,
    mode: config.mode,
    policy: policy.value.name,
    kvBytesPerToken,
    blockTokens: config.blockTokens,
    pool: config.pool ?? null,
  });
  return { service, registry, log, shutdown: (reason) => service.shutdown(reason) };
}
