// The calibrated step-time model for `oicf simulate`: this machine's fit that `oicf roofline` saves beside
// the calibration (@oicf/kernels/step-time: loadStepTimeFile, calibratedModelFromFile). It is built on
// branch b-calib; this build loads it when that module is present and says so when it is not.
import type { StepTimeModel } from '@oicf/sim';

interface StepTimeModule {
  loadStepTimeFile(path: string): unknown;
  calibratedModelFromFile(file: unknown, modelId: string, weights: string): StepTimeModel;
}

export type CalibratedLoad =
  | { readonly ok: true; readonly model: StepTimeModel }
  | { readonly ok: false; readonly reason: string };

/** The calibrated model of `modelId` at `weights` from the file at `path`. */
export async function loadCalibratedModel(path: string, modelId: string, weights: string): Promise<CalibratedLoad> {
  let mod: StepTimeModule;
  try {
    const specifier = '@oicf/kernels/step-time';
    mod = (await import(specifier)) as StepTimeModule;
  } catch {
    return {
      ok: false,
      reason:
        'this build has no calibrated step-time model (@oicf/kernels/step-time, issue 12 items 3–4): use --step-model oicf',
    };
  }
  let file: unknown;
  try {
    file = mod.loadStepTimeFile(path);
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
    return { ok: true, model: mod.calibratedModelFromFile(file, modelId, weights) };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}
