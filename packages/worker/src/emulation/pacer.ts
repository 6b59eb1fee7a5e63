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
 * Stretches real work to the emulated target's predicted time on a monotonic clock. Without a target
 * every call is a no-op returning 0, so workers call it unconditionally after each step/transfer.
 */
export class Pacer {
  constructor(
    private readonly target: EmulationTarget | undefined,
    private readonly clock: Clock,
    private readonly onPace: (event: PaceEvent) => void = () => {},
  ) {}

  get emulating(): boolean {
    return this.target !== undefined;
  }

  /** The target's prediction for this step, or undefined when not emulating. */
  predict(shape: StepShapeQuery): PredictedStep | undefined {
    return this.target === undefined ? undefined : predictTargetStep(this.target, shape);
  }

  /** After a step that took `measuredSeconds`: sleeps predicted − measured; returns the (emulated) step time. */
  async afterStep(
    predicted: PredictedStep | undefined,
    measuredSeconds: number,
    signal?: AbortSignal,
  ): Promise<number> {
    if (predicted === undefined) return measuredSeconds;
    return measuredSeconds + (await this.sleep('step', paceSeconds(predicted.stepSeconds, measuredSeconds), signal));
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
