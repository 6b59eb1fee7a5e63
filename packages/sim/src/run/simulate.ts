// Simulating one cluster design on one workload: the public entry point (what `oicf simulate` and the
// explorer call). Synchronous and self-contained: every call builds its own runtime, so a process can run
// many designs one after another (or one per worker thread). The result is a replay run (@oicf/report), the
// same records `oicf replay` writes, plus what the twin counted about itself.
import type { DriverProgress } from '@oicf/loadgen';
import type { ReplayMeta, ReplayRun } from '@oicf/report';
import type { TraceRequest } from '@oicf/traces';
import { SimClient } from '../client/sim-client.js';
import type { SimCluster } from '../cluster/sim-cluster.js';
import { type BlockIdMode, PromptNamer } from '../prompts/prompt-blocks.js';
import { runStats, type SimRunStats } from './run-stats.js';
import { SimRuntime } from './sim-runtime.js';

export interface SimulateOptions {
  /** Prepared as `oicf replay` prepares them (@oicf/loadgen prepareTrace): windowed, token-scaled. */
  readonly requests: readonly TraceRequest[];
  readonly loop: 'open' | 'closed';
  /** Time compression, as replay's --speed (default 1). */
  readonly speed?: number;
  readonly concurrencyLimit?: number | null;
  /** session_ttl_seconds the client sends (null: the cluster's default). */
  readonly sessionTtlSeconds?: number | null;
  /** Same seed → the same run (default 1). */
  readonly seed?: number;
  /** How prompt blocks are named (default fast; see prompts/prompt-blocks.ts). */
  readonly blockIds?: BlockIdMode;
  /** The report's metadata; targetKind is 'sim'. */
  readonly meta?: Partial<Omit<ReplayMeta, 'targetKind'>>;
  /** Called about every `progressEveryEvents` events (default 200,000) and at the end. */
  readonly onProgress?: (progress: DriverProgress) => void;
  readonly progressEveryEvents?: number;
  /** Stops the run early between event batches (the result is marked interrupted). */
  readonly shouldStop?: () => boolean;
  /** Keep every routing decision in `decisions` (for comparisons with the router; default false). */
  readonly keepDecisions?: boolean;
}

export interface SimResult {
  readonly run: ReplayRun;
  readonly stats: SimRunStats;
  readonly runtime: SimRuntime;
}

/** Fixed so that two runs with one seed write byte-identical reports (a simulation has no wall start). */
export const SIM_STARTED_AT_ISO = '1970-01-01T00:00:00.000Z';

export function simulate(cluster: SimCluster, options: SimulateOptions): SimResult {
  const seed = options.seed ?? 1;
  const runtime = new SimRuntime(cluster, seed);
  runtime.router.keepDecisions = options.keepDecisions ?? false;
  const { queue } = runtime.ctx;
  const namer = new PromptNamer(options.blockIds ?? 'fast', cluster.blockTokens);
  const ttl = options.sessionTtlSeconds ?? cluster.sessionTtlSeconds;
  const client = new SimClient(
    queue,
    {
      send: ({ request, maxTokens }, events) =>
        runtime.router.submit(
          {
            requestId: request.requestId,
            prompt: namer.prompt(request),
            maxTokens,
            sessionId: request.sessionId ?? '',
            sessionTtlSeconds: ttl,
          },
          events,
        ),
    },
    {
      requests: options.requests,
      loop: options.loop,
      speed: options.speed ?? 1,
      concurrencyLimit: options.concurrencyLimit ?? null,
    },
  );
  client.start();
  const every = options.progressEveryEvents ?? 200_000;
  let interrupted = false;
  const wallStart = performance.now();
  while (!client.done) {
    for (let i = 0; i < every && !client.done; i++) {
      if (!queue.step()) break;
    }
    if (queue.size === 0 && !client.done)
      throw new Error('the simulation stalled: no event left and requests unfinished');
    options.onProgress?.(client.progress());
    if (!client.done && options.shouldStop?.() === true) {
      interrupted = true;
      break;
    }
  }
  runtime.stop();
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const result = client.result();
  const meta: ReplayMeta = {
    label: options.meta?.label ?? `sim ${cluster.router.policy}`,
    traceFile: options.meta?.traceFile ?? '',
    startedAtIso: SIM_STARTED_AT_ISO,
    commandLine: options.meta?.commandLine ?? '',
    targetKind: 'sim',
    routerUrl: '',
    model: options.meta?.model ?? '',
    loop: options.loop,
    speed: options.speed ?? 1,
    tokenScale: options.meta?.tokenScale ?? 1,
    concurrencyLimit: options.concurrencyLimit ?? null,
    options: { ...(options.meta?.options ?? {}), seed, blockIds: namer.mode },
  };
  const run: ReplayRun = {
    meta,
    numPlanned: result.numPlanned,
    durationSeconds: result.durationSeconds,
    interrupted,
    records: result.records,
    clientTimeline: result.clientTimeline,
    metrics: { targets: [], before: null, during: [], after: null },
  };
  return { run, stats: runStats(runtime, result.durationSeconds, wallSeconds), runtime };
}
