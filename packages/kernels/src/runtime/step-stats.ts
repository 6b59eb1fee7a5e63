import type { CountTotals } from '../count/count-graph.js';

export interface StepInfo {
  readonly phase: 'prefill' | 'decode';
  readonly batch: number;
  /** Tokens processed (prefill: new tokens; decode: batch). */
  readonly numNewTokens: number;
  /** Per sequence, tokens cached before the step. */
  readonly contextTokens: readonly number[];
  /** Wall time of the session.run call, seconds. */
  readonly seconds: number;
}

/**
 * One measured step (a prefill or a decode step): how long onnxruntime took, and what the step
 * computed and moved by the counter's conventions. Counting walks the whole graph (~1–2 µs per
 * node), so it runs on first access rather than on the step's critical path.
 */
export class StepStats implements StepInfo {
  readonly phase: StepInfo['phase'];
  readonly batch: number;
  readonly numNewTokens: number;
  readonly contextTokens: readonly number[];
  readonly seconds: number;
  private counted: CountTotals | undefined;

  constructor(
    info: StepInfo,
    private readonly countFn: () => CountTotals,
  ) {
    this.phase = info.phase;
    this.batch = info.batch;
    this.numNewTokens = info.numNewTokens;
    this.contextTokens = info.contextTokens;
    this.seconds = info.seconds;
  }

  /** FLOPs and bytes of this step's graph at its shapes (and, for MoE, its routing). */
  get count(): CountTotals {
    this.counted ??= this.countFn();
    return this.counted;
  }

  /** count.flops / seconds. */
  get achievedFlopsPerSecond(): number {
    return this.count.flops / this.seconds;
  }

  /** count.idealBytes / seconds: weights + KV, the roofline's byte count. */
  get achievedBytesPerSecond(): number {
    return this.count.idealBytes / this.seconds;
  }

  /** count.flops / count.idealBytes: the measured point's operational intensity. */
  get intensityFlopsPerByte(): number {
    return this.count.intensityFlopsPerByte;
  }

  toJSON(): object {
    return {
      phase: this.phase,
      batch: this.batch,
      numNewTokens: this.numNewTokens,
      contextTokens: this.contextTokens,
      seconds: this.seconds,
      achievedFlopsPerSecond: this.achievedFlopsPerSecond,
      achievedBytesPerSecond: this.achievedBytesPerSecond,
      intensityFlopsPerByte: this.intensityFlopsPerByte,
      count: this.count,
    };
  }
}
