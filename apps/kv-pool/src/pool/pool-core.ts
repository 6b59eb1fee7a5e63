import type { BlockMeta, TieredBlockCache, TierStore } from '@oicf/kv';
import type { ActionRunner, TierCounters } from './action-runner.js';
import type { KvPoolOptions } from './kv-pool.js';
import type { Mutex } from './mutex.js';
import type { PoolObserver } from './pool-observer.js';

/** The state one KvPool's operations share (data plane in kv-pool.ts, control plane in control.ts). */
export interface PoolCore {
  readonly options: KvPoolOptions;
  readonly cache: TieredBlockCache;
  readonly stores: ReadonlyMap<string, TierStore>;
  /** Parent, position and token count of every cached block. */
  readonly meta: Map<string, BlockMeta>;
  readonly counters: ReadonlyMap<string, TierCounters>;
  /** Held while placement changes and the byte moves it implies are carried out. */
  readonly mutex: Mutex;
  readonly runner: ActionRunner;
  readonly observer: PoolObserver;
  now(): number;
}
