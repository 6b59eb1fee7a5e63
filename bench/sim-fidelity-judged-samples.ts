// The clean points of a step-time judge result (packages/kernels/bench/step-time-judge.ts: rows named
// by pointLabel, without their features) as step-time file samples: each label read back into the
// step it ran and its features counted from the sweep's cost structure, as the judge counted them
// (sweepStructures over FULL_SWEEP).
import { FULL_SWEEP, sweepStructures, VARIANT_IDS, type VariantId } from '@oicf/kernels';
import { type StepTimeFile, type StructureQuery, structureFeatures } from '@oicf/kernels/step-time';

export interface JudgedRow {
  readonly label: string;
  readonly measuredSeconds: number;
  readonly predictedSeconds: number;
  readonly error: number;
  readonly clean: boolean;
  /** Repeats usable by the judge's machine-state test (its `numUsable`); read with `points: 'usable'`. */
  readonly numUsable?: number;
}

/**
 * Which rows become samples: 'clean' (the judge's agreeing repeats, the default) or 'usable' (round 10: every
 * row with at least 3 usable repeats, at the median of its usable repeats — the judge's `measuredSeconds` for a
 * row that is not clean). On a VM whose repeats spread 25–50 % (bimodal decode points), 'clean' leaves most
 * decode shapes out of the fit.
 */
export type JudgedPoints = 'clean' | 'usable';

export interface LabelledStep {
  readonly modelId: string;
  readonly weights: 'fp32' | 'fp16' | 'int8';
  readonly query: StructureQuery;
}

/** Reads a pointLabel ('tiny-gqa fp32 prefill 2048', 'tiny-gqa fp32 decode b4 L1024') back. */
export function parsePointLabel(label: string): LabelledStep {
  const prefill = /^(\S+) (fp32|fp16|int8) prefill (\d+)$/.exec(label);
  if (prefill)
    return {
      modelId: prefill[1] ?? '',
      weights: prefill[2] as LabelledStep['weights'],
      query: { phase: 'prefill', numNewTokens: Number(prefill[3]), cachedTokens: 0 },
    };
  const decode = /^(\S+) (fp32|fp16|int8) decode b(\d+) L(\d+)$/.exec(label);
  if (decode)
    return {
      modelId: decode[1] ?? '',
      weights: decode[2] as LabelledStep['weights'],
      query: { phase: 'decode', contextTokens: new Array<number>(Number(decode[3])).fill(Number(decode[4])) },
    };
  throw new RangeError(`step-time judge row '${label}': not a roofline point label`);
}

/** The clean rows as samples (features counted here) and their leave-one-out errors' rms and max. */
export function judgedSamples(
  rows: readonly JudgedRow[],
  points: JudgedPoints = 'clean',
): {
  samples: StepTimeFile['samples'];
  crossValidation: StepTimeFile['crossValidation'];
} {
  const structures = sweepStructures(FULL_SWEEP);
  const clean = rows.filter((r) =>
    points === 'clean' ? r.clean : (r.numUsable ?? 0) >= 3 && Number.isFinite(r.measuredSeconds),
  );
  const samples = clean.map((r) => {
    const step = parsePointLabel(r.label);
    // The full sweep runs the tiny presets: 'tiny-<variant>'.
    const variant = step.modelId.replace(/^tiny-/, '') as VariantId;
    if (!step.modelId.startsWith('tiny-') || !VARIANT_IDS.includes(variant))
      throw new RangeError(`step-time judge row '${r.label}': '${step.modelId}' is not a model of the full sweep`);
    const s = structures.of({ modelId: step.modelId, variant, weights: step.weights });
    return { label: r.label, features: structureFeatures(s, step.query), seconds: r.measuredSeconds };
  });
  const errors = clean.map((r) => Math.abs(r.error));
  const rms = Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / Math.max(1, errors.length));
  return { samples, crossValidation: { rmsRelativeError: rms, maxRelativeError: Math.max(0, ...errors) } };
}
