// What an emulating decode worker's loop spends outside the step its pacer measured (round 11, issue 12). The real
// loop (apps/decode-worker decode-loop.ts) runs, per iteration: its turn (other callbacks), the engine step (the
// pacer's `measured`), classifying and recording the step, the pacer's sleep of target − measured, the flush. Only
// the engine step is inside the pacing: under emulation a step that slept lasts target + everything else. Two parts,
// both measured rather than regressed from latencies:
//
//  - outsideStepSeconds: the twin's decode step is fitted on the fitting run (mode a, no pacing) so that its loop is
//    as long per step as the real one (bench/sim-fidelity-decode-step.ts); there in-step and out-of-step work add
//    alike, and the fit puts into the step whatever the twin's loop lacks outside it. On that same window, the real
//    loop's time per step outside its steps (the loop per step from the records, less the step the worker recorded)
//    less the twin's own (its loop per step less its step) is that misplaced work; under pacing it belongs after the
//    target, where the twin's pacing would hide it.
//  - emulationSeconds: pacing changes the loop itself (the thread sleeps and must get a core back; the work after
//    the sleep waits; the loop spends more CPU outside its steps). From recorded real runs of both modes in the
//    same windows, by the workers' own loop meters (oicf_decode_loop_wall_seconds_total and _cpu_seconds_total by
//    part, oicf_decode_step_seconds, the pacer's step counts): the loop's wall outside its steps per iteration,
//    paced runs less unpaced ones, over the paced runs' slept steps; emulationCpuSeconds the same for the process
//    CPU of the loop's parts outside its steps (turn, pace, flush).
//
// After each decode step that slept the twin ends the step outsideStepSeconds + emulationSeconds after its target
// and serves emulationCpuSeconds on the worker's main thread (workers/step-times.ts).
import type { DecodeCost, PacedLoopCost } from './host-cost.js';

/** One run's decode loop totals from the workers' meters (summed over its decode workers). */
export interface LoopTotals {
  /** Iterations that ran a step (the meter's flush count). */
  readonly numIterations: number;
  /** Wall seconds of the loop's parts other than idle: turn, step, step_after_wait, pace, flush. */
  readonly loopWallSeconds: number;
  /** The steps' time as the worker recorded it (oicf_decode_step_seconds_sum: measured + the pacer's sleep). */
  readonly stepSeconds: number;
  /** Process CPU seconds of the loop's parts outside its steps: turn, pace, flush. */
  readonly loopCpuSeconds: number;
  /** Steps after which the pacer slept (paced − underrun steps); 0 in an unpaced run. */
  readonly numSleptSteps: number;
}

/** Seconds per iteration the loop spent outside its recorded steps (wall, or `cpu`), over runs (pooled). */
export function outsidePerIteration(runs: readonly LoopTotals[], cpu = false): number {
  const n = runs.reduce((t, r) => t + r.numIterations, 0);
  if (!(n > 0)) return Number.NaN;
  return runs.reduce((t, r) => t + (cpu ? r.loopCpuSeconds : r.loopWallSeconds - r.stepSeconds), 0) / n;
}

/** One window's recorded runs: unpaced (mode a) and paced (emulating, mode b), taken in the same hold. */
export interface LoopWindow {
  readonly unpaced: readonly LoopTotals[];
  readonly paced: readonly LoopTotals[];
}

/**
 * Per slept step, what pacing adds to the loop outside its steps: per window, (paced − unpaced) time outside the
 * steps per iteration ÷ the paced runs' slept steps per iteration; the mean over the windows that have both, floored
 * at 0. NaN when no window has both. `cpu`: the loop's CPU outside its steps instead of its wall.
 */
export function emulationLoopSeconds(windows: readonly LoopWindow[], cpu = false): number {
  const each: number[] = [];
  for (const w of windows) {
    const a = outsidePerIteration(w.unpaced, cpu);
    const b = outsidePerIteration(w.paced, cpu);
    const iterations = w.paced.reduce((t, r) => t + r.numIterations, 0);
    const slept = w.paced.reduce((t, r) => t + r.numSleptSteps, 0);
    if (Number.isNaN(a) || Number.isNaN(b) || !(slept > 0)) continue;
    each.push(((b - a) * iterations) / slept);
  }
  if (each.length === 0) return Number.NaN;
  return Math.max(0, each.reduce((t, x) => t + x, 0) / each.length);
}

/** A loop per step and the step within it, seconds (real: from the records and the step metric; twin: its run). */
export interface LoopAndStep {
  readonly loopSecondsPerStep: number;
  readonly stepSecondsPerStep: number;
}

/** The real loop's time outside its steps less the twin's, per step, on the fitting window (floored at 0). */
export function outsideStepSeconds(real: LoopAndStep, twin: LoopAndStep): number {
  const r = real.loopSecondsPerStep - real.stepSecondsPerStep;
  const t = twin.loopSecondsPerStep - twin.stepSecondsPerStep;
  return Math.max(0, r - t);
}

/** Seconds added after each slept step (0 without the cost). */
export function pacedLoopSeconds(c: PacedLoopCost | undefined): number {
  return c === undefined ? 0 : c.outsideStepSeconds + c.emulationSeconds;
}

/** The decode cost with the paced loop's measured parts. */
export function withPacedLoop(decode: DecodeCost, pacedLoop: PacedLoopCost): DecodeCost {
  return { ...decode, pacedLoop };
}
