import { KvError } from '../errors.js';
import { BlockIndex, type PrefixLookup } from '../index/block-index.js';
import type { BlockKey } from '../policies/policy.js';
import { createPolicy } from '../policies/registry.js';
import { requireTierModel } from '../tiers/tier-model.js';
import type {
  AccessOutcome,
  BlockInfo,
  CacheAction,
  CacheCounters,
  CacheStats,
  LeaseOutcome,
  PutOutcome,
  TierSetup,
} from './cache-types.js';
import { LeaseTable } from './lease-table.js';
import { SessionTable } from './session-table.js';
import { type StackTier, TierStack } from './tier-stack.js';

/**
 * The pure placement engine of a tiered KV pool: which tier holds each block, and which
 * bytes must move. It holds no bytes; every mutation returns CacheActions for the caller
 * to carry out on its stores. Time comes in as `nowSeconds` on every call (any monotonic
 * clock); leases and sessions lapse lazily when a call passes their expiry.
 *
 * - Placement: a new block goes to the highest tier that can make room for it; making room
 *   asks that tier's policy for victims and demotes them (if the policy says so and the
 *   next tier can make room in turn) or drops them.
 * - Victims: never a leased block or a block of the current call; session-retained blocks
 *   only when no other candidate is left.
 * - Promotion (onboarding): `access(..., { promote: true })` moves hit blocks from lower
 *   tiers to the top tier when room can be made there.
 */
export class TieredBlockCache {
  private readonly tiers: StackTier[];
  private readonly stack: TierStack;
  private readonly index = new BlockIndex();
  private readonly leases = new LeaseTable();
  private readonly sessions = new SessionTable();
  private readonly counters: CacheCounters = {
    numHits: 0,
    numMisses: 0,
    numPromotions: 0,
    numDemotions: 0,
    numEvictions: 0,
    numLeaseExpiries: 0,
    numSessionExpiries: 0,
    numPlacementFailures: 0,
  };

  constructor(setups: readonly TierSetup[]) {
    if (setups.length === 0) throw new KvError('INVALID_ARGUMENT', 'tiers: at least one tier is required', 'tiers');
    const names = new Set<string>();
    this.tiers = setups.map((setup, i) => {
      const model = requireTierModel(setup.tier, `tiers[${i}].tier`);
      if (names.has(model.name)) {
        throw new KvError(
          'INVALID_ARGUMENT',
          `tiers[${i}].tier.name: duplicate tier '${model.name}'`,
          `tiers[${i}].tier.name`,
        );
      }
      names.add(model.name);
      const policy =
        'victim' in setup.policy
          ? setup.policy
          : createPolicy(setup.policy, { capacityBytes: model.capacityBytes }, `tiers[${i}].policy`);
      return { model, policy, usedBytes: 0, numHits: 0 };
    });
    this.stack = new TierStack(this.tiers, this.index, this.counters, {
      isLeased: (k) => this.leases.isLeased(k),
      isRetained: (k) => this.sessions.isRetained(k),
    });
  }

  get tierNames(): string[] {
    return this.tiers.map((t) => t.model.name);
  }

  /** Longest cached prefix of `chain` and the tier of each of its blocks. No side effects but expiry. */
  lookup(chain: readonly BlockKey[], nowSeconds: number): PrefixLookup {
    this.advance(nowSeconds);
    return this.index.longestPrefix(chain);
  }

  /** Payload bytes of a cached block. */
  sizeOf(key: BlockKey): number | undefined {
    return this.index.get(key)?.numBytes;
  }

  /** Tier currently holding `key`, if cached. */
  tierOf(key: BlockKey): string | undefined {
    return this.index.get(key)?.tier;
  }

  /** Caches a block (or touches it when already cached); optionally retains it for a session. */
  put(block: BlockInfo, nowSeconds: number, session?: { sessionId: string; ttlSeconds: number }): PutOutcome {
    this.advance(nowSeconds);
    const actions: CacheAction[] = [];
    const existing = this.index.get(block.key);
    if (existing !== undefined) {
      (this.tiers[existing.tierIndex] as StackTier).policy.touch(block.key, nowSeconds);
      if (session !== undefined) this.sessions.retain(session.sessionId, [block.key], session.ttlSeconds, nowSeconds);
      return { ok: true, tier: existing.tier, alreadyCached: true, actions };
    }
    if (!this.tiers.some((t) => block.numBytes <= t.model.capacityBytes)) {
      this.counters.numPlacementFailures++;
      return {
        ok: false,
        reason: 'too-large',
        message: `block of ${block.numBytes} bytes exceeds every tier's capacity`,
        actions,
      };
    }
    const protect = new Set<BlockKey>([block.key]);
    for (let i = 0; i < this.tiers.length; i++) {
      if (!this.stack.makeRoom(i, block.numBytes, nowSeconds, protect, actions)) continue;
      this.stack.place(i, block, nowSeconds);
      if (session !== undefined) this.sessions.retain(session.sessionId, [block.key], session.ttlSeconds, nowSeconds);
      return { ok: true, tier: (this.tiers[i] as StackTier).model.name, alreadyCached: false, actions };
    }
    this.counters.numPlacementFailures++;
    return { ok: false, reason: 'no-capacity', message: 'every tier is full of leased blocks', actions };
  }

  /**
   * Re-registers a block already held by the named tier (a pool rebuilding its index from a
   * persistent store at start). Never evicts: false when the block is already cached elsewhere,
   * the tier is unknown, or it has no room left (the caller then deletes those bytes).
   */
  restore(block: BlockInfo, tierName: string, nowSeconds: number): boolean {
    const i = this.tiers.findIndex((t) => t.model.name === tierName);
    const tier = this.tiers[i];
    if (tier === undefined || this.index.has(block.key)) return false;
    if (tier.usedBytes + block.numBytes > tier.model.capacityBytes) return false;
    this.stack.place(i, block, nowSeconds);
    return true;
  }

  /**
   * Records a use of `chain`: touches every cached block (counting hits per tier), counts
   * misses, and with `promote` moves lower-tier hits to the top tier.
   */
  access(chain: readonly BlockKey[], nowSeconds: number, options: { promote?: boolean } = {}): AccessOutcome {
    this.advance(nowSeconds);
    const { numCachedBlocks, tiers: tiersBefore } = this.index.longestPrefix(chain);
    const actions: CacheAction[] = [];
    const protect = new Set<BlockKey>(chain);
    for (const key of chain) {
      const location = this.index.get(key);
      if (location === undefined) {
        this.counters.numMisses++;
        continue;
      }
      const tier = this.tiers[location.tierIndex] as StackTier;
      tier.numHits++;
      this.counters.numHits++;
      tier.policy.touch(key, nowSeconds);
      if (options.promote === true && location.tierIndex > 0 && !this.leases.isLeased(key)) {
        this.promote(key, nowSeconds, protect, actions);
      }
    }
    return { numPrefixBlocks: numCachedBlocks, tiersBefore, actions };
  }

  /** Forgets a block (its bytes were deleted or failed a check); returns the tier it was in. */
  remove(key: BlockKey): string | undefined {
    const location = this.index.get(key);
    if (location === undefined) return undefined;
    const tier = this.tiers[location.tierIndex] as StackTier;
    tier.policy.remove(key);
    tier.usedBytes -= location.numBytes;
    this.index.delete(key);
    return location.tier;
  }

  /** Drops the given blocks (not leased ones); returns the drops and the keys kept because leased. */
  evictKeys(keys: readonly BlockKey[], nowSeconds: number): { actions: CacheAction[]; leasedKeys: BlockKey[] } {
    this.advance(nowSeconds);
    const actions: CacheAction[] = [];
    const leasedKeys: BlockKey[] = [];
    for (const key of keys) {
      const location = this.index.get(key);
      if (location === undefined) continue;
      if (this.leases.isLeased(key)) {
        leasedKeys.push(key);
        continue;
      }
      this.remove(key);
      this.counters.numEvictions++;
      actions.push({ kind: 'drop', key, fromTier: location.tier, numBytes: location.numBytes });
    }
    return { actions, leasedKeys };
  }

  /** Frees at least `numBytes` in `tierName` (default the top tier) through its policy. */
  evictBytes(numBytes: number, nowSeconds: number, tierName?: string): { actions: CacheAction[]; freedBytes: number } {
    this.advance(nowSeconds);
    const i = tierName === undefined ? 0 : this.tiers.findIndex((t) => t.model.name === tierName);
    if (i < 0) {
      throw new KvError(
        'INVALID_ARGUMENT',
        `tier '${tierName}' is unknown; valid: ${this.tierNames.join(', ')}`,
        'tier',
      );
    }
    const tier = this.tiers[i] as StackTier;
    const before = tier.usedBytes;
    const actions: CacheAction[] = [];
    this.stack.freeUntil(i, Math.max(0, before - numBytes), nowSeconds, new Set(), actions);
    return { actions, freedBytes: before - tier.usedBytes };
  }

  lease(keys: readonly BlockKey[], ttlSeconds: number, nowSeconds: number, leaseId?: string): LeaseOutcome {
    this.advance(nowSeconds);
    const present = keys.filter((k) => this.index.has(k));
    const missingKeys = keys.filter((k) => !this.index.has(k));
    const lease = this.leases.grant(present, ttlSeconds, nowSeconds, leaseId);
    return {
      leaseId: lease.leaseId,
      expiresAtSeconds: lease.expiresAtSeconds,
      numLeasedBlocks: lease.keys.length,
      missingKeys,
    };
  }

  release(leaseId: string, nowSeconds: number): boolean {
    this.advance(nowSeconds);
    return this.leases.release(leaseId);
  }

  /** True while the lease exists (granted, not released, not expired at `nowSeconds`). */
  hasLease(leaseId: string, nowSeconds: number): boolean {
    this.advance(nowSeconds);
    return this.leases.get(leaseId) !== undefined;
  }

  /** The keys a live lease pins (undefined when it is unknown, released or expired at `nowSeconds`). */
  leasedKeys(leaseId: string, nowSeconds: number): readonly BlockKey[] | undefined {
    this.advance(nowSeconds);
    return this.leases.get(leaseId)?.keys;
  }

  isLeased(key: BlockKey): boolean {
    return this.leases.isLeased(key);
  }

  /** Soft-pins `keys` for `sessionId` until now + ttlSeconds (refreshing the session's TTL). */
  retainSession(sessionId: string, keys: readonly BlockKey[], ttlSeconds: number, nowSeconds: number): number {
    this.advance(nowSeconds);
    return this.sessions.retain(sessionId, keys, ttlSeconds, nowSeconds);
  }

  releaseSession(sessionId: string, nowSeconds: number): boolean {
    this.advance(nowSeconds);
    return this.sessions.release(sessionId);
  }

  isRetained(key: BlockKey): boolean {
    return this.sessions.isRetained(key);
  }

  stats(nowSeconds?: number): CacheStats {
    if (nowSeconds !== undefined) this.advance(nowSeconds);
    return {
      tiers: this.tiers.map((t) => ({
        name: t.model.name,
        capacityBytes: t.model.capacityBytes,
        usedBytes: t.usedBytes,
        numBlocks: t.policy.numBlocks,
        numHits: t.numHits,
      })),
      counters: {
        ...this.counters,
        numLeaseExpiries: this.leases.numExpiries,
        numSessionExpiries: this.sessions.numExpiries,
      },
      numLeases: this.leases.numLeases,
      numLeasedBlocks: this.leases.numPinnedKeys,
      numSessions: this.sessions.numSessions,
    };
  }

  private advance(nowSeconds: number): void {
    this.leases.expire(nowSeconds);
    this.sessions.expire(nowSeconds);
  }

  private promote(key: BlockKey, nowSeconds: number, protect: ReadonlySet<BlockKey>, actions: CacheAction[]): void {
    const location = this.index.get(key);
    if (location === undefined || location.tierIndex === 0) return;
    const tryActions: CacheAction[] = [];
    if (!this.stack.makeRoom(0, location.numBytes, nowSeconds, protect, tryActions)) {
      actions.push(...tryActions);
      return;
    }
    actions.push(...tryActions);
    this.remove(key);
    this.stack.place(
      0,
      { key, numBytes: location.numBytes, position: location.position, parentKey: location.parentKey },
      nowSeconds,
    );
    this.counters.numPromotions++;
    const top = (this.tiers[0] as StackTier).model.name;
    actions.push({ kind: 'promote', key, fromTier: location.tier, toTier: top, numBytes: location.numBytes });
  }
}
