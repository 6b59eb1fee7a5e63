import { loadavg } from 'node:os';
import type { CountTotals } from '../count/count-graph.js';
import type { TinyModelConfig } from '../model/config.js';
import { kvElementsPerTokenPerLayer } from '../model/kv-layout.js';
import { countDuring } from '../runtime/hardware-counters.js';
import type { KernelRunner } from '../runtime/kernel-runner.js';
import type { StepStats } from '../runtime/step-stats.js';
import type { MeasuredTraffic } from '../runtime/traffic.js';
import type { StepFeatures } from '../step-time/step-features.js';
import {
  cpuStallMicros,
  hostCpuNanos,
  ownCpuNanos,
  type RunQuality,
  threadTimes,
  waitFractions,
} from './run-quality.js';
import type { PlannedPoint } from './sweep-plan.js';

/** Untimed runs before the timed ones: the first runs of a point pay first touch and warm caches
 * (measured: a 8k-context decode step ran 5.3, 4.9, 4.8, 4.4, 4.0 ms, then ≈ 3.5 ms). */
export const WARMUP_RUNS = 3;

/** The timed runs of one point (after WARMUP_RUNS untimed ones) and what the step counted. */
export interface MeasuredRuns {
  /** session.run wall time of each timed run. */
  readonly runsSeconds: number[];
  /** Wall time of each whole runner call (feeds, session.run, KV rows written back). */
  readonly callRunsSeconds: number[];
  /** Per run: did other processes compete for the CPU (run-quality.ts)? */
  readonly quality: RunQuality[];
  /** 1-minute load average before and after the point (os.loadavg). */
  readonly loadAverage: readonly [number, number];
  readonly count: CountTotals;
  readonly features: StepFeatures;
  /** Measured by one more, untimed run on a profiled session of the same graph (traffic.ts). */
  readonly traffic?: MeasuredTraffic;
  /** `perf stat` totals over the timed runs (hardware-counters.ts), when asked for. */
  readonly hardwareCounters?: Record<string, number | 'unsupported'>;
}

/** A point's timed runs stop at this many, whatever minTimedSeconds asks. */
export const MAX_TIMED_RUNS = 200;

/**
 * Times `numRuns` runs of a planned point on `runner` (prefill over an empty cache, or a decode
 * step); with `minTimedSeconds`, more runs until the timed runs add up to at least that much wall
 * time (at most MAX_TIMED_RUNS), so a 1-ms step is sampled over as long a spell as a 30-ms one.
 */
export async function measurePoint(
  runner: KernelRunner,
  p: PlannedPoint,
  numRuns: number,
  opts: {
    readonly traffic?: boolean;
    readonly hardwareEvents?: readonly string[];
    readonly minTimedSeconds?: number;
  } = {},
): Promise<MeasuredRuns> {
  const before = loadavg()[0] ?? 0;
  const step = p.phase === 'prefill' ? prefillStep(runner, p) : decodeStep(runner, p);
  const runsSeconds: number[] = [];
  const callRunsSeconds: number[] = [];
  const quality: RunQuality[] = [];
  let stats: StepStats | undefined;
  let traffic: MeasuredTraffic | undefined;
  let hardwareCounters: Record<string, number | 'unsupported'> | undefined;
  const runOnce = async (r: number) => {
    const switches0 = process.resourceUsage().involuntaryContextSwitches;
    const stall0 = cpuStallMicros();
    const threads0 = threadTimes();
    const host0 = hostCpuNanos();
    const own0 = ownCpuNanos();
    const t0 = performance.now();
    const out = await step.run();
    const wall = (performance.now() - t0) / 1000;
    const own1 = ownCpuNanos();
    const host1 = hostCpuNanos();
    const threads1 = threadTimes();
    const stall1 = cpuStallMicros();
    const switches = process.resourceUsage().involuntaryContextSwitches - switches0;
    const waits = waitFractions(threads0, threads1, wall * 1e9);
    step.reset();
    stats ??= out;
    if (r < WARMUP_RUNS) return;
    runsSeconds.push(out.seconds);
    callRunsSeconds.push(wall);
    quality.push({
      preemptions: switches,
      stallFraction: stall0 === undefined || stall1 === undefined ? null : (stall1 - stall0) / 1e6 / wall,
      waitFraction: waits === undefined ? null : waits.all,
      computeWaitFraction: waits === undefined ? null : waits.compute,
      otherCores: host0 === undefined || host1 === undefined ? null : (host1 - host0 - (own1 - own0)) / 1e9 / wall,
    });
  };
  try {
    for (let r = 0; r < WARMUP_RUNS; r++) await runOnce(r);
    const minTimed = opts.minTimedSeconds ?? 0;
    const timed = async () => {
      let r = WARMUP_RUNS;
      while (
        r < WARMUP_RUNS + numRuns ||
        (callRunsSeconds.reduce((a, x) => a + x, 0) < minTimed && r < WARMUP_RUNS + MAX_TIMED_RUNS)
      )
        await runOnce(r++);
    };
    if (opts.hardwareEvents !== undefined && opts.hardwareEvents.length > 0) {
      hardwareCounters = (await countDuring(opts.hardwareEvents, timed)).counts;
    } else await timed();
    if (opts.traffic === true && (await runner.armTrafficProbe())) {
      traffic = (await step.run()).traffic;
      step.reset();
    }
  } finally {
    step.release();
  }
  if (stats === undefined) throw new Error('unreachable: no run');
  return {
    runsSeconds,
    callRunsSeconds,
    quality,
    loadAverage: [before, loadavg()[0] ?? 0],
    count: stats.count,
    features: stats.features,
    ...(traffic ? { traffic } : {}),
    ...(hardwareCounters ? { hardwareCounters } : {}),
  };
}

interface RepeatableStep {
  run(): Promise<StepStats>;
  /** Back to the state before run() (the point's context). */
  reset(): void;
  release(): void;
}

function prefillStep(runner: KernelRunner, p: PlannedPoint): RepeatableStep {
  const tokens = Array.from({ length: p.newTokens }, (_, i) => (i * 31 + 7) % 256);
  runner.release('prefill');
  // Reserve this point's rows only (as decodeStep does), not the runner's default: a fresh
  // buffer for the sweep's longest context (tiny-mha: 4 layers × 32,770 tokens × 4 KiB = 512 MiB)
  // was zero-filled on every run, tens of ms of page faults outside session.run, and the kernel's
  // page zeroing made every prefill run wait for a CPU (0 of 10 clean in the 1-thread sweep).
  const maxTokens = p.newTokens + 1;
  return {
    run: async () => (await runner.prefill('prefill', tokens, { maxTokens })).stats,
    reset: () => runner.release('prefill'),
    release: () => runner.release('prefill'),
  };
}

/**
 * Fills each sequence's cache with deterministic synthetic KV of the planned length (importKv — a
 * real prefill of 16k tokens would dominate the run; the step's FLOPs and bytes do not depend on
 * the values) and truncates back after each step.
 */
function decodeStep(runner: KernelRunner, p: PlannedPoint): RepeatableStep {
  const ids = p.contextTokens.map((_, b) => `decode${b}`);
  ids.forEach((id, b) => {
    runner.release(id);
    const L = p.contextTokens[b] ?? 0;
    // Reserve this point's rows only (+ the step's new token), not the sweep's longest context.
    runner.importKv(id, 0, syntheticKv(runner.config, L, b), { maxTokens: L + 1 });
  });
  const tokens = ids.map((_, b) => (b * 17 + 65) % 256);
  return {
    run: async () => (await runner.decodeStep(ids, tokens)).stats,
    reset: () =>
      ids.forEach((id, b) => {
        runner.truncate(id, p.contextTokens[b] ?? 0);
      }),
    release: () => {
      for (const id of ids) runner.release(id);
    },
  };
}

/** Deterministic KV rows in ±1 for `numTokens` tokens, one Uint8Array per layer (exportKv layout). */
export function syntheticKv(config: TinyModelConfig, numTokens: number, salt: number): Uint8Array[] {
  const perLayer = numTokens * kvElementsPerTokenPerLayer(config);
  return Array.from({ length: config.numLayers }, (_, l) => {
    const values = new Float32Array(perLayer);
    const block = Math.min(perLayer, 4093);
    for (let i = 0; i < block; i++) values[i] = Math.sin((i + 1) * 0.618 + l * 1.7 + salt * 2.3);
    // Doubling copies fill the rest quickly; the period 4093 (prime) keeps rows varied.
    for (let filled = block; filled < perLayer; filled *= 2)
      values.copyWithin(filled, 0, Math.min(filled, perLayer - filled));
    return new Uint8Array(values.buffer);
  });
}
