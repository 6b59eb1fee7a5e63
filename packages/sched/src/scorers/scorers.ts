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

/**
 * Fraction of the prompt's full blocks the worker holds or will hold once in-flight prefills land there
 * (llm-d's prefix-cache scorer, whose index also records a prefix when it routes it).
 */
export const prefixScorer: Scorer = {
  name: 'prefix',
  score: (w, r) => {
    if (r.blockIds.length === 0) return 0;
    const held = Math.max(
      r.workerPrefixBlocks.get(w.workerId) ?? 0,
      r.workerPendingPrefix?.get(w.workerId)?.numBlocks ?? 0,
    );
    return Math.min(1, held / r.blockIds.length);
  },
};
