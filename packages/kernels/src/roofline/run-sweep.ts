import type { DeviceSpec } from '@oicf/core';
import { configKey, type TinyModelConfig } from '../model/config.js';
import { analyzeTwin } from '../model/oicf-twin.js';
import { KernelRunner } from '../runtime/kernel-runner.js';
import { type MeasuredRuns, measurePoint } from './measure-point.js';
import { withRuns } from './point-runs.js';
import { ReadProbe, type ReadRate } from './read-probe.js';
import type { RooflinePoint } from './roofline-point.js';
import { type PlannedPoint, planSweep, type SweepSpec, sweepConfig } from './sweep-plan.js';

export type { RooflinePoint } from './roofline-point.js';

export interface SweepRunOptions {
  /** The calibrated machine (thisMachineDevice(profile)); predictions use its peaks and bandwidth. */
  readonly device: DeviceSpec;
  /** Timed runs per point after one warm-up (default 3). */
  readonly numRuns?: number;
  readonly intraOpNumThreads?: number;
  /** Called before each point: (index, total, description). */
  readonly onProgress?: (index: number, total: number, description: string) => void;
  /** Stops between points; the points measured so far are returned. */
  readonly signal?: AbortSignal;
  /** Also measure each point's traffic with one profiled run (default false; traffic.ts). */
  readonly traffic?: boolean;
  /** `perf stat` events to count over each point's timed runs (hardware-counters.ts; default none). */
  readonly hardwareEvents?: readonly string[];
  /** More timed runs per point until they add up to this much wall time (measure-point.ts; default 0). */
  readonly minTimedSeconds?: number;
  /** Record the read probe's rates (read-probe.ts: 16, 32 and 64 MiB working sets) just before each
   * point and again just after its timed runs (round 6: the two bracket the point's repeat). */
  readonly readProbe?: boolean;
}

/**
 * Measures every planned point. Prefill points prefill a fresh sequence; decode points fill each
 * sequence's cache with deterministic synthetic KV of the planned length (importKv — a real
 * prefill of 16k tokens would dominate the run; the step's FLOPs and bytes do not depend on the
 * values) and time one step at that length, truncating back between runs.
 */
export function runSweep(spec: SweepSpec, opts: SweepRunOptions): Promise<RooflinePoint[]> {
  return runPoints(planSweep(spec), spec, opts);
}

/**
 * Measures the given points of a sweep (any subset of planSweep(spec), in plan order: each model's
 * sessions are built when its first point comes), e.g. to measure again the points a busy machine
 * spoiled.
 */
export async function runPoints(
  plan: readonly PlannedPoint[],
  spec: Pick<SweepSpec, 'size' | 'prefillTokens' | 'decodeContexts'>,
  opts: SweepRunOptions,
): Promise<RooflinePoint[]> {
  const numRuns = opts.numRuns ?? 3;
  const threads = opts.intraOpNumThreads ?? 2;
  const results: RooflinePoint[] = [];
  let runner: KernelRunner | undefined;
  let runnerKey = '';
  const probe = opts.readProbe === true ? new ReadProbe() : undefined;
  try {
    for (const [index, point] of plan.entries()) {
      if (opts.signal?.aborted) break;
      const config = sweepConfig(spec, point.variant, point.weights);
      opts.onProgress?.(index, plan.length, describePoint(config, point));
      if (configKey(config) !== runnerKey) {
        await runner?.close();
        const maxContext = Math.max(...spec.decodeContexts, ...spec.prefillTokens) + 2;
        runner = new KernelRunner({
          config,
          prefillLogits: 'last',
          maxTokensPerSequence: maxContext,
          intraOpNumThreads: threads,
        });
        runnerKey = configKey(config);
      }
      if (runner === undefined) throw new Error('unreachable: no runner');
      const rates = probe?.measure();
      const m = await measurePoint(runner, point, numRuns, {
        traffic: opts.traffic === true,
        ...(opts.hardwareEvents ? { hardwareEvents: opts.hardwareEvents } : {}),
        ...(opts.minTimedSeconds !== undefined ? { minTimedSeconds: opts.minTimedSeconds } : {}),
      });
      const after = probe?.measure();
      results.push(toPoint(config, point, m, opts.device, rates, after));
    }
  } finally {
    await runner?.close();
  }
  return results;
}

function toPoint(
  config: TinyModelConfig,
  point: PlannedPoint,
  m: MeasuredRuns,
  device: DeviceSpec,
  readProbe?: readonly ReadRate[],
  readProbeAfter?: readonly ReadRate[],
): RooflinePoint {
  const twin = analyzeTwin(
    config,
    { phase: point.phase, contextTokens: point.contextTokens, numNewTokens: point.newTokens },
    device,
    { prefillLogits: 'last', moeWeights: 'expected-distinct' },
  );
  const c = m.count;
  const base = {
    ...point,
    modelId: config.id,
    flops: c.flops,
    matmulFlops: c.matmulFlops,
    bytes: c.idealBytes,
    unfusedBytes: c.unfusedBytes,
    weightBytes: c.weightBytes,
    kvReadBytes: c.kvReadBytes,
    kvWriteBytes: c.kvWriteBytes,
    features: m.features,
    loadAverage: m.loadAverage,
    countedIntensityFlopsPerByte: c.intensityFlopsPerByte,
    ...(m.traffic ? { traffic: m.traffic } : {}),
    ...(m.hardwareCounters ? { hardwareCounters: m.hardwareCounters } : {}),
    ...(readProbe ? { readProbe } : {}),
    ...(readProbeAfter ? { readProbeAfter } : {}),
    predictedSeconds: twin.predicted.stepSeconds,
    predictedFlops: twin.flops,
    predictedBytes: twin.bytes.totalBytes,
    predictedIntensityFlopsPerByte: twin.operationalIntensityFlopsPerByte,
    predictedBound: twin.predicted.bound,
  };
  return withRuns(base, { runsSeconds: m.runsSeconds, callRunsSeconds: m.callRunsSeconds, quality: m.quality });
}

export function describePoint(config: TinyModelConfig, p: PlannedPoint): string {
  return p.phase === 'prefill'
    ? `${config.id} ${p.weights} prefill ${p.newTokens} tokens`
    : `${config.id} ${p.weights} decode batch ${p.batch} at ${p.contextTokens[0]} tokens`;
}
