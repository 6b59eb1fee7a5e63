import type { StepShapeQuery } from '@oicf/core';
import type { StepStats } from '@oicf/kernels';
import type { WorkerLoad } from '@oicf/proto';
import type { StepAnalysis, StepAnalyzer } from '../emulation/step-analyzer.js';
import { StepSpeeds } from './step-speeds.js';
import type { Phase, WorkerMetrics } from './worker-metrics.js';

/**
 * Turns each step into metrics and the moving averages heartbeats report. Counted OI comes from the
 * runner's counted FLOPs and bytes (StepStats.count walks the graph, ~1–2 ms for the tiny model), so it
 * is sampled at most once per `intensityEverySeconds` per phase rather than on every step. It is a
 * count of the graph, not a measurement: the measured figures come from steps the runner profiled
 * (StepStats.traffic, present when the runner probed the step; see KernelStepRunner).
 */
export class StepRecorder {
  /** The prefill line and decode step EWMA heartbeats report (step-speeds.ts). */
  private readonly speeds = new StepSpeeds();
  private readonly intensity: Record<Phase, number> = { prefill: 0, decode: 0 };
  private readonly lastSampleSeconds: Record<Phase, number> = {
    prefill: Number.NEGATIVE_INFINITY,
    decode: Number.NEGATIVE_INFINITY,
  };

  constructor(
    private readonly wm: WorkerMetrics,
    private readonly analyzer: StepAnalyzer,
    private readonly nowSeconds: () => number,
    private readonly intensityEverySeconds = 0.5,
  ) {}

  /**
   * Records one step. `effectiveSeconds` is the step's time as the cluster sees it (measured, plus
   * the emulation sleep); `analysis` may be passed when the caller already analysed the shape.
   */
  record(shape: StepShapeQuery, stats: StepStats | undefined, effectiveSeconds: number, analysis?: StepAnalysis): void {
    const phase = shape.phase;
    const a = analysis ?? this.analyzer.analyze(shape);
    const numTokens = phase === 'prefill' ? shape.numNewTokens : shape.contextTokens.length;
    const batch = phase === 'prefill' ? 1 : shape.contextTokens.length;
    this.wm.steps.inc({ phase });
    this.wm.stepSeconds.observe({ phase }, effectiveSeconds);
    this.wm.stepTokens.observe({ phase }, numTokens);
    this.wm.batchSize.observe({ phase }, batch);
    this.wm.predictedIntensity.set({ phase }, a.predictedIntensityFlopsPerByte);
    this.wm.regimeSteps.inc({ phase, regime: a.regime, device: a.regimeDeviceId });
    this.speeds.record(phase, numTokens, effectiveSeconds);
    if (stats?.traffic !== undefined) {
      this.wm.measuredIntensity.set({ phase }, stats.measuredIntensityFlopsPerByte ?? 0);
      this.wm.measuredBandwidth.set({ phase }, stats.measuredBandwidthBytesPerSecond ?? 0);
    }
    const now = this.nowSeconds();
    if (stats !== undefined && now - this.lastSampleSeconds[phase] >= this.intensityEverySeconds) {
      this.lastSampleSeconds[phase] = now;
      this.intensity[phase] = stats.countedIntensityFlopsPerByte;
      this.wm.countedIntensity.set({ phase }, this.intensity[phase]);
    }
  }

  /**
   * The measured speeds a heartbeat's WorkerLoad carries, 0 for what this worker never ran: the fitted
   * prefill line (seconds ≈ fixed + perToken · tokens, emulated time when emulating), the decode step
   * EWMA, and the last sampled counted OI per phase.
   */
  loadSpeeds(): Pick<
    WorkerLoad,
    | 'prefillSecondsPerToken'
    | 'prefillFixedSeconds'
    | 'decodeStepSeconds'
    | 'prefillIntensityFlopsPerByte'
    | 'decodeIntensityFlopsPerByte'
  > {
    return {
      ...this.speeds.report(),
      prefillIntensityFlopsPerByte: this.intensity.prefill,
      decodeIntensityFlopsPerByte: this.intensity.decode,
    };
  }
}
