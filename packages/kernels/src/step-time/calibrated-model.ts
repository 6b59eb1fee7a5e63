import { checkStepShape, type StepShapeQuery, type StepTimeModel } from '@oicf/core';
import type { ModelCostStructure } from './cost-structure.js';
import { structureFeatures } from './cost-structure.js';
import { COLUMNS, type Column, featureVector } from './feature-vector.js';
import { predictSeconds, type StepPrices } from './fit-step-time.js';
import type { StepFeatures } from './step-features.js';

/** Thrown when a fit cannot price a model: it needs a kind of work no fitted point exercised. */
export class StepTimeModelError extends Error {
  override readonly name = 'StepTimeModelError';
}

/**
 * The `calibrated` step-time model: this machine running `structure`'s model with onnxruntime,
 * priced by costs fitted by `oicf roofline` (fit-step-time.ts). stepSeconds predicts the wall time
 * of the KernelRunner call the engine's StepRunner makes (feeds, session.run, KV write-back);
 * pure arithmetic on the structure's closed forms, ~1 µs per call.
 */
export function calibratedStepTimeModel(
  fit: StepPrices & { readonly fittedColumns: readonly Column[] },
  structure: ModelCostStructure,
  label = `${structure.modelId} ${structure.weights} on this machine`,
): StepTimeModel {
  const missing = unfittedColumns(fit.fittedColumns, structure);
  if (missing.length > 0) {
    throw new StepTimeModelError(
      `the calibrated step-time fit cannot price ${structure.modelId} ${structure.weights}: no measured point exercised ${missing.join(', ')}; run 'oicf roofline' with this model's variant and precision`,
    );
  }
  return {
    kind: 'calibrated',
    label,
    stepSeconds(step: StepShapeQuery): number {
      checkStepShape(step);
      return predictSeconds(fit, structureFeatures(structure, step));
    },
  };
}

/**
 * Columns the model's steps use (non-zero in any closed-form term) that the fit has no cost for.
 * spillBytes is not a term's own: with a cache capacity, the fit prices it from residentBytes.
 */
function unfittedColumns(fitted: readonly Column[], s: ModelCostStructure): Column[] {
  const terms: StepFeatures[] = [
    s.prefill.base,
    s.prefill.perNewToken,
    s.prefill.perCachedToken,
    s.prefill.perScore,
    ...[s.decode.tiled, ...(s.decode.short ? [s.decode.short] : [])].flatMap((d) => [
      d.single,
      d.base,
      d.perSequence,
      d.perContextToken,
      d.perOpenToken,
      d.perLeadToken,
    ]),
  ];
  const used = COLUMNS.filter((_, j) => terms.some((t) => Math.abs(featureVector(t, null)[j] ?? 0) > 0));
  return used.filter((c) => !fitted.includes(c));
}
