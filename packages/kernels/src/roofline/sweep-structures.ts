// The cost structures of a sweep's models, counted once per model (variant × precision, ~1 s each)
// however many of its points are priced.
import { costStructure, type ModelCostStructure } from '../step-time/cost-structure.js';
import type { RooflinePoint } from './run-sweep.js';
import { type SweepSpec, sweepConfig } from './sweep-plan.js';

export interface SweepStructures {
  /** The structure of the model `p` ran (counted on first use). */
  of(p: Pick<RooflinePoint, 'modelId' | 'variant' | 'weights'>): ModelCostStructure;
  /** Every structure counted so far, in first-use order. */
  all(): ModelCostStructure[];
}

export function sweepStructures(spec: Pick<SweepSpec, 'size'>): SweepStructures {
  const byModel = new Map<string, ModelCostStructure>();
  return {
    of(p) {
      const key = `${p.modelId}|${p.weights}`;
      let s = byModel.get(key);
      if (s === undefined) {
        s = costStructure(sweepConfig(spec, p.variant, p.weights));
        byModel.set(key, s);
      }
      return s;
    },
    all: () => [...byModel.values()],
  };
}
