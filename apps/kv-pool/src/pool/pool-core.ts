import type { PoolTierId } from '@oicf/core';
import type { BlockMeta, EvictionPolicy, PolicyChoice, TieredBlockCache, TierModel, TierStore } from '@oicf/kv';
import type { Clock } from '@oicf/transport';
import type { ActionRunner, TierCounters } from './action-runner.js';
import type { Mutex } from './mutex.js';
import type { PoolObserver } from './pool-observer.js';

/** One configured tier of the pool: its id (@oicf/core), byte store, placement model and policy. */
export interface PoolTier {
  readonly name: PoolTierId;
  readonly store: TierStore;
  readonly model: TierModel;
  readonly policy: PolicyChoice | EvictionPolicy;
  /** True when the store paces transfers to `model` (reported in stats). */
  readonly paced: boolean;
}

export interface KvPoolOptions {
  /** In stacking order, nearest first. */
  readonly tiers: readonly PoolTier[];
  readonly clock: Clock;
  readonly blockTokens: number;
  readonly maxLeaseTtlSeconds: number;
  readonly maxBlocksPerRequest: number;
  readonly observer?: PoolObserver;
  /** Wall clock for lease expiry instants; default Date.now. */
  readonly wallClockMs?: () => number;
}

/**
 * The state one KvPool's operations share (data plane in kv-pool.ts, control plane in control.ts).
 * Both import this module and it imports neither, so the three form no cycle.
 */
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
  /** The pool tier a cache tier name stands for (cache tiers are named by PoolTier.name). */
  tierId(name: string): PoolTierId;
}
