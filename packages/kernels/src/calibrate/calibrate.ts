import { cpus, totalmem } from 'node:os';
import { median } from '@oicf/core';
import * as ort from 'onnxruntime-node';
import type { Graph } from '../onnx/graph.js';
import { encodeModel } from '../onnx/onnx-codec.js';
import type { CalibrationProfileFile, GemmMeasurement } from './calibration-file.js';
import { emptyGraph, type GemmPrecision, gemmGraph, streamGraph } from './micro-kernels.js';

export interface CalibrationOptions {
  /** onnxruntime intra-op threads, as the runner uses (default 2). */
  readonly intraOpNumThreads?: number;
  /** Square GEMM size n (n×n·n×n) for every precision (default 2048: ~17 GFLOP, well past cache). */
  readonly gemmSize?: number;
  /** Bytes the streaming reduction reads (default 1 GiB, far beyond any cache). */
  readonly streamBytes?: number;
  /** Timed runs per measurement after two warm-ups; the median is kept (default 5). */
  readonly numRuns?: number;
  readonly precisions?: readonly GemmPrecision[];
  /** Recorded in the file as `details.quick` so a later full run knows to measure again. */
  readonly quick?: boolean;
  readonly onProgress?: (message: string) => void;
  /** Clock for `measuredAt` (default now). */
  readonly now?: () => Date;
}

export const DEFAULT_CALIBRATION: Required<Omit<CalibrationOptions, 'onProgress' | 'now' | 'quick'>> = {
  intraOpNumThreads: 2,
  gemmSize: 2048,
  streamBytes: 2 ** 30,
  numRuns: 5,
  precisions: ['fp32', 'fp16', 'int8'],
};

/**
 * Measures this machine: peak FLOP/s per precision from a large square GEMM in onnxruntime,
 * memory read bandwidth from a ReduceSum over `streamBytes` (rows reduced in parallel) with a
 * single-threaded JS Float64Array sum beside it for comparison, and session.run's fixed cost.
 * Every figure is the median of `numRuns` runs after two warm-up runs.
 */
export async function calibrate(opts: CalibrationOptions = {}): Promise<CalibrationProfileFile> {
  const o = { ...DEFAULT_CALIBRATION, ...opts };
  const progress = opts.onProgress ?? (() => {});
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: o.intraOpNumThreads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  };
  const gemms: GemmMeasurement[] = [];
  for (const precision of o.precisions) {
    progress(`calibrate: ${precision} GEMM ${o.gemmSize}³`);
    const { graph, flops } = gemmGraph(precision, o.gemmSize);
    const runsSeconds = await timeRuns(graph, gemmFeeds(precision, o.gemmSize), sessionOptions, o.numRuns);
    const medianSeconds = median(runsSeconds);
    gemms.push({
      precision,
      size: o.gemmSize,
      flops,
      runsSeconds,
      medianSeconds,
      flopsPerSecond: flops / medianSeconds,
    });
  }

  progress(`calibrate: streaming ${(o.streamBytes / 2 ** 20).toFixed(0)} MiB`);
  const cols = 4096;
  const rows = Math.max(1, Math.floor(o.streamBytes / 4 / cols));
  const data = new Float32Array(rows * cols);
  // Touch every page: untouched zero pages would all map to one cached page.
  for (let i = 0; i < data.length; i += 1024) data.fill((i % 7) + 1, i, i + 1024);
  const stream = streamGraph(rows, cols);
  const streamRuns = await timeRuns(
    stream.graph,
    { x: new ort.Tensor('float32', data, [rows, cols]) },
    sessionOptions,
    o.numRuns,
  );
  const streamMedian = median(streamRuns);

  progress('calibrate: JS typed-array read');
  const f64 = new Float64Array(data.buffer);
  const jsRuns: number[] = [];
  let sink = 0;
  for (let r = 0; r <= o.numRuns; r++) {
    const t0 = performance.now();
    let s = 0;
    for (let i = 0; i < f64.length; i++) s += f64[i] ?? 0;
    if (r > 0) jsRuns.push((performance.now() - t0) / 1000);
    sink += s;
  }
  const jsMedian = median(jsRuns);

  const emptyRuns = await timeRuns(
    emptyGraph(),
    { x: new ort.Tensor('float32', new Float32Array(1), [1]) },
    sessionOptions,
    50,
  );
  const peak: Partial<Record<GemmPrecision, number>> = {};
  for (const g of gemms) peak[g.precision] = g.flopsPerSecond;
  const bandwidth = stream.bytes / streamMedian;
  const measuredAt = (opts.now ?? (() => new Date()))().toISOString();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const gemmText = gemms.map((g) => `${g.precision} ${(g.flopsPerSecond / 1e9).toFixed(0)} GFLOP/s`).join(', ');
  return {
    kind: 'oicf-calibration',
    version: 1,
    peakFlopsPerSecond: peak,
    memoryBandwidthBytesPerSecond: bandwidth,
    memoryCapacityBytes: totalmem(),
    source: `calibrated ${measuredAt} on ${cpu} (${o.intraOpNumThreads} onnxruntime threads): GEMM ${o.gemmSize}³ ${gemmText}; ReduceSum over ${(stream.bytes / 2 ** 20).toFixed(0)} MiB ${(bandwidth / 1e9).toFixed(1)} GB/s; medians of ${o.numRuns}`,
    details: {
      measuredAt,
      cpuModel: cpu,
      numCpus: cpus().length,
      intraOpNumThreads: o.intraOpNumThreads,
      numRuns: o.numRuns,
      quick: opts.quick === true,
      onnxruntimeVersion: ort.env.versions.common,
      gemm: gemms,
      stream: {
        kernel: 'onnxruntime ReduceSum (rows in parallel)',
        bytes: stream.bytes,
        runsSeconds: streamRuns,
        medianSeconds: streamMedian,
        bytesPerSecond: bandwidth,
      },
      jsRead: {
        kernel: 'JS Float64Array sum, one thread',
        bytes: f64.byteLength,
        runsSeconds: jsRuns,
        medianSeconds: jsMedian,
        bytesPerSecond: f64.byteLength / jsMedian,
        // The sums, kept so the loop cannot be optimized away.
        checksum: sink,
      },
      sessionRunSeconds: median(emptyRuns),
    },
  };
}

function gemmFeeds(precision: GemmPrecision, n: number): Record<string, ort.Tensor> {
  switch (precision) {
    case 'fp32':
      return {
        x: new ort.Tensor(
          'float32',
          Float32Array.from({ length: n * n }, (_, i) => ((i % 13) - 6) / 7),
          [n, n],
        ),
      };
    case 'fp16':
      return {
        x: new ort.Tensor(
          'float16',
          Uint16Array.from({ length: n * n }, (_, i) => 0x3000 + (i % 251)),
          [n, n],
        ),
      };
    case 'int8':
      return {
        x: new ort.Tensor(
          'uint8',
          Uint8Array.from({ length: n * n }, (_, i) => (i * 31) % 256),
          [n, n],
        ),
      };
  }
}

/** Creates a session, runs twice to warm up (thread pool, page mapping), then times `numRuns` runs (seconds each). */
async function timeRuns(
  graph: Graph,
  feeds: Record<string, ort.Tensor>,
  options: ort.InferenceSession.SessionOptions,
  numRuns: number,
): Promise<number[]> {
  const session = await ort.InferenceSession.create(encodeModel(graph), options);
  try {
    for (let w = 0; w < 2; w++) await session.run(feeds);
    const runs: number[] = [];
    for (let r = 0; r < numRuns; r++) {
      const t0 = performance.now();
      await session.run(feeds);
      runs.push((performance.now() - t0) / 1000);
    }
    return runs;
  } finally {
    await session.release();
  }
}
