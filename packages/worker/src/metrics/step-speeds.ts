// The speeds a worker's heartbeat reports (WorkerLoad: prefill line, decode step EWMA), from the steps it
// ran. Pure, so the cluster twin (@oicf/sim, via `@oicf/worker/speeds`) reports exactly what a worker
// would after the same steps; StepRecorder feeds it on the workers.
import { Ewma } from './ewma.js';
import { LinearFit } from './linear-fit.js';

export interface StepSpeedsReport {
  /** Fitted seconds per computed prefill token (0 before any prefill). */
  readonly prefillSecondsPerToken: number;
  /** Fitted fixed seconds of a prefill step (0 before any prefill). */
  readonly prefillFixedSeconds: number;
  /** EWMA of decode step seconds (0 before any decode step). */
  readonly decodeStepSeconds: number;
}

export class StepSpeeds {
  /** Prefill seconds ≈ fixed + perToken · computed tokens, fitted over recent prefills (linear-fit.ts). */
  private readonly prefillFit = new LinearFit(0.1);
  private readonly decodeStep = new Ewma(0.2);

  /**
   * One step as the cluster saw it: `seconds` is its effective time (measured, plus the emulation sleep);
   * `numTokens` the tokens a prefill computed (ignored for decode).
   */
  record(phase: 'prefill' | 'decode', numTokens: number, seconds: number): void {
    if (phase === 'prefill') this.prefillFit.add(Math.max(1, numTokens), seconds);
    else this.decodeStep.update(seconds);
  }

  report(): StepSpeedsReport {
    const { intercept, slope } = this.prefillFit.line;
    return { prefillSecondsPerToken: slope, prefillFixedSeconds: intercept, decodeStepSeconds: this.decodeStep.value };
  }
}
