import {
  type EmulationTarget,
  type PredictedStep,
  predictTargetStep,
  type StepShapeQuery,
  targetTransferSeconds,
} from '@oicf/core';
import type { Clock } from '@oicf/transport';
import { paceSeconds } from './pace-seconds.js';

/** What pacing did, for metrics: how long it slept and why. */
export interface PaceEvent {
  readonly kind: 'step' | 'transfer';
  readonly sleepSeconds: number;
}

/**
 * One step paced to the target (every step while emulating): its phase, the target's time and this
 * machine's. An underrun is a step whose real time already exceeded the target's: nothing to sleep, and
 * the cluster then runs at this machine's speed, not the target's.
 */
export interface PacedStep {
  readonly phase: 'prefill' | 'decode';
  readonly targetSeconds: number;
  readonly measuredSeconds: number;
  readonly sleepSeconds: number;
  readonly underrun: boolean;
}

/**
 * Stretches real work to the emulated target's predicted time on a monotonic clock. Without a target
 * every call is a no-op returning 0, so workers call it unconditionally after each step/transfer.
 */
export class Pacer {
  /** The phase of each prediction handed out by `predict`, so `afterStep` can report it per phase. */
  private readonly phases = new WeakMap<PredictedStep, PacedStep['phase']>();

  constructor(
    private readonly target: EmulationTarget | undefined,
    private readonly clock: Clock,
    private readonly onPace: (event: PaceEvent) => void = () => {},
    private readonly onStep: (step: PacedStep) => void = () => {},
  ) {}

  get emulating(): boolean {
    return this.target !== undefined;
  }

  /** The target's prediction for this step, or undefined when not emulating. */
  predict(shape: StepShapeQuery): PredictedStep | undefined {
    if (this.target === undefined) return undefined;
    const predicted = predictTargetStep(this.target, shape);
    this.phases.set(predicted, shape.phase);
    return predicted;
  }

  /** After a step that took `measuredSeconds`: sleeps predicted − measured; returns the (emulated) step time. */
  async afterStep(
    predicted: PredictedStep | undefined,
    measuredSeconds: number,
    signal?: AbortSignal,
  ): Promise<number> {
    if (predicted === undefined) return measuredSeconds;
    const sleepSeconds = paceSeconds(predicted.stepSeconds, measuredSeconds);
    const phase = this.phases.get(predicted);
    if (phase !== undefined) {
      const targetSeconds = predicted.stepSeconds;
      this.onStep({ phase, targetSeconds, measuredSeconds, sleepSeconds, underrun: measuredSeconds > targetSeconds });
    }
    return measuredSeconds + (await this.sleep('step', sleepSeconds, signal));
  }

  /** After moving `numTokens` of KV in `measuredSeconds`: sleeps until the target link would have finished. */
  async afterTransfer(numTokens: number, measuredSeconds: number, signal?: AbortSignal): Promise<number> {
    if (this.target === undefined) return measuredSeconds;
    const predicted = targetTransferSeconds(this.target, numTokens);
    return measuredSeconds + (await this.sleep('transfer', paceSeconds(predicted, measuredSeconds), signal));
  }

  private async sleep(kind: PaceEvent['kind'], seconds: number, signal?: AbortSignal): Promise<number> {
    if (seconds <= 0) return 0;
    await this.clock.sleep(seconds, signal);
    this.onPace({ kind, sleepSeconds: seconds });
    return seconds;
  }
}
