import { mulberry32, type Prng } from '@oicf/core';

/**
 * Next-token selection from a row of logits. Greedy is argmax (lowest id wins ties).
 * Temperature sampling draws from softmax(logits / T), optionally restricted to the top-k
 * logits, with a caller-seeded mulberry32 stream so runs repeat exactly.
 */
export interface SampleOptions {
  /** 0 (default) = greedy. */
  readonly temperature?: number;
  /** Keep only the k highest logits before sampling (default: all). */
  readonly topK?: number;
}

/** A seeded uniform [0, 1) stream (mulberry32); each sequence being sampled should own one. */
export class SampleRng {
  private readonly stream: Prng;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`sampling seed must be a finite number, got ${seed}`);
    this.stream = mulberry32(Math.trunc(seed) >>> 0);
  }

  next(): number {
    return this.stream.next();
  }
}

/** Index of the largest logit (the first one on ties). */
export function argmax(logits: ArrayLike<number>): number {
  if (logits.length === 0) throw new RangeError('argmax of an empty logits row');
  let best = 0;
  let bestValue = logits[0] ?? Number.NEGATIVE_INFINITY;
  for (let i = 1; i < logits.length; i++) {
    const v = logits[i] ?? Number.NEGATIVE_INFINITY;
    if (v > bestValue) {
      best = i;
      bestValue = v;
    }
  }
  return best;
}

/**
 * Picks a token id from one row of logits. Greedy unless temperature > 0, which needs `rng`.
 * Throws RangeError for a negative temperature or a topK outside [1, vocab].
 */
export function sample(logits: ArrayLike<number>, opts: SampleOptions = {}, rng?: SampleRng): number {
  const temperature = opts.temperature ?? 0;
  if (!(temperature >= 0)) throw new RangeError(`temperature must be ≥ 0, got ${temperature}`);
  const k = opts.topK ?? logits.length;
  if (!Number.isInteger(k) || k < 1 || k > logits.length) {
    throw new RangeError(`topK must be an integer in [1, ${logits.length}], got ${opts.topK}`);
  }
  if (temperature === 0 || k === 1) return argmax(logits);
  if (rng === undefined) throw new RangeError('temperature sampling needs a SampleRng (seeded) for determinism');
  // Candidate ids by descending logit (stable: lower id first on ties), cut to top-k.
  const ids = Array.from({ length: logits.length }, (_, i) => i);
  ids.sort((a, b) => (logits[b] ?? 0) - (logits[a] ?? 0) || a - b);
  const kept = ids.slice(0, k);
  const max = logits[kept[0] ?? 0] ?? 0;
  const weights = kept.map((i) => Math.exp(((logits[i] ?? 0) - max) / temperature));
  const total = weights.reduce((a, w) => a + w, 0);
  let u = rng.next() * total;
  for (let j = 0; j < kept.length; j++) {
    u -= weights[j] ?? 0;
    if (u < 0) return kept[j] ?? 0;
  }
  return kept[kept.length - 1] ?? 0;
}
