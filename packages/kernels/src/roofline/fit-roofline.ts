import { type StructureQuery, structureFeatures } from '../step-time/cost-structure.js';
import { type FitSample, fitStepTime, predictSeconds, relativeError } from '../step-time/fit-step-time.js';
import { STEP_TIME_FILE_VERSION, type StepTimeFile } from '../step-time/step-time-file.js';
import type { RooflinePoint } from './run-sweep.js';
import type { SweepSpec } from './sweep-plan.js';
import { sweepStructures } from './sweep-structures.js';

/** Each point's times side by side: what ran, what @oicf/core predicts, what the calibrated model predicts. */
export interface PointFidelity {
  readonly label: string;
  /** Measured wall time of the runner call (the calibrated model's target). */
  readonly measuredSeconds: number;
  /** Measured session.run alone. */
  readonly sessionRunSeconds: number;
  /** @oicf/core's analytic prediction on the calibrated device. */
  readonly analyticSeconds: number;
  /** Calibrated model, from a fit that did not see this point (leave-one-out; see fitRoofline). */
  readonly calibratedSeconds: number;
  /** (calibrated − measured) ÷ measured. */
  readonly calibratedError: number;
  /** Whether the point's runs were clean (run-sweep.ts cleanRuns); unclean points are not fitted. */
  readonly clean: boolean;
}

export interface RooflineFit {
  readonly file: StepTimeFile;
  readonly fidelity: readonly PointFidelity[];
}

/** `tiny-gqa int8 decode b16 L4096` / `tiny-gqa int8 prefill 512`. */
export function pointLabel(p: RooflinePoint): string {
  return p.phase === 'prefill'
    ? `${p.modelId} ${p.weights} prefill ${p.newTokens}`
    : `${p.modelId} ${p.weights} decode b${p.batch} L${p.contextTokens[0]}`;
}

/** The step a roofline point ran, as a step-time model is asked it. */
export function pointQuery(p: RooflinePoint): StructureQuery {
  return p.phase === 'prefill'
    ? { phase: 'prefill', numNewTokens: p.newTokens, cachedTokens: p.contextTokens[0] ?? 0 }
    : { phase: 'decode', contextTokens: p.contextTokens };
}

/**
 * Fits the calibrated step-time model to a sweep's clean points (each point's counted features and
 * measured runner-call seconds) and prices every point with it. The price a point is reported
 * with comes from a fit that left that point out (leave-one-out cross-validation), evaluated the
 * way a twin evaluates it (the model's cost structure at the point's shape), so the reported errors
 * are out-of-sample. Points that were not clean are left out of every fit and priced by the fit
 * to all clean points (unless no point was clean: then every point is fitted, `fittedOn: 'all'`).
 */
export function fitRoofline(
  points: readonly RooflinePoint[],
  spec: Pick<SweepSpec, 'size'>,
  meta: Pick<StepTimeFile, 'measuredAt' | 'intraOpNumThreads' | 'quick' | 'loadAverage'>,
): RooflineFit {
  const structures = sweepStructures(spec);
  if (points.length === 0) throw new RangeError('fitRoofline: no points');
  // Clean points only; when the machine was so busy that none was clean, every point (said so in the file).
  const fittedOn = points.some((p) => p.clean) ? 'clean' : 'all';
  const samples: (FitSample & { label: string; index: number })[] = points.flatMap((p, index) =>
    p.clean || fittedOn === 'all'
      ? [{ label: pointLabel(p), features: p.features, seconds: p.callSeconds, index }]
      : [],
  );
  const fit = fitStepTime(samples);
  const fidelity = points.map((p, index): PointFidelity => {
    const others = samples.filter((s) => s.index !== index);
    const prices = others.length === samples.length || others.length === 0 ? fit : fitStepTime(others);
    const calibratedSeconds = predictSeconds(prices, structureFeatures(structures.of(p), pointQuery(p)));
    return {
      label: pointLabel(p),
      measuredSeconds: p.callSeconds,
      sessionRunSeconds: p.seconds,
      analyticSeconds: p.predictedSeconds,
      calibratedSeconds,
      calibratedError: relativeError(calibratedSeconds, p.callSeconds),
      clean: p.clean,
    };
  });
  const cvErrors = fidelity.filter((f) => f.clean || fittedOn === 'all').map((f) => f.calibratedError);
  return {
    file: {
      kind: 'oicf-step-time',
      version: STEP_TIME_FILE_VERSION,
      ...meta,
      target: 'runner-call',
      fittedOn,
      fit,
      crossValidation: {
        rmsRelativeError: Math.sqrt(cvErrors.reduce((a, e) => a + e * e, 0) / Math.max(1, cvErrors.length)),
        maxRelativeError: Math.max(0, ...cvErrors.map(Math.abs)),
      },
      samples: samples.map(({ label, features, seconds }) => ({ label, features, seconds })),
      structures: structures.all(),
    },
    fidelity,
  };
}
