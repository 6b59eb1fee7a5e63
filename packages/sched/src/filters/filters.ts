import type { Filter } from '../framework/plugins.js';
import type { WorkerRole } from '../types.js';

/** Keeps workers whose heartbeats are current. */
export const healthyFilter: Filter = {
  name: 'healthy',
  keep: (w) => w.healthy,
};

/** Keeps workers that can run `phase` ('both' workers run either). */
export function roleFilter(phase: Exclude<WorkerRole, 'both'>): Filter {
  return { name: `role-${phase}`, keep: (w) => w.role === phase || w.role === 'both' };
}

/** Keeps workers with a free batch slot. */
export const batchSlotFilter: Filter = {
  name: 'batch-slot',
  keep: (w) => w.numRunning + w.numWaiting < w.maxBatch,
};

/** Bytes of KV the request will hold on its decode worker when it finishes: prompt + output. */
export function requestKvBytes(r: {
  numPromptTokens: number;
  maxOutputTokens: number;
  kvBytesPerToken: number;
}): number {
  return (r.numPromptTokens + r.maxOutputTokens) * r.kvBytesPerToken;
}

/** Capacity-footprint check on the decode side: the request's whole KV must fit in free memory. */
export const kvFitFilter: Filter = {
  name: 'kv-fit',
  keep: (w, r) => w.kvBytesCapacity - w.kvBytesUsed >= requestKvBytes(r),
};
