import { median } from '@oicf/core';
import { isCleanRun, pointLabel, pointQuery, type RooflinePoint, sweepStructures } from '../src/index.js';
import type { SweepSpec } from '../src/roofline/sweep-plan.js';
import {
  type FitSample,
  fitStepTime,
  leaveOneOut,
  type ModelCostStructure,
  predictSeconds,
  relativeError,
  type StepFeatures,
  type StepTimeFit,
  structureFeatures,
} from '../src/step-time/index.js';
import type { FidelityRow } from './step-time-report.js';

/**
 * The fidelity bench's fit: set A's clean points (every point when none is clean), each with the
 * features the model's cost structure gives at the point's shape (what the twin prices: for MoE
 * the expected routing, not the step's own), fitted by NNLS; leave-one-out within A; and a pricer
 * for set B's points by the fit to all of A (every B point out-of-sample).
 */
export function fitSweepPoints(
  a: readonly RooflinePoint[],
  b: readonly RooflinePoint[],
  spec: Pick<SweepSpec, 'size'>,
): {
  fit: StepTimeFit;
  crossValidation: { rmsRelativeError: number; maxRelativeError: number };
  structures: ModelCostStructure[];
  priceB: (p: RooflinePoint) => number;
} {
  const structures = sweepStructures(spec);
  const featuresOf = (p: RooflinePoint): StepFeatures => structureFeatures(structures.of(p), pointQuery(p));
  const anyClean = a.some((p) => p.clean);
  const samples: FitSample[] = a
    .filter((p) => p.clean || !anyClean)
    .map((p) => ({ features: featuresOf(p), seconds: p.callSeconds }));
  const fit = fitStepTime(samples);
  const loo = leaveOneOut(samples).map((pred, i) => relativeError(pred, samples[i]?.seconds ?? Number.NaN));
  for (const p of b) featuresOf(p);
  return {
    fit,
    crossValidation: {
      rmsRelativeError: Math.sqrt(loo.reduce((s, e) => s + e * e, 0) / Math.max(1, loo.length)),
      maxRelativeError: Math.max(0, ...loo.map(Math.abs)),
    },
    structures: structures.all(),
    priceB: (p) => predictSeconds(fit, featuresOf(p)),
  };
}

/** Set B's rows: each point measured beside its calibrated price and @oicf/core's analytic one. */
export function fidelityRows(b: readonly RooflinePoint[], price: (p: RooflinePoint) => number): FidelityRow[] {
  return b.map((p) => {
    const calibratedSeconds = price(p);
    return {
      label: pointLabel(p),
      measuredSeconds: p.callSeconds,
      sessionRunSeconds: p.seconds,
      analyticSeconds: p.predictedSeconds,
      calibratedSeconds,
      error: relativeError(calibratedSeconds, p.callSeconds),
      analyticError: relativeError(p.predictedSeconds, p.callSeconds),
      clean: p.clean,
      cleanRuns: p.quality.filter(isCleanRun).length,
      numRuns: p.quality.length,
      waitFraction: median(p.quality.map((q) => q.waitFraction ?? Number.NaN)),
      loadAverage: p.loadAverage[0],
    };
  });
}

/**
 * How well the measurement repeats: each point clean in both sets, B's measured time against A's.
 * No model can match single measurements more closely than they match each other.
 */
export function repeatability(
  a: readonly RooflinePoint[],
  b: readonly RooflinePoint[],
): { numPairs: number; rmsDifference: number; numOver10Percent: number } {
  const d = a.flatMap((p, i) => {
    const q = b[i];
    return p.clean && q?.clean && pointLabel(p) === pointLabel(q) ? [q.callSeconds / p.callSeconds - 1] : [];
  });
  return {
    numPairs: d.length,
    rmsDifference: Math.sqrt(d.reduce((s, x) => s + x * x, 0) / Math.max(1, d.length)),
    numOver10Percent: d.filter((x) => Math.abs(x) > 0.1).length,
  };
}
