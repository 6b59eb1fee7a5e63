// Simulating one cluster design on one workload: the public entry point (what `oicf simulate` and the
// explorer call). Synchronous and self-contained: every call builds its own runtime, so a process can run
// many designs one after another (or one per worker thread). The result is a replay run (@oicf/report), the
// same records `oicf replay` writes, plus what the twin counted about itself.
import { type DriverProgress, replayReuseCeiling } from '@oicf/loadgen';
import type { ReplayMeta, ReplayRun } from '@oicf/report';
import type { TraceRequest } from '@oicf/traces';
import { sendWithClientCpu } from '../client/client-cpu.js';
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

/** Virtual seconds without a request sent or ended, besides heartbeats, after which a run is declared stalled. */
const STALL_SECONDS = 86_400;

/** Fixed so that two runs with one seed write byte-identical reports (a simulation has no wall start). */
export const SIM_STARTED_AT_ISO = '1970-01-01T00:00:00.000Z';

/**
 * One run, advanced in batches of events: `simulate` runs it to the end; an interactive host (the CLI)
 * advances it between turns of its event loop, so it can draw progress and stop on Ctrl-C.
 */
export class SimRun {
  readonly runtime: SimRuntime;
  private readonly client: SimClient;
  private readonly namer: PromptNamer;
  private readonly seed: number;
  private wallSeconds = 0;

  constructor(
    readonly cluster: SimCluster,
    private readonly options: SimulateOptions,
  ) {
    this.seed = options.seed ?? 1;
    const runtime = new SimRuntime(cluster, this.seed);
    this.runtime = runtime;
    runtime.router.keepDecisions = options.keepDecisions ?? false;
    const namer = new PromptNamer(options.blockIds ?? 'fast', cluster.blockTokens);
    this.namer = namer;
    const ttl = options.sessionTtlSeconds ?? cluster.sessionTtlSeconds;
    this.client = new SimClient(
      runtime.ctx.queue,
      {
        send: ({ request, maxTokens }, events) =>
          sendWithClientCpu(runtime.ctx, events, (sink) =>
            runtime.router.submit(
              {
                requestId: request.requestId,
                prompt: namer.prompt(request),
                maxTokens,
                sessionId: request.sessionId ?? '',
                sessionTtlSeconds: ttl,
              },
              sink,
            ),
          ),
      },
      {
        requests: options.requests,
        loop: options.loop,
        speed: options.speed ?? 1,
        concurrencyLimit: options.concurrencyLimit ?? null,
      },
    );
    this.client.start();
  }

  get done(): boolean {
    return this.client.done;
  }

  /** Runs up to `maxEvents` events; true once every request has ended. */
  advance(maxEvents: number): boolean {
    const t0 = performance.now();
    const queue = this.runtime.ctx.queue;
    for (let i = 0; i < maxEvents && !this.client.done; i++) {
      if (!queue.step()) break;
    }
    this.wallSeconds += (performance.now() - t0) / 1000;
    if (queue.size === 0 && !this.client.done) {
      throw new Error('the simulation stalled: no event left and requests unfinished');
    }
    // Heartbeats never stop: a request that never ends would keep the clock running forever.
    const idle = queue.nowSeconds - Math.max(this.client.lastActivitySeconds, this.client.nextDueSeconds());
    if (!this.client.done && idle > STALL_SECONDS) {
      throw new Error(
        `the simulation stalled: no request was sent or ended for ${STALL_SECONDS} virtual seconds (at ${queue.nowSeconds.toFixed(0)} s, ${this.client.progress().numInFlight} in flight)`,
      );
    }
    return this.client.done;
  }

  progress(): DriverProgress {
    return this.client.progress();
  }

  /** The run's report (partial and marked interrupted when it was stopped early). */
  finish(): SimResult {
    const { cluster, options } = this;
    this.runtime.stop();
    const result = this.client.result();
    const interrupted = !this.client.done;
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
      options: { ...(options.meta?.options ?? {}), seed: this.seed, blockIds: this.namer.mode },
      // As `oicf replay` reports it; ~15 ms per 1,000 requests, so a caller simulating many designs on one
      // workload passes it in `meta` (computed once, or null to leave it out).
      reuseCeiling:
        options.meta && 'reuseCeiling' in options.meta
          ? (options.meta.reuseCeiling ?? null)
          : replayReuseCeiling(options.requests, cluster.blockTokens),
    };
    const duration = interrupted ? this.runtime.ctx.queue.nowSeconds : result.durationSeconds;
    const run: ReplayRun = {
      meta,
      numPlanned: result.numPlanned,
      durationSeconds: duration,
      interrupted,
      records: result.records,
      clientTimeline: result.clientTimeline,
      metrics: { targets: [], before: null, during: [], after: null },
    };
    return { run, stats: runStats(this.runtime, duration, this.wallSeconds), runtime: this.runtime };
  }
}

/** Simulates `cluster` on the workload to the end (or until `shouldStop`), synchronously. */
export function simulate(cluster: SimCluster, options: SimulateOptions): SimResult {
  const run = new SimRun(cluster, options);
  const every = options.progressEveryEvents ?? 200_000;
  for (;;) {
    const done = run.advance(every);
    options.onProgress?.(run.progress());
    if (done || options.shouldStop?.() === true) break;
  }
  return run.finish();
}
