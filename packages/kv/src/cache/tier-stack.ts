import type { BlockIndex } from '../index/block-index.js';
import type { BlockKey, EvictionPolicy } from '../policies/policy.js';
import type { TierModel } from '../tiers/tier-model.js';
import type { BlockInfo, CacheAction, CacheCounters } from './cache-types.js';

/** One tier's live state inside a TieredBlockCache. */
export interface StackTier {
  readonly model: TierModel;
  readonly policy: EvictionPolicy;
  usedBytes: number;
  numHits: number;
}

/** What may not be moved: leased blocks never; session-retained blocks only as a last resort. */
export interface Pins {
  isLeased(key: BlockKey): boolean;
  isRetained(key: BlockKey): boolean;
}

/**
 * Placement mechanics of a TieredBlockCache: putting a block in a tier and making room in a
 * tier by demoting or dropping its policy's victims, recursively down the stack. Every move is
 * recorded as a CacheAction, in an order the caller can carry out one after another.
 */
export class TierStack {
  constructor(
    readonly tiers: StackTier[],
    private readonly index: BlockIndex,
    private readonly counters: CacheCounters,
    private readonly pins: Pins,
  ) {}

  place(i: number, block: BlockInfo, nowSeconds: number): void {
    const tier = this.tiers[i] as StackTier;
    tier.policy.insert(block, nowSeconds);
    tier.usedBytes += block.numBytes;
    this.index.set(block.key, {
      tier: tier.model.name,
      tierIndex: i,
      numBytes: block.numBytes,
      position: block.position,
      parentKey: block.parentKey,
    });
  }

  /** Frees space in tier i until `numBytes` more fit; pushes the moves in executable order. */
  makeRoom(
    i: number,
    numBytes: number,
    nowSeconds: number,
    protect: ReadonlySet<BlockKey>,
    actions: CacheAction[],
  ): boolean {
    const tier = this.tiers[i] as StackTier;
    if (numBytes > tier.model.capacityBytes) return false;
    return this.freeUntil(i, tier.model.capacityBytes - numBytes, nowSeconds, protect, actions);
  }

  // The victim filters, made once (not two closures per call: a pool put runs this on every eviction). They read
  // the `protect` set of the freeUntil call running; a nested call (demotion into the tier below) restores it.
  private protecting: ReadonlySet<BlockKey> = NOTHING_PROTECTED;
  private readonly hard = (k: BlockKey): boolean => !this.protecting.has(k) && !this.pins.isLeased(k);
  private readonly soft = (k: BlockKey): boolean => this.hard(k) && !this.pins.isRetained(k);

  /** Moves victims out of tier i until it holds ≤ maxUsedBytes; false if it ran out of candidates. */
  freeUntil(
    i: number,
    maxUsedBytes: number,
    nowSeconds: number,
    protect: ReadonlySet<BlockKey>,
    actions: CacheAction[],
  ): boolean {
    const tier = this.tiers[i] as StackTier;
    if (tier.usedBytes <= maxUsedBytes) return true;
    const outer = this.protecting;
    this.protecting = protect;
    try {
      return this.evictUntil(tier, i, maxUsedBytes, nowSeconds, protect, actions);
    } finally {
      this.protecting = outer;
    }
  }

  private evictUntil(
    tier: StackTier,
    i: number,
    maxUsedBytes: number,
    nowSeconds: number,
    protect: ReadonlySet<BlockKey>,
    actions: CacheAction[],
  ): boolean {
    const lower = this.tiers[i + 1];
    while (tier.usedBytes > maxUsedBytes) {
      const victim =
        tier.policy.victim(this.soft, nowSeconds, lower?.model) ??
        tier.policy.victim(this.hard, nowSeconds, lower?.model);
      if (victim === undefined) return false;
      const { entry } = victim;
      tier.usedBytes -= entry.numBytes;
      this.index.delete(entry.key);
      if (victim.demote && lower !== undefined && this.makeRoom(i + 1, entry.numBytes, nowSeconds, protect, actions)) {
        this.place(i + 1, entry, nowSeconds);
        this.counters.numDemotions++;
        actions.push({
          kind: 'demote',
          key: entry.key,
          fromTier: tier.model.name,
          toTier: lower.model.name,
          numBytes: entry.numBytes,
        });
      } else {
        this.counters.numEvictions++;
        actions.push({ kind: 'drop', key: entry.key, fromTier: tier.model.name, numBytes: entry.numBytes });
      }
    }
    return true;
  }
}

const NOTHING_PROTECTED: ReadonlySet<BlockKey> = new Set();
