import { requireNumber } from '../errors.js';
import type { ConventionOptions, Phase } from '../types.js';

/** Token counts of one step over the whole batch; everything the operator formulas need.
 *
 * Prefill, per sequence: t new tokens after a cached prefix of p. Query i (1..t) sees p + i keys
 * (causal) or all p + t (full square). Decode: t = 1 after a context of p; it sees p + 1 keys, or p
 * when the convention excludes the new token. */
export interface StepShape {
  readonly phase: Phase;
  readonly batch: number;
  /** Σ t: tokens through every projection and FFN. */
  readonly numNewTokens: number;
  /** Tokens through lm_head. */
  readonly numLmHeadTokens: number;
  /** Σ (query, key) pairs: attention matmul and score sizes per head. */
  readonly numAttentionPairs: number;
  /** Σ keys attended (prefill p + t, decode p + 1 or p). */
  readonly numAttendedKeys: number;
  /** Σ p: KV already in memory before the step. */
  readonly numCachedTokens: number;
  /** Per sequence p (cached prefix or decode context). */
  readonly contextTokens: readonly number[];
  /** Σ (p + t): KV resident after the step. */
  readonly numResidentTokens: number;
}

export function prefillShape(
  batch: number,
  newTokens: number,
  cachedTokens: number,
  options: ConventionOptions,
): StepShape {
  requireNumber('batch', batch, 0, true);
  requireNumber('newTokens', newTokens, 0, true);
  requireNumber('cachedTokens', cachedTokens, 0, true);
  return {
    ...uniformShape('prefill', batch, newTokens, cachedTokens, options),
    contextTokens: new Array<number>(batch).fill(cachedTokens),
  };
}

/** The same counts for `batch` identical sequences, by arithmetic only (contextTokens left empty):
 * cheap even for the huge batches batchMax() can return. Decode ignores `newTokens` (always 1). */
export function uniformShape(
  phase: Phase,
  batch: number,
  newTokens: number,
  cachedTokens: number,
  options: ConventionOptions,
): StepShape {
  const p = cachedTokens;
  if (phase === 'decode') {
    const keys = batch * (p + (options.decodeAttendsNewToken ? 1 : 0));
    return {
      phase,
      batch,
      numNewTokens: batch,
      numLmHeadTokens: batch,
      numAttentionPairs: keys,
      numAttendedKeys: keys,
      numCachedTokens: batch * p,
      contextTokens: [],
      numResidentTokens: batch * (p + 1),
    };
  }
  const t = newTokens;
  const pairsPerSequence = options.prefillAttention === 'causal' ? t * p + (t * (t + 1)) / 2 : t * (p + t);
  return {
    phase,
    batch,
    numNewTokens: batch * t,
    numLmHeadTokens: t === 0 ? 0 : options.lmHeadTokens === 'last' ? batch : batch * t,
    numAttentionPairs: batch * pairsPerSequence,
    numAttendedKeys: t === 0 ? 0 : batch * (p + t),
    numCachedTokens: batch * p,
    contextTokens: [],
    numResidentTokens: batch * (p + t),
  };
}

export function decodeShape(contextTokens: readonly number[], options: ConventionOptions): StepShape {
  let numCached = 0;
  contextTokens.forEach((context, index) => {
    requireNumber(`contextTokens[${index}]`, context, 0, true);
    numCached += context;
  });
  const batch = contextTokens.length;
  const keysPerSequenceExtra = options.decodeAttendsNewToken ? 1 : 0;
  const numAttendedKeys = numCached + batch * keysPerSequenceExtra;
  return {
    phase: 'decode',
    batch,
    numNewTokens: batch,
    numLmHeadTokens: batch,
    numAttentionPairs: numAttendedKeys,
    numAttendedKeys,
    numCachedTokens: numCached,
    contextTokens,
    numResidentTokens: numCached + batch,
  };
}
