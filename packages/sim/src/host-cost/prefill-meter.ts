// The prefill worker's service as its own loop meter measured it on the fitting run (round 7c, issue 12). The
// twin's TTFT error in the fidelity windows is the prefill workers' service time error multiplied 4–8× by their
// queue (they are busy 75–85 % of a run; bench/results/sim-fidelity-r7-decomposition). Before, the twin priced a
// prefill step as the calibrated step-time model (fitted at another time) plus a per-step CPU the regression
// fitted with a low R² (its value moved 56 → 86 ms between windows). The workers now export their process CPU
// and wall by part of their loop (oicf_prefill_loop_{cpu,wall}_seconds_total{part}, …_loop_part_steps_total;
// @oicf/worker CpuMeter), over the same run the fit reads. From those:
//
// - kernel: the `kernel` part's CPU (the runner call, all threads of the process) over the run, divided by the
//   calibrated model's seconds at the same run's prefill shapes: the kernel's level here and now
//   (`kernelScale`), the calibrated model keeping only the shape (how the time grows with tokens and context);
//   the meter gives totals, not each step;
// - per step: the `pace` part's CPU per step (classifying and recording the step), replacing the regressed
//   per-step and per-token CPU, which the kernel part now holds;
// - send: the `send` part's CPU (the handoff's frames and the pool put), split per send and per handoff byte in
//   the shape of the same run's per-request send line (wall = intercept + slope × bytes) at the part's measured
//   CPU ÷ wall; charged alongside the link (workers/prefill-worker.ts).
import type { PrefillCost, PrefillSendCpu } from './host-cost.js';

/** The fitting run's prefill workers' meter totals, and what the calibrated model says of the same steps. */
export interface PrefillMeterTotals {
  readonly kernelCpuSeconds: number;
  /** The calibrated model's kernel seconds at the run's prefill steps' own shapes on those workers. */
  readonly calibratedKernelSeconds: number;
  readonly paceCpuSeconds: number;
  /** Prefill steps the meter counted (its `kernel` part's count). */
  readonly steps: number;
  readonly sendCpuSeconds: number;
  readonly sendWallSeconds: number;
  /** Bytes of the run's handoffs (the remote prefills'). */
  readonly handoffBytes: number;
}

/** The same run's per-request send line: wall seconds = interceptSeconds + secondsPerByte × handoff bytes. */
export interface SendLine {
  readonly interceptSeconds: number;
  readonly secondsPerByte: number;
}

export interface PrefillMeterCost {
  readonly kernelScale: number;
  readonly secondsPerStep: number;
  readonly sendCpu: PrefillSendCpu | undefined;
}

/** The costs from the meter's totals; undefined when the run has no metered prefill step (before the meter). */
export function prefillMeterCost(t: PrefillMeterTotals, line: SendLine | undefined): PrefillMeterCost | undefined {
  if (!(t.steps > 0) || !(t.kernelCpuSeconds > 0) || !(t.calibratedKernelSeconds > 0)) return undefined;
  const kernelScale = t.kernelCpuSeconds / t.calibratedKernelSeconds;
  const secondsPerStep = Math.max(0, t.paceCpuSeconds) / t.steps;
  let sendCpu: PrefillSendCpu | undefined;
  if (
    t.sendCpuSeconds > 0 &&
    t.sendWallSeconds > 0 &&
    line !== undefined &&
    line.interceptSeconds >= 0 &&
    line.secondsPerByte >= 0
  ) {
    const cpuPerWall = t.sendCpuSeconds / t.sendWallSeconds;
    sendCpu = { secondsPerSend: cpuPerWall * line.interceptSeconds, secondsPerByte: cpuPerWall * line.secondsPerByte };
  } else if (t.sendCpuSeconds > 0 && t.handoffBytes > 0) {
    // No usable line (a negative intercept or slope): all of it per byte.
    sendCpu = { secondsPerSend: 0, secondsPerByte: t.sendCpuSeconds / t.handoffBytes };
  }
  return { kernelScale, secondsPerStep, sendCpu };
}

/** The regressed prefill cost with the metered service in place of its per-step and per-token CPU. */
export function withPrefillMeter(prefill: PrefillCost, m: PrefillMeterCost): PrefillCost {
  const { sendCpu: _old, ...rest } = prefill;
  return {
    ...rest,
    secondsPerStep: m.secondsPerStep,
    secondsPerToken: 0,
    kernelScale: m.kernelScale,
    ...(m.sendCpu === undefined ? {} : { sendCpu: m.sendCpu }),
  };
}
