import type { BlockKey, EvictionPolicy } from '../policies/policy.js';
import type { PolicyChoice } from '../policies/registry.js';
import type { TierModel } from '../tiers/tier-model.js';

/** One tier of a TieredBlockCache, listed top (fastest) to bottom. */
export interface TierSetup {
  readonly tier: TierModel;
  /** A registered policy by name (+ params), or a ready instance. */
  readonly policy: PolicyChoice | EvictionPolicy;
}

export interface BlockInfo {
  readonly key: BlockKey;
  /** Payload bytes the block occupies. */
  readonly numBytes: number;
  /** 0-based position in its chain. */
  readonly position: number;
  readonly parentKey?: BlockKey | undefined;
}

/**
 * A byte movement the caller must carry out on its tier stores, in list order (each action
 * is executable after the ones before it: room in a lower tier is made before a block moves
 * into it).
 */
export type CacheAction =
  | {
      readonly kind: 'demote';
      readonly key: BlockKey;
      readonly fromTier: string;
      readonly toTier: string;
      readonly numBytes: number;
    }
  | {
      readonly kind: 'promote';
      readonly key: BlockKey;
      readonly fromTier: string;
      readonly toTier: string;
      readonly numBytes: number;
    }
  | { readonly kind: 'drop'; readonly key: BlockKey; readonly fromTier: string; readonly numBytes: number };

export type PutOutcome =
  | {
      readonly ok: true;
      /** Tier now holding the block. */
      readonly tier: string;
      /** True when the block was already cached (it was only touched). */
      readonly alreadyCached: boolean;
      readonly actions: readonly CacheAction[];
    }
  | {
      readonly ok: false;
      /** too-large: bigger than every tier; no-capacity: every tier is full of pinned blocks. */
      readonly reason: 'too-large' | 'no-capacity';
      readonly message: string;
      /** Moves already made while trying (still to be carried out). */
      readonly actions: readonly CacheAction[];
    };

export interface AccessOutcome {
  /** Leading blocks of the chain that were cached before this access. */
  readonly numPrefixBlocks: number;
  /** Tier of each prefix block before the access (promotion may have moved it since). */
  readonly tiersBefore: readonly string[];
  readonly actions: readonly CacheAction[];
}

export interface LeaseOutcome {
  readonly leaseId: string;
  readonly expiresAtSeconds: number;
  readonly numLeasedBlocks: number;
  /** Requested keys that were not cached (and so are not leased). */
  readonly missingKeys: readonly BlockKey[];
}

export interface TierStats {
  readonly name: string;
  readonly capacityBytes: number;
  readonly usedBytes: number;
  readonly numBlocks: number;
  readonly numHits: number;
}

export interface CacheCounters {
  numHits: number;
  numMisses: number;
  numPromotions: number;
  numDemotions: number;
  /** Blocks dropped from the bottom of the hierarchy (or not demoted) to make room. */
  numEvictions: number;
  numLeaseExpiries: number;
  numSessionExpiries: number;
  numPlacementFailures: number;
}

export interface CacheStats {
  readonly tiers: readonly TierStats[];
  readonly counters: Readonly<CacheCounters>;
  readonly numLeases: number;
  /** Distinct blocks under at least one lease. */
  readonly numLeasedBlocks: number;
  readonly numSessions: number;
}
