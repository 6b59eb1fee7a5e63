// Wires a router from its config: adapters (pool, worker clients, clock, registry service) around the
// decision code (@oicf/sched Admission: worker table, prefix index, in-flight load, transfer paths, policy)
// and the request pipeline, behind the HTTP, gRPC and WebSocket front doors, in one service
// lifecycle (startService: /metrics, /healthz, /readyz, graceful drain). main.ts and the tests use this.
import { POOL_TIER_IDS } from '@oicf/core';
import {
  Admission,
  catalogLinkPath,
  catalogPoolTierPaths,
  createRoutingPolicy,
  servedKvBytesPerToken,
} from '@oicf/sched';
import { type Clock, type RunningService, realClock, startService } from '@oicf/transport';
import { grpcPool, noPool, type PoolPort } from './adapters/pool-client.js';
import { startPoolKeepalive } from './adapters/pool-keepalive.js';
import { PoolReadPaths } from './adapters/pool-read-paths.js';
import { WorkerClients } from './adapters/worker-clients.js';
import type { RouterConfig } from './config.js';
import type { WorkerRegistration } from './core/worker-registration.js';
import { guardFallback, guardRoutes } from './front/api-auth.js';
import { wsApiAuthorize, wsClientLimit } from './front/api-auth-doors.js';
import { apiAuthFromConfig } from './front/api-keys.js';
import { apiFallback } from './front/fallback-routes.js';
import { type FastDoor, installFastDoor } from './front/fast-http/install.js';
import { routerGrpcService } from './front/grpc-front.js';
import { httpRoutes, registryContextTokens } from './front/http-routes.js';
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
  /** The fast door of the generation routes (undefined with fastHttp off). */
  readonly fastDoor: FastDoor | undefined;
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
  // Request channels: pinged every heartbeat; a worker silent for channelTimeoutSeconds is dead, and a
  // closed channel marks its worker failed until its next heartbeat.
  const clients = new WorkerClients({
    tickSeconds: Math.min(config.heartbeatIntervalSeconds, config.decodeIdleTimeoutSeconds / 4),
    livenessTimeoutSeconds: config.channelTimeoutSeconds,
    // registry (below) exists before any channel can close: channels open after workers register.
    onClosed: (target, error) => registry.markFailed(target.workerId, error.message),
    onProblem: (target, error) =>
      log.warn('request_channel_problem', { workerId: target.workerId, error: error.message }),
  });
  const admission = new Admission<WorkerRegistration>({
    policy: policy.value,
    mode: config.mode,
    blockTokens: config.blockTokens,
    kvBytesPerToken,
    priors: {
      prefillSecondsPerToken: config.priorPrefillSecondsPerToken,
      decodeStepSeconds: config.priorDecodeStepSeconds,
    },
    heartbeatIntervalSeconds: config.heartbeatIntervalSeconds,
    health: { timeoutSeconds: config.workerTimeoutSeconds, dropSeconds: config.workerDropSeconds },
    transfer: {
      tierPaths: catalogPoolTierPaths(),
      handoffPath: catalogLinkPath(config.handoffLink),
      learn: config.learnTransferPaths,
    },
    queueLimits: config.queue,
  });
  const { links, inflight } = admission;
  // Pool reads are priced from the figures the pool itself models (Stats): read before serving, then polled.
  const readPaths = new PoolReadPaths(pool, links, log);
  await readPaths.refresh();
  const registry = new WorkerRegistry({
    modelId: config.model,
    mode: config.mode,
    heartbeatIntervalSeconds: config.heartbeatIntervalSeconds,
    admission,
    clock,
    log,
    // A changed registration is a restarted worker: its address may be new (admission forgets its cache).
    onRegistered: (reg, previous) => {
      if (previous !== undefined && previous.wsAddress !== reg.wsAddress) clients.forget(previous.wsAddress);
      clients.warm(reg);
    },
    onDropped: (reg) => clients.forget(reg.wsAddress),
  });
  const metrics = createRouterMetrics({
    transferBandwidths: () => ({
      'pool-read': links.tierPaths()[POOL_TIER_IDS[0] as string]?.bandwidthBytesPerSecond ?? 0,
      handoff: links.handoffPath().bandwidthBytesPerSecond,
    }),
    metricNames: config.metricNames,
    modelName: config.model,
    weightPrecision: config.weightPrecision,
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
  const core = new RouterCore({ config, clock, log, registry, pool, clients, metrics, admission, kvBytesPerToken });
  const contextTokens = registryContextTokens(registry, kvBytesPerToken);
  const limits = {
    servedModel: config.model,
    maxPromptTokens: config.maxPromptTokens,
    defaultSessionTtlSeconds: config.sessionTtlSeconds,
    maxSessionTtlSeconds: config.maxSessionTtlSeconds,
    contextTokens,
  };
  const apiAuth = apiAuthFromConfig(config, log);
  const keepalive =
    config.pool === undefined || options.pool !== undefined
      ? undefined
      : startPoolKeepalive(config.pool.grpcAddress, config.poolKeepaliveSeconds, log);
  registry.start(Math.min(config.heartbeatIntervalSeconds, config.workerTimeoutSeconds / 4));
  const generate = {
    core,
    clock,
    log,
    metrics,
    limits,
    maxBodyBytes: config.maxBodyBytes,
    contextTokens,
    oneChoiceRelay: config.oneChoiceRelay,
  };
  let fastDoor: FastDoor | undefined;
  const service = await startService({
    name: 'router',
    host: config.host,
    httpPort: config.httpPort,
    grpc: {
      port: config.grpcPort,
      services: [registry.service(), routerGrpcService(core, limits, clock, metrics, apiAuth)],
    },
    ws: {
      port: config.wsPort,
      // The public WebSocket door: API keys (not cluster membership), a per-client slot per generate frame.
      authorize: wsApiAuthorize(apiAuth),
      onFrame: wsClientLimit(apiAuth, wsFrameHandler(core, limits, clock, metrics)),
    },
    routes: guardRoutes(apiAuth, httpRoutes({ ...generate, registry, pool: config.pool })),
    fallback: guardFallback(apiAuth, apiFallback({ servedModel: config.model, contextTokens })),
    metrics: metrics.source,
    isReady: () => registry.hasDecodeWorker(),
    drainTimeoutSeconds: config.drainTimeoutSeconds,
    handleSignals: options.handleSignals ?? true,
    onShutdown: async () => {
      // node:http's requests drained before this; the fast door's get as long again, then close.
      await fastDoor?.close(config.drainTimeoutSeconds);
      keepalive?.stop();
      readPaths.stop();
      registry.stop();
      clients.closeAll();
      pool.close();
    },
    log: write,
  });
  if (config.fastHttp) fastDoor = installFastDoor(service, generate, apiAuth);
  readPaths.start(config.poolReadPathsRefreshSeconds);
  log.info('router_started', {
    model: config.model,
    mode: config.mode,
    policy: policy.value.name,
    kvBytesPerToken,
    blockTokens: config.blockTokens,
    pool: config.pool ?? null,
  });
  return { service, registry, log, fastDoor, shutdown: (reason) => service.shutdown(reason) };
}
