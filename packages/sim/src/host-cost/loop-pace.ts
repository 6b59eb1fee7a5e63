// The decode loop's work between a step's kernel and its flush, measured on the real workers (round 7, issue 12).
// After each engine step the decode worker classifies the step (@oicf/core: this machine, or the emulated target
// whose time the pacer sleeps to) and records it, on its main thread, before its tokens leave. The pacer sleeps
// target − the kernel's measured time, so this work is not hidden by the pacing: a paced step ends at
// max(target, kernel) + this work (apps/decode-worker decode-loop.ts). The workers export the process CPU of
// that part per step (oicf_decode_loop_cpu_seconds_total{part="pace"}, user and system, and
// oicf_decode_loop_part_steps_total{part="pace"}); the sleep itself costs no CPU and is not in it. Measured,
// not fitted to a latency: the twin charges it where the worker spends it (workers/step-times.ts).
import type { DecodeCost, LoopPaceCost } from './host-cost.js';

/** The measured totals of the fitting run's decode workers: CPU seconds in the pace part, and its count. */
export interface PaceTotals {
  readonly cpuSeconds: number;
  readonly count: number;
}

/** Mean CPU per pace part (per step); undefined when none was counted. */
export function loopPaceCost(t: PaceTotals): LoopPaceCost | undefined {
  if (!(t.count > 0) || !(t.cpuSeconds >= 0)) return undefined;
  return { secondsPerStep: t.cpuSeconds / t.count };
}

/**
 * The decode cost with the measured pace work moved out of the step: it comes off the regressed per-step CPU
 * (floored at 0), so the CPU total is kept where the regression had room for it.
 */
export function withLoopPace(decode: DecodeCost, pace: LoopPaceCost): DecodeCost {
  return {
    ...decode,
    secondsPerStep: Math.max(0, decode.secondsPerStep - pace.secondsPerStep),
    loopPace: pace,
  };
}
