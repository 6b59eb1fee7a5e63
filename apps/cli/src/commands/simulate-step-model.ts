// The calibrated step-time model for `oicf simulate`: this machine's fit that `oicf roofline` saves beside
// the calibration (@oicf/kernels/step-time, which imports no onnxruntime). It is @oicf/core's
// StepTimeModel port, the same one the twin's `oicf` model implements.
import type { StepTimeModel } from '@oicf/core';
import { calibratedModelFromFile, loadStepTimeFile } from '@oicf/kernels/step-time';

export type CalibratedLoad =
  | { readonly ok: true; readonly model: StepTimeModel; readonly intraOpNumThreads: number }
  | { readonly ok: false; readonly reason: string };

/** The calibrated model of `modelId` at `weights` from the file at `path`. */
export async function loadCalibratedModel(
  path: string,
  modelId: string,
  weights: 'fp32' | 'int8',
): Promise<CalibratedLoad> {
  let file: ReturnType<typeof loadStepTimeFile>;
  try {
    file = loadStepTimeFile(path);
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  if (file === undefined) {
    return {
      ok: false,
      reason: `no calibrated step-time model at ${path}: run 'oicf roofline' first, or use --step-model oicf`,
    };
  }
  try {
    return {
      ok: true,
      model: calibratedModelFromFile(file, modelId, weights),
      intraOpNumThreads: file.intraOpNumThreads,
    };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}
