import { describe, expect, it } from 'vitest';
import type { CalibrationProfileFile, GemmMeasurement } from './calibration-file.js';
import { calibrationReuse } from './calibration-reuse.js';

function saved(opts: { quick?: boolean; threads?: number; gemmSizes?: number[] }): CalibrationProfileFile {
  const gemm: GemmMeasurement[] = (opts.gemmSizes ?? []).map((size) => ({
    precision: 'fp32',
    size,
    flops: 2 * size ** 3,
    runsSeconds: [1],
    medianSeconds: 1,
    flopsPerSecond: 2 * size ** 3,
  }));
  const stream = { kernel: 'k', bytes: 1, runsSeconds: [1], medianSeconds: 1, bytesPerSecond: 1 };
  return {
    kind: 'oicf-calibration',
    version: 1,
    peakFlopsPerSecond: { fp32: 1e11 },
    memoryBandwidthBytesPerSecond: 1e10,
    memoryCapacityBytes: 2 ** 30,
    source: 'fixture',
    details: {
      measuredAt: '2026-01-01T00:00:00.000Z',
      cpuModel: 'fixture',
      numCpus: 2,
      intraOpNumThreads: opts.threads ?? 2,
      numRuns: 1,
      ...(opts.quick === undefined ? {} : { quick: opts.quick }),
      onnxruntimeVersion: '1',
      gemm,
      stream,
      jsRead: stream,
      sessionRunSeconds: 1e-5,
    },
  };
}

const full = { quick: false, gemmSize: 2048, intraOpNumThreads: 2 };
const quick = { ...full, quick: true };

describe('calibrationReuse', () => {
  it.each([
    ['full run, full calibration', saved({ quick: false, gemmSizes: [2048, 2048] }), full, null],
    ['full run, quick calibration', saved({ quick: true, gemmSizes: [1024] }), full, /quick calibration/],
    // A file from before `details.quick`: its 1024³ GEMM gives it away.
    ['full run, legacy 1024³ file', saved({ gemmSizes: [1024] }), full, /GEMM is 1024³.*2048³/],
    ['full run, legacy 2048³ file', saved({ gemmSizes: [2048] }), full, null],
    ['full run, no GEMM recorded', saved({}), full, null],
    ['full run, other thread count', saved({ quick: false, threads: 1, gemmSizes: [2048] }), full, /1 onnxruntime/],
    ['quick run, quick calibration', saved({ quick: true, gemmSizes: [1024] }), quick, null],
    ['quick run, full calibration', saved({ quick: false, gemmSizes: [2048] }), quick, null],
    [
      'quick run, other thread count',
      saved({ quick: true, threads: 4 }),
      quick,
      /4 onnxruntime thread\(s\), this run uses 2/,
    ],
  ])('%s', (_name, file, wanted, reason) => {
    const r = calibrationReuse(file, wanted);
    if (reason === null) expect(r).toEqual({ reuse: true });
    else {
      expect(r.reuse).toBe(false);
      if (!r.reuse) expect(r.reason).toMatch(reason);
    }
  });
});
