// The decode worker's kernel level from its own loop meter on the fitting run (round 10, issue 12). Window 9b
// (bench/results/sim-fidelity-r9b) showed the twin's steady decode too fast and its first gap after a remote
// prefill too slow: later gaps 16.7 ms mean against 20–29 ms real, the first gap 161 ms p50 against 56–79 ms
// (mode a). The real workers' meter says why: the loop's step parts (the engine's step, the runner call in it)
// took 7.0 ms of process CPU a step on the fitting run, where the calibrated model (the kernels timed alone)
// priced ≈ 4 ms. The CPU regression, which subtracts the calibrated kernels from the workers' CPU, put the
// difference on the columns that grow with the traffic, chiefly the per-request CPU (62 ms a Decode call),
// which the twin charges before a request's gather: its first gap. As for a prefill worker since round 7c
// (prefill-meter.ts), the calibrated model keeps the shape (how a step grows with batch and contexts) and the
// meter gives the level here and now; the regression then subtracts kernels at that level.
import type { KernelPricing } from './fit-host-cost.js';

/** The fitting run's decode workers' meter totals, and what the calibrated model says of the same steps. */
export interface DecodeMeterTotals {
  /** CPU of the loop's `step` and `step_after_wait` parts over the run, all decode workers. */
  readonly stepCpuSeconds: number;
  /** The calibrated model's kernel seconds at the run's own step shapes on those workers (local prefills included). */
  readonly calibratedKernelSeconds: number;
  /** Steps the meter counted (its two step parts). */
  readonly steps: number;
}

/** The decode kernels' level (meter ÷ calibrated); undefined when the run has no metered step (before the meter). */
export function decodeKernelScale(t: DecodeMeterTotals): number | undefined {
  if (!(t.steps > 0) || !(t.stepCpuSeconds > 0) || !(t.calibratedKernelSeconds > 0)) return undefined;
  return t.stepCpuSeconds / t.calibratedKernelSeconds;
}

/**
 * The regression's kernel pricing with the decode workers' kernels at `scale` (what the twin will charge), the
 * prefill workers' as they were: `isDecode` says which workers' totals `totalSeconds` scales.
 */
export function withDecodeKernelScale(
  k: KernelPricing,
  scale: number,
  isDecode: (workerName: string) => boolean,
): KernelPricing {
  if (!(Number.isFinite(scale) && scale > 0)) throw new Error(`decode kernel scale must be > 0, got ${scale}`);
  const total = k.totalSeconds;
  return {
    prefillStepSeconds: (n) => k.prefillStepSeconds(n),
    decodeStepSeconds: (batch, context) => scale * k.decodeStepSeconds(batch, context),
    meanDecodeContextTokens: k.meanDecodeContextTokens,
    ...(total === undefined
      ? {}
      : {
          totalSeconds: (name: string) => {
            const s = total(name);
            return s === undefined || !isDecode(name) ? s : s * scale;
          },
        }),
  };
}

/**
 * The regressed per-request decode CPU split by where it runs (round 10). The twin charges `secondsPerRequest`
 * (less `finishSeconds`) on the decode worker's main thread before the request's gather, so all of it delays that
 * request's first decode step. The worker measures what a Decode call itself does on its main thread
 * (oicf_decode_main_thread_work_seconds_total{work="decode_call"}, 0.4 ms a call on window 9b's fitting run) and
 * at its finish ({work="finished_keep"}); the rest of the column is CPU the loop spends between steps (its `turn`
 * part: request-plane I/O, timers), which the twin then charges per loop turn (`loopTurn`), so the CPU total
 * stays the regression's.
 */
export interface DecodeCallSplit {
  /** Per request, on the main thread: the measured Decode call and finish work, at most the regressed column. */
  readonly secondsPerRequest: number;
  /** The rest of the column per loop turn (step) of the fitting run. */
  readonly turnSecondsPerStep: number;
}

export function splitDecodeRequestCpu(o: {
  /** The regression's per-request CPU of a decode worker. */
  readonly secondsPerRequest: number;
  /** Measured main-thread work per request: the Decode call's and the finish's. */
  readonly measuredSecondsPerRequest: number;
  /** Requests the decode workers served over the fitting run, and the loop turns (steps) they ran. */
  readonly numRequests: number;
  readonly numSteps: number;
}): DecodeCallSplit {
  const onPath = Math.min(Math.max(0, o.measuredSecondsPerRequest), o.secondsPerRequest);
  if (!(o.numSteps > 0) || !(o.numRequests > 0))
    return { secondsPerRequest: o.secondsPerRequest, turnSecondsPerStep: 0 };
  return {
    secondsPerRequest: onPath,
    turnSecondsPerStep: ((o.secondsPerRequest - onPath) * o.numRequests) / o.numSteps,
  };
}
