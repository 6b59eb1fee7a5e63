import type { BlockMeta, CacheAction, TieredBlockCache, TierStore } from '@oicf/kv';
import type { PoolObserver } from './pool-observer.js';

/** Per-tier movement counters, as StatsResponse reports them. */
export interface TierCounters {
  numPromotions: number;
  numDemotions: number;
  numEvictions: number;
}

/**
 * Whether bytes read from `from` may enter `to` (false: treated as corrupt). The pool checks its keyed digest
 * here when bytes move into a tier whose reads it does not check again (kv-pool.ts).
 */
export type MoveCheck = (blockId: string, bytes: Uint8Array, from: TierStore, to: TierStore) => boolean;

/**
 * Carries out the byte moves a TieredBlockCache decided, in order, on the tier stores. A move
 * whose source bytes fail verification (or vanished, or fail `check`) is not carried over: the block is
 * forgotten by the cache, so a wrong block can never be moved into a faster tier.
 */
export class ActionRunner {
  constructor(
    private readonly cache: TieredBlockCache,
    private readonly stores: ReadonlyMap<string, TierStore>,
    private readonly meta: Map<string, BlockMeta>,
    private readonly counters: ReadonlyMap<string, TierCounters>,
    private readonly observer: PoolObserver,
    private readonly check?: MoveCheck,
  ) {}

  /** Carries out `actions` in order; returns the blocks dropped because their bytes failed verification. */
  async apply(actions: readonly CacheAction[]): Promise<string[]> {
    const corrupt: string[] = [];
    for (const action of actions) {
      const key = String(action.key);
      const from = this.store(action.fromTier);
      if (action.kind === 'drop') {
        await from.delete(key);
        this.meta.delete(key);
        this.count(action.fromTier).numEvictions++;
        this.observer.evicted?.(action.fromTier, action.numBytes);
        continue;
      }
      const to = this.store(action.toTier);
      const got = await from.get(key);
      const read: typeof got =
        got.kind === 'hit' && this.check !== undefined && !this.check(key, got.bytes, from, to)
          ? { kind: 'miss', reason: 'corrupt' }
          : got;
      if (read.kind === 'miss') {
        if (read.reason === 'corrupt') {
          this.observer.checksumFailed?.(action.fromTier);
          corrupt.push(key);
        }
        this.forget(key);
        continue;
      }
      const meta = this.meta.get(key);
      const written = await to.put(key, read.bytes, {
        knownChecksum: read.checksum,
        // The source copy is deleted right after, so the destination may keep these bytes.
        adopt: true,
        ...(meta === undefined ? {} : { meta }),
      });
      await from.delete(key);
      if (!written.ok) {
        // The cache and the store account the same payload bytes, so this means a broken invariant;
        // dropping the block keeps both consistent.
        this.forget(key);
        continue;
      }
      if (action.kind === 'demote') this.count(action.fromTier).numDemotions++;
      else this.count(action.toTier).numPromotions++;
      this.observer.moved?.(action.kind, action.fromTier, action.toTier, action.numBytes);
    }
    return corrupt;
  }

  private forget(key: string): void {
    this.cache.remove(key);
    this.meta.delete(key);
  }

  private store(tier: string): TierStore {
    const store = this.stores.get(tier);
    if (store === undefined) throw new Error(`no store for tier '${tier}' (broken invariant)`);
    return store;
  }

  private count(tier: string): TierCounters {
    return this.counters.get(tier) as TierCounters;
  }
}
