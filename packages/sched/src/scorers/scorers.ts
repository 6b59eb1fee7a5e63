import type { Scorer } from '../framework/plugins.js';

/** 1 for an idle worker, falling as 1/(1 + sequences) with running + waiting sequences. */
export const queueScorer: Scorer = {
  name: 'queue',
  score: (w) => 1 / (1 + w.numRunning + w.numWaiting),
};

/** Free fraction of the worker's KV memory. */
export const kvFreeScorer: Scorer = {
  name: 'kv-free',
  score: (w) => (w.kvBytesCapacity <= 0 ? 0 : Math.max(0, Math.min(1, 1 - w.kvBytesUsed / w.kvBytesCapacity))),
};

/** Fraction of the prompt's full blocks the worker already holds (llm-d's prefix-cache scorer). */
export const prefixScorer: Scorer = {
  name: 'prefix',
  score: (w, r) =>
    r.blockIds.length === 0 ? 0 : Math.min(1, (r.workerPrefixBlocks.get(w.workerId) ?? 0) / r.blockIds.length),
};
