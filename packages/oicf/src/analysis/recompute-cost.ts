// What the oicf eviction policy's (`@oicf/kv`) `recomputeSecondsForBlock` stands for in a pool: the predicted
// prefill time of one block of the recompute model on the recompute device, its prefix cached. One
// definition for the kv-pool service (build-tiers.ts) and the cluster twin's in-memory pool.
import { unwrap } from '../errors.js';
import { getDevice } from '../hardware/devices.js';
import { getModel } from '../models/lookup.js';
import type { PrecisionId } from '../types/catalog.js';
import { analyzePoint } from './analyze-point.js';

export interface RecomputeTarget {
  /** `@oicf/core` catalog ids (throws NOT_FOUND for unknown ones). */
  readonly modelId: string;
  readonly deviceId: string;
  /** Weights, KV and activations all in this precision. */
  readonly precision: PrecisionId;
  readonly blockTokens: number;
}

/**
 * Prefill seconds to recompute the block at chain `position` (its `position · blockTokens` tokens of
 * prefix cached), predicted by `@oicf/core` for the target; memoised per position.
 */
export function recomputeSecondsForBlockOf(target: RecomputeTarget): (position: number) => number {
  const model = unwrap(getModel(target.modelId));
  const device = unwrap(getDevice(target.deviceId));
  const p = target.precision;
  const precision = { weights: p, kv: p, activations: p };
  const memo = new Map<number, number>();
  return (position) => {
    let seconds = memo.get(position);
    if (seconds === undefined) {
      const point = analyzePoint({
        model,
        device,
        precision,
        phase: 'prefill',
        batch: 1,
        newTokens: target.blockTokens,
        cachedTokens: position * target.blockTokens,
      });
      seconds = point.predicted.stepSeconds;
      memo.set(position, seconds);
    }
    return seconds;
  };
}
