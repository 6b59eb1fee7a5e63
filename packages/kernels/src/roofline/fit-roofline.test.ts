import { describe, expect, it } from 'vitest';
import { costStructure, structureFeatures } from '../step-time/cost-structure.js';
import { COLUMNS, type Column } from '../step-time/feature-vector.js';
import { predictSeconds } from '../step-time/fit-step-time.js';
import { fitRoofline, pointQuery } from './fit-roofline.js';
import type { RooflinePoint } from './run-sweep.js';
import { planSweep, sweepConfig } from './sweep-plan.js';

// Synthetic measurements of the micro sweep: each point's time is exactly Σ cost · feature for
// known costs, so a correct fit prices every held-out point at its measured time.
const COSTS: Record<Column, number> = {
  ...(Object.fromEntries(COLUMNS.map((c) => [c, 0])) as Record<Column, number>),
  runs: 40e-6,
  nodes: 2e-6,
  inputs: 1e-6,
  'gemmFlops.fp32': 1 / 250e9,
  'weightBytes.fp32': 1 / 30e9,
  attentionFlops: 1 / 80e9,
  kvReadBytes: 1 / 20e9,
  activationBytes: 1 / 50e9,
};
const SPEC = {
  size: 'micro',
  variants: ['gqa', 'mha'],
  precisions: ['fp32'],
  prefillTokens: [16, 64, 200],
  decodeContexts: [8, 100, 700],
  decodeBatches: [1, 3],
} as const;

const STRUCTURES = new Map(SPEC.variants.map((v) => [v, costStructure(sweepConfig(SPEC, v, 'fp32'))]));

function syntheticPoints(): RooflinePoint[] {
  return planSweep(SPEC).map((p) => {
    const structure = STRUCTURES.get(p.variant as 'gqa' | 'mha');
    if (structure === undefined) throw new Error('unreachable');
    const features = structureFeatures(structure, pointQuery({ ...p } as RooflinePoint));
    const seconds = predictSeconds({ costs: COSTS, cacheBytes: null }, features);
    return {
      ...p,
      modelId: `micro-${p.variant}`,
      features,
      seconds,
      callSeconds: seconds,
      predictedSeconds: seconds / 2,
      clean: true,
    } as unknown as RooflinePoint;
  });
}

describe('fitRoofline', () => {
  it('prices every point from a fit that left it out, and those prices match exact synthetic times', () => {
    const points = syntheticPoints();
    const { file, fidelity } = fitRoofline(points, SPEC, {
      measuredAt: 't',
      intraOpNumThreads: 2,
      quick: false,
      loadAverage: [0, 0],
    });
    expect(file.fittedOn).toBe('clean');
    expect(file.samples.length).toBe(points.length);
    for (const f of fidelity) expect(Math.abs(f.calibratedError)).toBeLessThan(1e-6);
    expect(file.crossValidation.maxRelativeError).toBeLessThan(1e-6);
    expect(file.structures.map((s) => s.modelId).sort()).toEqual(['micro-gqa', 'micro-mha']);
  });

  it('leaves unclean points out of the fit: a contended 10× time does not move the costs', () => {
    const points = syntheticPoints();
    const spoiled = points.map((p, i) => (i === 3 ? { ...p, callSeconds: p.callSeconds * 10, clean: false } : p));
    const { file, fidelity } = fitRoofline(spoiled, SPEC, {
      measuredAt: 't',
      intraOpNumThreads: 2,
      quick: false,
      loadAverage: [0, 0],
    });
    expect(file.samples.length).toBe(points.length - 1);
    // Priced at its true time, so against the contended measurement the error is 1/10 − 1 = −90 %.
    expect(fidelity[3]?.calibratedError).toBeCloseTo(-0.9, 6);
    expect(fidelity[3]?.clean).toBe(false);
  });
});
