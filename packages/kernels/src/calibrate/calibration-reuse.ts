import type { CalibrationProfileFile } from './calibration-file.js';

/** What `oicf roofline --quick` measures: a quarter-size GEMM and half a GiB of streaming, so
 * the whole run stays under a minute. Noisier than DEFAULT_CALIBRATION. */
export const QUICK_CALIBRATION = { gemmSize: 1024, streamBytes: 512 * 2 ** 20, numRuns: 5 } as const;

/** The calibration a run wants. */
export interface WantedCalibration {
  /** A quick run accepts any calibration; a full run wants a full one. */
  readonly quick: boolean;
  /** GEMM size n (n³ multiply-adds) a full run measures with. */
  readonly gemmSize: number;
  /** onnxruntime intra-op threads the sweep runs with; peaks measured with other counts do not apply. */
  readonly intraOpNumThreads: number;
}

export type CalibrationReuse = { readonly reuse: true } | { readonly reuse: false; readonly reason: string };

/**
 * Whether a saved calibration serves this run, and if not, why (one phrase for the progress line).
 * Thread count must match for every run. A full run also rejects a quick calibration: one marked
 * `details.quick`, or (files from before that field) one whose GEMMs are not `gemmSize`³. A file
 * recording no GEMM at all says nothing about its size and is trusted.
 */
export function calibrationReuse(saved: CalibrationProfileFile, wanted: WantedCalibration): CalibrationReuse {
  const d = saved.details;
  if (d.intraOpNumThreads !== wanted.intraOpNumThreads) {
    return {
      reuse: false,
      reason: `it was measured with ${d.intraOpNumThreads} onnxruntime thread(s), this run uses ${wanted.intraOpNumThreads}`,
    };
  }
  if (wanted.quick) return { reuse: true };
  if (d.quick === true) return { reuse: false, reason: 'it is a quick calibration (oicf roofline --quick)' };
  const otherSize = d.gemm.find((g) => g.size !== wanted.gemmSize)?.size;
  if (otherSize !== undefined) {
    return {
      reuse: false,
      reason: `its GEMM is ${otherSize}³, a full calibration measures ${wanted.gemmSize}³`,
    };
  }
  return { reuse: true };
}
