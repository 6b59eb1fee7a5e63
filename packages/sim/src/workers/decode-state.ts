// What the decode worker's parts (gatherKv, the finished-block keeper) read of the worker itself.
import type { LocalBlockCache } from '@oicf/kv';
import type { StepSpeeds } from '@oicf/worker/speeds';
import type { SimWorkerSpec } from '../cluster/sim-cluster.js';

/** A cached block as the twin holds it: its id and its size (no bytes). */
export interface SizedBlock {
  readonly blockId: string;
  readonly payload: { readonly byteLength: number };
}

export interface DecodeWorkerState {
  readonly workerId: string;
  readonly spec: SimWorkerSpec;
  readonly cache: LocalBlockCache<SizedBlock>;
  readonly loop: { readonly speeds: StepSpeeds; readonly engine: { readonly kvBytesUsed: number } };
  /** Blocks entered the cache (requests waiting for an in-flight prefix re-check it). */
  onCached(): void;
}
