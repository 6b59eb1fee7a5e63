import { requireNumber } from '../errors.js';
import type { MoeSpec, MoeWeightMode } from '../types.js';

/** Expected number of distinct experts touched in one MoE layer when `numTokens` tokens each pick
 * `topK` of `numExperts` experts, treating the k-subsets as uniform and independent:
 * E·(1 − (1 − k/E)^T). E=8, k=2: T=1 → 2, T=2 → 8·(1 − 0.75²) = 3.5, T → ∞ → 8. */
export function expectedDistinctExperts(numExperts: number, topK: number, numTokens: number): number {
  requireNumber('numExperts', numExperts, 1, true);
  requireNumber('topK', topK, 1, true);
  requireNumber('numTokens', numTokens, 0);
  if (topK > numExperts) requireNumber('topK (≤ numExperts)', Number.NaN, 1);
  return numExperts * (1 - (1 - topK / numExperts) ** numTokens);
}

/** Experts whose weights one MoE layer reads in a step of `numTokens` tokens, per `mode`:
 * all-experts = E (upper bound), expected-distinct = formula above, top-k = k (lower bound, exact
 * for one token). Zero tokens read no expert. */
export function expertsReadPerLayer(moe: MoeSpec, numTokens: number, mode: MoeWeightMode): number {
  if (numTokens === 0) return 0;
  switch (mode) {
    case 'all-experts':
      return moe.numExperts;
    case 'expected-distinct':
      return expectedDistinctExperts(moe.numExperts, moe.topK, numTokens);
    case 'top-k':
      return moe.topK;
  }
}
