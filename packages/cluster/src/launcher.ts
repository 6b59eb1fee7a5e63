import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createClusterSecret, serviceAuthEnv } from './cluster-auth.js';
import type { ClusterConfig } from './cluster-config.js';
import { type ClusterState, type LaunchedService, type ServiceEndpoints, writeClusterState } from './cluster-state.js';
import { removeScrapeTargets, writeScrapeTargets } from './scrape-targets-file.js';
import { type PoolAddresses, poolServiceConfig, routerServiceConfig, workerServiceConfig } from './service-configs.js';
import { isAlive, stopServices } from './service-process.js';
import { graphBuildProgress, listeningEndpoints, StartDeadline } from './start-deadline.js';

/** Repository root (packages/cluster/src → ../../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * How a service process starts: `node scripts/run-service.mjs <app>`, which runs the app's build
 * (dist/services/<app>.mjs, made by scripts/build-services.mjs) and never a stale one. The launcher builds
 * once before starting anything, so the services do not race to rebuild.
 */
export const RUN_SERVICE = 'scripts/run-service.mjs';

/** The part of scripts/build-services.mjs the launcher uses (a plain-JS module: no tsx needed to build). */
interface ServiceBuilder {
  ensureServicesBuilt(root: string, log: (line: string) => void): Promise<{ built: boolean }>;
}

/** Builds the services when their sources changed since the last build (one progress line when it does). */
export async function ensureServiceBuild(onProgress: (message: string) => void = () => {}): Promise<void> {
  const builder = (await import(
    pathToFileURL(join(REPO_ROOT, 'scripts', 'build-services.mjs')).href
  )) as ServiceBuilder;
  await builder.ensureServicesBuilt(REPO_ROOT, (line) => onProgress(line.replace(/^oicf: /, '')));
}

export interface RunningCluster extends ClusterState {
  readonly routerUrl: string;
  readonly metricsUrls: readonly string[];
  /** SIGTERM everything (workers, then router, then pool), SIGKILL what outlives the grace period. */
  stop(): Promise<void>;
}

export interface LaunchOptions {
  /** Where configs, logs, disk-tier data and state.json go. */
  readonly runDir: string;
  /** Survive the launching process (for `cluster up` in the background); default false. */
  readonly detached?: boolean;
  readonly onProgress?: (message: string) => void;
  readonly signal?: AbortSignal;
  /** Seconds to wait for each service to listen and become ready. Default 60. */
  readonly startTimeoutSeconds?: number;
  /** Extra node flags for every service process (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile). */
  readonly nodeArgs?: readonly string[];
}

export class LaunchError extends Error {
  override readonly name = 'LaunchError';
}

/** V8 flags per app (see apps/kv-pool/src/node-flags.ts for why the pool wants a larger old space). */
const APP_NODE_FLAGS: Partial<Record<LaunchedService['app'], readonly string[]>> = {
  'kv-pool': ['--initial-old-space-size=128'],
};

/** Entry point of each app's sources, relative to the repository root (what its build is made from). */
export const APP_MAIN: Record<LaunchedService['app'], string> = {
  router: 'apps/router/src/main.ts',
  'kv-pool': 'apps/kv-pool/src/main.ts',
  'prefill-worker': 'apps/prefill-worker/src/main.ts',
  'decode-worker': 'apps/decode-worker/src/main.ts',
};

/**
 * Starts the pool, then the router (it needs the pool's addresses), then the workers (they register
 * with the router), each as its own OS process, and waits until every one is listening and ready.
 * On any failure everything started so far is stopped and a LaunchError names the service and quotes
 * the end of its log.
 */
export async function launchCluster(config: ClusterConfig, options: LaunchOptions): Promise<RunningCluster> {
  const runDir = resolve(options.runDir);
  mkdirSync(runDir, { recursive: true });
  const started: { service: LaunchedService; child: ChildProcess | undefined }[] = [];
  const progress = options.onProgress ?? (() => {});
  const timeoutSeconds = options.startTimeoutSeconds ?? 60;
  // A fresh cluster secret; each service gets its own credentials file (cluster-auth.ts).
  const secret = createClusterSecret(runDir);
  const stopAll = async () => {
    await stopServices(started.map((s) => s.service).reverse());
    removeScrapeTargets(runDir);
  };
  try {
    await ensureServiceBuild(progress);
    let pool: PoolAddresses | undefined;
    if (config.pool.enabled) {
      const svc = await startService('kv-pool', 'kv-pool', poolServiceConfig(config, join(runDir, 'kv-pool-data')));
      if (!svc.endpoints.grpc || !svc.endpoints.ws)
        throw new LaunchError('kv-pool did not report grpc and ws endpoints');
      pool = { grpcAddress: svc.endpoints.grpc, wsAddress: svc.endpoints.ws, httpAddress: svc.endpoints.http };
    }
    const router = await startService('router', 'router', routerServiceConfig(config, pool));
    if (!router.endpoints.grpc) throw new LaunchError('router did not report a grpc endpoint');
    const workers: Promise<LaunchedService>[] = [];
    if (config.mode === 'disaggregated') {
      for (let i = 0; i < config.prefill.count; i++) {
        workers.push(
          startService(
            `prefill-${i}`,
            'prefill-worker',
            workerServiceConfig(config, 'prefill', i, router.endpoints.grpc, pool),
          ),
        );
      }
    }
    for (let i = 0; i < config.decode.count; i++) {
      workers.push(
        startService(
          `decode-${i}`,
          'decode-worker',
          workerServiceConfig(config, 'decode', i, router.endpoints.grpc, pool),
        ),
      );
    }
    await Promise.all(workers);
    // Workers are ready once registered; the router is ready once it has at least one decode worker.
    await Promise.all(started.map(({ service }) => waitReady(service)));
  } catch (err) {
    await stopAll();
    throw err;
  }
  const services = started.map((s) => s.service);
  const state: ClusterState = { startedAtUnixMs: Date.now(), runDir, services };
  writeClusterState(state);
  progress(`Prometheus targets (file_sd): ${writeScrapeTargets(state, config.mode).join(', ')}`);
  const routerSvc = services.find((s) => s.app === 'router') as LaunchedService;
  return {
    ...state,
    routerUrl: routerSvc.endpoints.http,
    metricsUrls: services.map((s) => `${s.endpoints.http}/metrics`),
    stop: stopAll,
  };

  async function startService(
    name: string,
    app: LaunchedService['app'],
    serviceConfig: Record<string, unknown>,
  ): Promise<LaunchedService> {
    if (options.signal?.aborted) throw new LaunchError('cancelled');
    const configFile = join(runDir, `${name}.json`);
    const logFile = join(runDir, `${name}.log`);
    writeFileSync(configFile, `${JSON.stringify(serviceConfig, null, 2)}\n`);
    const out = openSync(logFile, 'w');
    progress(`starting ${name}`);
    const args = [
      ...(options.nodeArgs ?? []),
      ...(APP_NODE_FLAGS[app] ?? []),
      join(REPO_ROOT, RUN_SERVICE),
      app,
      '--config',
      configFile,
    ];
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      detached: options.detached ?? false,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        ...(options.detached ? {} : { OICF_PARENT_PID: String(process.pid) }),
        ...serviceAuthEnv(runDir, secret, name),
      },
    });
    closeSync(out);
    if (options.detached) child.unref();
    if (child.pid === undefined) throw new LaunchError(`could not start ${name}`);
    const endpoints = await waitListening(name, child, logFile);
    const commandLine = [process.execPath, ...args];
    const service: LaunchedService = { name, app, pid: child.pid, endpoints, logFile, configFile, commandLine };
    started.push({ service, child });
    progress(`${name} listening on ${endpoints.http}`);
    return service;
  }

  async function waitListening(name: string, child: ChildProcess, logFile: string): Promise<ServiceEndpoints> {
    const nowSeconds = () => performance.now() / 1000;
    const deadline = new StartDeadline(timeoutSeconds, nowSeconds());
    let exited: number | null = null;
    child.once('exit', (code) => {
      exited = code ?? -1;
    });
    let built: string | undefined;
    for (;;) {
      const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      const endpoints = listeningEndpoints(text);
      if (endpoints !== undefined) return endpoints;
      const nowBuilt = graphBuildProgress(text);
      if (nowBuilt !== undefined && nowBuilt !== built) {
        built = nowBuilt;
        progress(`${name}: decode graphs built for batch sizes 1…${nowBuilt.replace('/', ' of ')}`);
      }
      if (exited !== null) {
        throw new LaunchError(`${name} exited with code ${exited} before listening; end of ${logFile}:\n${tail(text)}`);
      }
      const giveUp = deadline.check(text.length, nowSeconds());
      if (giveUp !== undefined) {
        child.kill('SIGKILL');
        throw new LaunchError(`${deadline.message(name, giveUp)}; end of ${logFile}:\n${tail(text)}`);
      }
      await sleep(50);
    }
  }

  async function waitReady(service: LaunchedService): Promise<void> {
    const deadline = Date.now() + timeoutSeconds * 1000;
    while (Date.now() < deadline) {
      if (!isAlive(service.pid)) {
        throw new LaunchError(
          `${service.name} exited while starting; end of ${service.logFile}:\n${tail(readFileSync(service.logFile, 'utf8'))}`,
        );
      }
      try {
        const res = await fetch(`${service.endpoints.http}/readyz`);
        if (res.ok) {
          progress(`${service.name} ready`);
          return;
        }
      } catch {
        // not accepting yet
      }
      await sleep(100);
    }
    throw new LaunchError(`${service.name} was not ready within ${timeoutSeconds} s (see ${service.logFile})`);
  }
}

function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
