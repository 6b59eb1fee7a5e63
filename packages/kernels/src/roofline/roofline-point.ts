import type { MeasuredTraffic } from '../runtime/traffic.js';
import type { StepFeatures } from '../step-time/step-features.js';
import type { ReadRate } from './read-probe.js';
import type { RunQuality } from './run-quality.js';
import type { PlannedPoint } from './sweep-plan.js';

/** One measured point beside @oicf/core's prediction for the same step on the calibrated device. */
export interface RooflinePoint extends PlannedPoint {
  readonly modelId: string;
  /** Counted (whole graph at this step's shapes; MoE with the step's real routing). */
  readonly flops: number;
  readonly matmulFlops: number;
  /** Counted: weights + KV read + KV written (the roofline's bytes). */
  readonly bytes: number;
  readonly unfusedBytes: number;
  readonly weightBytes: number;
  readonly kvReadBytes: number;
  readonly kvWriteBytes: number;
  /** Counted features the calibrated step-time model prices. */
  readonly features: StepFeatures;
  /** Measured: median session.run time of the clean runs (run-quality.ts), else of all runs. */
  readonly seconds: number;
  readonly runsSeconds: readonly number[];
  /** Measured: the same median of the whole runner call (feeds + session.run + KV write-back). */
  readonly callSeconds: number;
  readonly callRunsSeconds: readonly number[];
  /** Per run: CPU stall fraction and preemptions (run-quality.ts). */
  readonly quality: readonly RunQuality[];
  /** False when too few runs were clean, so the medians include contended runs. */
  readonly clean: boolean;
  /** 1-minute load average before and after the point. */
  readonly loadAverage: readonly [number, number];
  /** Counted FLOPs ÷ measured seconds. */
  readonly achievedFlopsPerSecond: number;
  /** Counted bytes ÷ measured seconds. */
  readonly achievedBytesPerSecond: number;
  /** Counted FLOPs ÷ counted bytes: both from the graph, so this is counted, not measured. */
  readonly countedIntensityFlopsPerByte: number;
  /** Bytes the executed kernels moved, from a profiled run (absent with traffic off). */
  readonly traffic?: MeasuredTraffic;
  /** Measured: traffic.movedBytes ÷ session.run seconds. */
  readonly measuredBandwidthBytesPerSecond?: number;
  /** Counted FLOPs ÷ measured bytes moved (traffic.movedBytes). */
  readonly measuredIntensityFlopsPerByte?: number;
  /** `perf stat` totals over the timed runs, when the sweep asked for hardware events. */
  readonly hardwareCounters?: Record<string, number | 'unsupported'>;
  /** Read rates of the probe's working sets just before the point (read-probe.ts), when asked for. */
  readonly readProbe?: readonly ReadRate[];
  /** The same probe again just after the point's timed runs (round 6; absent before). */
  readonly readProbeAfter?: readonly ReadRate[];
  readonly predictedSeconds: number;
  readonly predictedFlops: number;
  readonly predictedBytes: number;
  readonly predictedIntensityFlopsPerByte: number;
  readonly predictedBound: 'compute' | 'memory';
}
