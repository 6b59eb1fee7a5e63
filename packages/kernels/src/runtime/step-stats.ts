import type { CountTotals } from '../count/count-graph.js';
import type { StepFeatures } from '../step-time/step-features.js';
import type { MeasuredTraffic } from './traffic.js';

export interface StepInfo {
  readonly phase: 'prefill' | 'decode';
  readonly batch: number;
  /** Tokens processed (prefill: new tokens; decode: batch). */
  readonly numNewTokens: number;
  /** Per sequence, tokens cached before the step. */
  readonly contextTokens: readonly number[];
  /** Wall time of the session.run call, seconds. */
  readonly seconds: number;
  /** Bytes the step's kernels moved, when a traffic probe measured it (traffic.ts). */
  readonly traffic?: MeasuredTraffic;
}

/** What counting a step's graph at its shapes gives: the totals and the step-time features. */
export interface StepCounted {
  readonly totals: CountTotals;
  readonly features: StepFeatures;
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
  readonly traffic: MeasuredTraffic | undefined;
  private counted: StepCounted | undefined;

  constructor(
    info: StepInfo,
    private readonly countFn: () => StepCounted,
  ) {
    this.phase = info.phase;
    this.batch = info.batch;
    this.numNewTokens = info.numNewTokens;
    this.contextTokens = info.contextTokens;
    this.seconds = info.seconds;
    this.traffic = info.traffic;
  }

  /** FLOPs and bytes of this step's graph at its shapes (and, for MoE, its routing). */
  get count(): CountTotals {
    this.counted ??= this.countFn();
    return this.counted.totals;
  }

  /** The counted features the calibrated step-time model prices (step-time/step-features.ts). */
  get features(): StepFeatures {
    this.counted ??= this.countFn();
    return this.counted.features;
  }

  /** count.flops / seconds. */
  get achievedFlopsPerSecond(): number {
    return this.count.flops / this.seconds;
  }

  /** count.idealBytes / seconds: weights + KV, the roofline's byte count. */
  get achievedBytesPerSecond(): number {
    return this.count.idealBytes / this.seconds;
  }

  /** count.flops / count.idealBytes: counted, not measured (both come from the graph). */
  get countedIntensityFlopsPerByte(): number {
    return this.count.intensityFlopsPerByte;
  }

  /** Measured: traffic.movedBytes ÷ seconds (undefined unless the step's traffic was probed). */
  get measuredBandwidthBytesPerSecond(): number | undefined {
    return this.traffic === undefined ? undefined : this.traffic.movedBytes / this.seconds;
  }

  /** Counted FLOPs ÷ measured bytes moved (traffic.movedBytes); undefined unless probed. */
  get measuredIntensityFlopsPerByte(): number | undefined {
    return this.traffic === undefined ? undefined : this.count.flops / this.traffic.movedBytes;
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
      countedIntensityFlopsPerByte: this.countedIntensityFlopsPerByte,
      ...(this.traffic
        ? {
            traffic: this.traffic,
            measuredBandwidthBytesPerSecond: this.measuredBandwidthBytesPerSecond,
            measuredIntensityFlopsPerByte: this.measuredIntensityFlopsPerByte,
          }
        : {}),
      count: this.count,
    };
  }
}
