import { type DeviceSpec, median } from '@oicf/core';
import type { CountTotals } from '../count/count-graph.js';
import { configKey, type TinyModelConfig } from '../model/config.js';
import { kvElementsPerTokenPerLayer } from '../model/kv-layout.js';
import { analyzeTwin } from '../model/oicf-twin.js';
import { KernelRunner } from '../runtime/kernel-runner.js';
import { type PlannedPoint, planSweep, type SweepSpec, sweepConfig } from './sweep-plan.js';

/** One measured point beside @oicf/core's prediction for the same step on the calibrated device. */
export interface RooflinePoint extends PlannedPoint {
  readonly modelId: string;
  /** Counted (whole graph at this step's shapes; MoE with the step's real routing). */
  readonly flops: number;
  readonly matmulFlops: number;
  /** weights + KV read + KV written (the roofline's bytes). */
  readonly bytes: number;
  readonly unfusedBytes: number;
  readonly weightBytes: number;
  readonly kvReadBytes: number;
  readonly kvWriteBytes: number;
  /** Median of the timed runs. */
  readonly seconds: number;
  readonly runsSeconds: readonly number[];
  readonly achievedFlopsPerSecond: number;
  readonly achievedBytesPerSecond: number;
  readonly intensityFlopsPerByte: number;
  readonly predictedSeconds: number;
  readonly predictedFlops: number;
  readonly predictedBytes: number;
  readonly predictedIntensityFlopsPerByte: number;
  readonly predictedBound: 'compute' | 'memory';
}

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
}

/**
 * Measures every planned point. Prefill points prefill a fresh sequence; decode points fill each
 * sequence's cache with deterministic synthetic KV of the planned length (importKv — a real
 * prefill of 16k tokens would dominate the run; the step's FLOPs and bytes do not depend on the
 * values) and time one step at that length, truncating back between runs.
 */
export async function runSweep(spec: SweepSpec, opts: SweepRunOptions): Promise<RooflinePoint[]> {
  const plan = planSweep(spec);
  const numRuns = opts.numRuns ?? 3;
  const results: RooflinePoint[] = [];
  let runner: KernelRunner | undefined;
  let runnerKey = '';
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
          ...(opts.intraOpNumThreads !== undefined ? { intraOpNumThreads: opts.intraOpNumThreads } : {}),
        });
        runnerKey = configKey(config);
      }
      if (runner === undefined) throw new Error('unreachable: no runner');
      const measured =
        point.phase === 'prefill'
          ? await measurePrefill(runner, point, numRuns)
          : await measureDecode(runner, point, numRuns);
      const twin = analyzeTwin(
        config,
        { phase: point.phase, contextTokens: point.contextTokens, numNewTokens: point.newTokens },
        opts.device,
        { prefillLogits: 'last', moeWeights: 'expected-distinct' },
      );
      const c = measured.count;
      const seconds = median(measured.runsSeconds);
      results.push({
        ...point,
        modelId: config.id,
        flops: c.flops,
        matmulFlops: c.matmulFlops,
        bytes: c.idealBytes,
        unfusedBytes: c.unfusedBytes,
        weightBytes: c.weightBytes,
        kvReadBytes: c.kvReadBytes,
        kvWriteBytes: c.kvWriteBytes,
        seconds,
        runsSeconds: measured.runsSeconds,
        achievedFlopsPerSecond: c.flops / seconds,
        achievedBytesPerSecond: c.idealBytes / seconds,
        intensityFlopsPerByte: c.intensityFlopsPerByte,
        predictedSeconds: twin.predicted.stepSeconds,
        predictedFlops: twin.flops,
        predictedBytes: twin.bytes.totalBytes,
        predictedIntensityFlopsPerByte: twin.operationalIntensityFlopsPerByte,
        predictedBound: twin.predicted.bound,
      });
    }
  } finally {
    await runner?.close();
  }
  return results;
}

export function describePoint(config: TinyModelConfig, p: PlannedPoint): string {
  return p.phase === 'prefill'
    ? `${config.id} ${p.weights} prefill ${p.newTokens} tokens`
    : `${config.id} ${p.weights} decode batch ${p.batch} at ${p.contextTokens[0]} tokens`;
}

interface Measured {
  readonly runsSeconds: number[];
  readonly count: CountTotals;
}

async function measurePrefill(runner: KernelRunner, p: PlannedPoint, numRuns: number): Promise<Measured> {
  const tokens = Array.from({ length: p.newTokens }, (_, i) => (i * 31 + 7) % 256);
  const runsSeconds: number[] = [];
  let count: CountTotals | undefined;
  for (let r = 0; r <= numRuns; r++) {
    runner.release('prefill');
    const out = await runner.prefill('prefill', tokens);
    if (r > 0) runsSeconds.push(out.stats.seconds);
    count ??= out.stats.count;
  }
  runner.release('prefill');
  if (count === undefined) throw new Error('unreachable: no prefill run');
  return { runsSeconds, count };
}

async function measureDecode(runner: KernelRunner, p: PlannedPoint, numRuns: number): Promise<Measured> {
  const ids = p.contextTokens.map((_, b) => `decode${b}`);
  ids.forEach((id, b) => {
    runner.release(id);
    runner.importKv(id, 0, syntheticKv(runner.config, p.contextTokens[b] ?? 0, b));
  });
  const tokens = ids.map((_, b) => (b * 17 + 65) % 256);
  const runsSeconds: number[] = [];
  let count: CountTotals | undefined;
  for (let r = 0; r <= numRuns; r++) {
    const out = await runner.decodeStep(ids, tokens);
    if (r > 0) runsSeconds.push(out.stats.seconds);
    count ??= out.stats.count;
    ids.forEach((id, b) => {
      runner.truncate(id, p.contextTokens[b] ?? 0);
    });
  }
  for (const id of ids) runner.release(id);
  if (count === undefined) throw new Error('unreachable: no decode run');
  return { runsSeconds, count };
}

/** Deterministic KV rows in ±1 for `numTokens` tokens, one Uint8Array per layer (exportKv layout). */
export function syntheticKv(config: TinyModelConfig, numTokens: number, salt: number): Uint8Array[] {
  const perLayer = numTokens * kvElementsPerTokenPerLayer(config);
  return Array.from({ length: config.numLayers }, (_, l) => {
    const values = new Float32Array(perLayer);
    const block = Math.min(perLayer, 4093);
    for (let i = 0; i < block; i++) values[i] = Math.sin((i + 1) * 0.618 + l * 1.7 + salt * 2.3);
    // Doubling copies fill the rest quickly; the period 4093 (prime) keeps rows varied.
    for (let filled = block; filled < perLayer; filled *= 2)
      values.copyWithin(filled, 0, Math.min(filled, perLayer - filled));
    return new Uint8Array(values.buffer);
  });
}
