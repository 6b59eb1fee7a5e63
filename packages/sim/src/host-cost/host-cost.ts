// The CPU the local cluster's services spend besides their kernels, as a model of this machine: what each
// process's main thread (its JavaScript event loop) costs per unit of work it does, fitted from /proc and
// the services' /metrics over a real run (fit-host-cost.ts), stored beside the step-time model
// (`.oicf/host-cost.json`) and charged by the twin on the same processor-sharing host as the kernels
// (core/process-cpu.ts). Every figure is CPU seconds of one core; `busyCores` is what the process uses when
// idle (heartbeats, scrapes, timers) as a fraction of a core.

import type { GraphBuildCost } from './graph-build.js';

/** One process's counters and CPU at one instant (bench/host-sampler.ts). */
export interface ProcessSample {
  /** User + system seconds of every thread. */
  readonly cpuSeconds: number;
  /** User + system seconds of the main thread (the event loop; onnxruntime kernels run on their own threads). */
  readonly mainThreadSeconds: number;
  /** Counter series (`_total`, histogram `_sum` / `_count`) by Prometheus series key. */
  readonly counters: Readonly<Record<string, number>>;
  /** The /metrics scrape failed (its counters are unknown, not zero). */
  readonly scrapeFailed?: true;
}

export interface HostSample {
  /** Seconds since sampling began. */
  readonly atSeconds: number;
  /** By service name: router, kv-pool, prefill-0, decode-1, …, and `client` (the load generator). */
  readonly processes: Readonly<Record<string, ProcessSample>>;
  /** CPU seconds every process of the machine has used (/proc/stat: all but idle and iowait), when read. */
  readonly machineBusySeconds?: number;
}

/** Cores other processes of the machine kept busy from `atSeconds` on (a step function over a run). */
export interface ForeignLoadPoint {
  readonly atSeconds: number;
  readonly cores: number;
}

/**
 * The machine's CPU not used by the sampled processes, per interval, as cores: what other work on a shared
 * machine took from the cluster while it ran (measured, for the twin to replay as background demand).
 */
export function foreignLoad(samples: readonly HostSample[]): ForeignLoadPoint[] {
  const ours = (s: HostSample) => Object.values(s.processes).reduce((t, p) => t + p.cpuSeconds, 0);
  const out: ForeignLoadPoint[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1] as HostSample;
    const b = samples[i] as HostSample;
    const dt = b.atSeconds - a.atSeconds;
    if (a.machineBusySeconds === undefined || b.machineBusySeconds === undefined || !(dt > 0)) continue;
    const foreign = b.machineBusySeconds - a.machineBusySeconds - (ours(b) - ours(a));
    out.push({ atSeconds: a.atSeconds, cores: Math.max(0, foreign / dt) });
  }
  return out;
}

/** The router's main thread: admission, routing and the relay of each streamed token. */
export interface RouterCost {
  readonly secondsPerRequest: number;
  readonly secondsPerToken: number;
  readonly busyCores: number;
}

/** The load client's main thread (the replay driver): sending a request, reading each streamed token. */
export type ClientCost = RouterCost;

/** A prefill worker's main thread besides its kernels: per step, per prompt token computed, per KV byte. */
export interface PrefillCost {
  readonly secondsPerStep: number;
  readonly secondsPerToken: number;
  /** KV bytes it sends (handoff, pool puts) or receives (pool gets): framing, checksums, copies. */
  readonly secondsPerKvByte: number;
  readonly busyCores: number;
  /**
   * Round 7c: the prefill kernel's level as the fitting run's own workers measured it (prefill-meter.ts): the
   * process CPU of the loop's `kernel` part (oicf_prefill_loop_cpu_seconds_total{part="kernel"}) over the run,
   * divided by the calibrated model's kernel seconds at the same run's prefill shapes. The twin's prefill kernel
   * is the calibrated model's time for its shape times this (the model gives the shape, the meter the level).
   * Optional: older files price the calibrated kernel as it is.
   */
  readonly kernelScale?: number;
  /**
   * Round 7c: the CPU the worker's main thread spends in its `send` part (the handoff's frames and the pool put),
   * measured by the same meter, per send and per handoff byte. It runs on the main thread alongside the link
   * and the receiver (the frames are copied as they go), and the reply waits for it. Optional: older files
   * price the send by `HandoffCost.sendSecondsPerByte` before the link (or the per-KV-byte CPU), as before.
   */
  readonly sendCpu?: PrefillSendCpu;
}

/** Measured CPU of a prefill worker's send part: per send (one per prefill with a handoff), per handoff byte. */
export interface PrefillSendCpu {
  readonly secondsPerSend: number;
  readonly secondsPerByte: number;
}

/** A decode worker's main thread besides its kernels: the loop per step and per sequence in it, KV bytes. */
export interface DecodeCost {
  /** Per Decode call: gathering its KV, caching its blocks, finishing it. */
  readonly secondsPerRequest: number;
  readonly secondsPerStep: number;
  /** Per sequence per decode step: sampling, the token's stream message. */
  readonly secondsPerSequenceStep: number;
  /** KV bytes it receives (handoff, pool gets: verify and import) or sends (pool puts). */
  readonly secondsPerKvByte: number;
  readonly busyCores: number;
  /**
   * The decode loop's flush after each step, measured on the worker (oicf_decode_loop_flush_seconds by batch;
   * loop-flush.ts): handing the step's tokens to the request streams and updating gauges, on the main thread
   * after the step's end, so after an emulated step's pacing, and before the next step starts. Part of the
   * worker's per-step CPU: with it, `secondsPerStep`/`secondsPerSequenceStep` are the rest (inside the step).
   * Optional: older files and hand models charge all of it inside the step.
   */
  readonly loopFlush?: LoopFlushCost;
  /**
   * Of `secondsPerRequest`, what a finished request costs when the engine finishes it (keeping its blocks in
   * the local cache and offering them to the pool: FinishedBlocks.keep, measured on the worker as
   * oicf_decode_main_thread_work_seconds_total{work="finished_keep"} per finished request), charged then on the
   * main thread instead of before the request's gather. Optional: older files charge all of it before.
   */
  readonly finishSeconds?: number;
  /**
   * The decode loop's work between a step's kernel and its flush, measured on the worker (round 7: the CPU of
   * oicf_decode_loop_cpu_seconds{part="pace"} per step): classifying the step (@oicf/core, against the target
   * under emulation) and recording it. It runs on the main thread right after the kernel, and the pacer sleeps
   * target − the kernel's measured time, not counting it (decode-loop.ts), so a paced step ends at
   * max(target, kernel) + this, and an unpaced one at kernel + this. Part of the worker's per-step CPU: with it,
   * `secondsPerStep` is the rest (inside the step). Optional: older files charge all of it inside the step.
   */
  readonly loopPace?: LoopPaceCost;
  /**
   * Round 8: the first decode step of each (batch size, short/tiled) graph the worker has not built yet builds it and
   * creates its onnxruntime session on the main thread before its kernel (a worker whose warmBatches is below maxBatch,
   * as every worker was before 9242195); measured by timing those builds on this machine (graph-build.ts). Optional:
   * older files charge no build, as before.
   */
  readonly graphBuild?: GraphBuildCost;
}

/** Measured seconds of CPU per decode step between its kernel's end and its pacing's end (the sleep excluded). */
export interface LoopPaceCost {
  readonly secondsPerStep: number;
}

/** Measured seconds of one flush of the decode loop: per step, plus per sequence in the step. */
export interface LoopFlushCost {
  readonly secondsPerStep: number;
  readonly secondsPerSequence: number;
}

/** The kv-pool's main thread: per KV byte stored or served. */
export interface PoolCost {
  readonly secondsPerKvByte: number;
  readonly busyCores: number;
}

/**
 * The prefill → decode KV handoff's costs per handoff byte, measured from a real run's per-request timings
 * (fit-handoff-cost.ts) rather than split off the workers' regressed per-byte CPU. When a model has it, the
 * twin prices the handoff's path with it: the prefill worker's send (export, framing, its pool put's copies)
 * on its main thread, then the link, whose measured time is the decode worker's receipt (first frame to
 * verified import: served on its main thread alongside the link, so the acknowledgement waits for a step
 * it is in); at the Decode call, the import into the runner. The workers' per-byte CPU the regression gave
 * beyond these (`offPathSecondsPerByte`: helper threads, garbage collection) is demand on the host's cores
 * that no main thread waits for. Without it the twin splits `decode.secondsPerKvByte` half and half between
 * receipt and import, and charges `prefill.secondsPerKvByte` on the sender (the first host-cost model).
 */
export interface HandoffCost {
  /** The prefill worker's send path beyond the link, per handoff byte (it holds the worker's slot). */
  readonly sendSecondsPerByte: number;
  /** The decode worker's import at the Decode call, per handoff byte (before its first decode step). */
  readonly importSecondsPerByte: number;
  /** The rest of the workers' per-byte CPU per handoff byte, as demand on the cores off every main thread. */
  readonly offPathSecondsPerByte: number;
}

export interface HostCost {
  readonly router: RouterCost;
  readonly client: ClientCost;
  readonly prefill: PrefillCost;
  readonly decode: DecodeCost;
  readonly pool: PoolCost;
  /** The handoff's path measured per request (optional: older files and hand models do without). */
  readonly handoff?: HandoffCost;
}

/** Costs nothing: the twin as before the host-cost model (every non-kernel step free). */
export const ZERO_HOST_COST: HostCost = {
  router: { secondsPerRequest: 0, secondsPerToken: 0, busyCores: 0 },
  client: { secondsPerRequest: 0, secondsPerToken: 0, busyCores: 0 },
  prefill: { secondsPerStep: 0, secondsPerToken: 0, secondsPerKvByte: 0, busyCores: 0 },
  decode: { secondsPerRequest: 0, secondsPerStep: 0, secondsPerSequenceStep: 0, secondsPerKvByte: 0, busyCores: 0 },
  pool: { secondsPerKvByte: 0, busyCores: 0 },
};
