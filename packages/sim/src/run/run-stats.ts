// What the twin counted about one run: its own speed (events, virtual vs wall seconds) and the cluster's
// internals a replay can only scrape (per-worker busy time, steps and tokens, preemptions, cache sizes;
// the pool's hits and stores; the router's decisions by reason). Written beside the replay report.
import type { SimRuntime } from './sim-runtime.js';

export interface SimWorkerStats {
  readonly workerId: string;
  readonly role: string;
  readonly label: string;
  /** Seconds its steps took ÷ the run's duration. */
  readonly busyFraction: number;
  readonly numPrefillSteps: number;
  readonly numDecodeSteps: number;
  /** Seconds its decode steps took in all (÷ numDecodeSteps: the mean step, as a worker's metric gives it). */
  readonly decodeStepSeconds: number;
  readonly prefillTokens: number;
  readonly decodeTokens: number;
  readonly numPreemptions: number;
  readonly numRequests: number;
  /** Decode workers: prompt tokens found in its own cache, fetched from the pool, handed off. */
  readonly localTokens: number;
  readonly poolTokens: number;
  readonly handoffTokens: number;
  readonly cachedBlocksAtEnd: number;
  /**
   * Decode workers: sequences that joined with their whole prompt (a remote prefill), and their summed wait
   * from joining to the start of their first step (the worker's oicf_decode_first_step_wait_seconds).
   */
  readonly firstStepWait: { readonly count: number; readonly sumSeconds: number };
}

export interface SimRunStats {
  readonly numEvents: number;
  readonly simulatedSeconds: number;
  readonly wallSeconds: number;
  readonly simulatedSecondsPerWallSecond: number;
  readonly eventsPerWallSecond: number;
  readonly numHeartbeats: number;
  readonly router: {
    readonly numRequests: number;
    readonly numRouted: number;
    readonly routedByReason: Readonly<Record<string, number>>;
    readonly rejectedByReason: Readonly<Record<string, number>>;
    readonly numInvalid: number;
    readonly numUnavailable: number;
  };
  readonly workers: readonly SimWorkerStats[];
  /** The pool's counters and, per tier at the end of the run, its bytes, blocks and hits. */
  readonly pool: {
    readonly counters: Readonly<Record<string, number>>;
    readonly tiers: readonly {
      readonly tier: string;
      readonly capacityBytes: number;
      readonly usedBytes: number;
      readonly numBlocks: number;
      readonly numHits: number;
    }[];
    readonly numDemotions: number;
    readonly numEvictions: number;
  } | null;
  /** The local cluster's shared cores: kernel computations stretched, and by how much in total. */
  readonly hostCpu: {
    readonly cores: number;
    readonly numStretched: number;
    readonly addedSeconds: number;
    /** CPU seconds charged on the host by what ran (kernels by role, each process kind; background apart). */
    readonly cpuSecondsByKind: Readonly<Record<string, number>>;
    /** Start-to-finish seconds of the finished computations by the same kinds (background has none). */
    readonly wallSecondsByKind: Readonly<Record<string, number>>;
  } | null;
}

export function runStats(runtime: SimRuntime, durationSeconds: number, wallSeconds: number): SimRunStats {
  const { queue } = runtime.ctx;
  const d = durationSeconds > 0 ? durationSeconds : 1;
  const workers: SimWorkerStats[] = [];
  for (const w of runtime.decodeWorkers.values()) {
    const c = w.loop.counters;
    workers.push({
      workerId: w.workerId,
      role: w.spec.role,
      label: w.spec.label,
      busyFraction: c.busySeconds / d,
      numPrefillSteps: c.numPrefillSteps,
      numDecodeSteps: c.numDecodeSteps,
      decodeStepSeconds: c.decodeStepSeconds,
      prefillTokens: c.prefillTokens,
      decodeTokens: c.decodeTokens,
      numPreemptions: c.numPreemptions,
      numRequests: w.counters.numRequests,
      localTokens: w.counters.numLocalTokens,
      poolTokens: w.counters.numPoolTokens,
      handoffTokens: w.counters.numHandoffTokens,
      cachedBlocksAtEnd: w.cache.numBlocks,
      firstStepWait: { count: w.counters.numFirstSteps, sumSeconds: w.counters.firstStepWaitSeconds },
    });
  }
  for (const w of runtime.prefillWorkers.values()) {
    const c = w.counters;
    workers.push({
      workerId: w.workerId,
      role: w.spec.role,
      label: w.spec.label,
      busyFraction: c.busySeconds / d,
      numPrefillSteps: c.numRequests,
      numDecodeSteps: 0,
      decodeStepSeconds: 0,
      prefillTokens: c.computedTokens,
      decodeTokens: 0,
      numPreemptions: 0,
      numRequests: c.numRequests,
      localTokens: 0,
      poolTokens: c.cachedTokens,
      handoffTokens: 0,
      cachedBlocksAtEnd: 0,
      firstStepWait: { count: 0, sumSeconds: 0 },
    });
  }
  workers.sort((a, b) => (a.workerId < b.workerId ? -1 : a.workerId > b.workerId ? 1 : 0));
  const r = runtime.router.counters;
  return {
    numEvents: queue.numProcessed,
    simulatedSeconds: durationSeconds,
    wallSeconds,
    simulatedSecondsPerWallSecond: wallSeconds > 0 ? durationSeconds / wallSeconds : 0,
    eventsPerWallSecond: wallSeconds > 0 ? queue.numProcessed / wallSeconds : 0,
    numHeartbeats: runtime.numHeartbeats.value,
    router: {
      numRequests: r.numRequests,
      numRouted: r.numRouted,
      routedByReason: Object.fromEntries([...r.routedByReason].sort()),
      rejectedByReason: Object.fromEntries([...r.rejectedByReason].sort()),
      numInvalid: r.numInvalid,
      numUnavailable: r.numUnavailable,
    },
    workers,
    pool: poolStats(runtime),
    hostCpu:
      runtime.ctx.hostCpu === undefined
        ? null
        : {
            cores: runtime.ctx.hostCpu.cores,
            numStretched: runtime.ctx.hostCpu.numStretched,
            addedSeconds: runtime.ctx.hostCpu.addedSeconds,
            cpuSecondsByKind: {
              ...Object.fromEntries(runtime.ctx.hostCpu.workSecondsByTag),
              ...(runtime.ctx.processes === undefined
                ? {}
                : { background: runtime.ctx.processes.backgroundCores * durationSeconds }),
            },
            wallSecondsByKind: Object.fromEntries(runtime.ctx.hostCpu.wallSecondsByTag),
          },
  };
}

function poolStats(runtime: SimRuntime): SimRunStats['pool'] {
  const pool = runtime.ctx.pool;
  if (pool === undefined) return null;
  const stats = pool.cache.stats(runtime.ctx.queue.nowSeconds);
  return {
    counters: { ...pool.counters },
    tiers: stats.tiers.map((t) => ({
      tier: t.name,
      capacityBytes: t.capacityBytes,
      usedBytes: t.usedBytes,
      numBlocks: t.numBlocks,
      numHits: t.numHits,
    })),
    numDemotions: stats.counters.numDemotions,
    numEvictions: stats.counters.numEvictions,
  };
}
