// The kv-pool's API in domain terms: what the pool core (apps/kv-pool/src/pool) takes and returns and
// what this package's clients hand out. Tiers are `@oicf/core` tier ids ('dram', 'optical-pool', …),
// never wire enum names; proto types stop at the kv-pool's gRPC/WebSocket adapters on the server side
// and at ../wire on the client side. Field meanings are those of kv_pool.proto.
import type { PoolTierId, TierId } from '@oicf/core';
import type { OicfError } from '@oicf/transport';

/** One cached block of a looked-up chain. */
export interface PoolBlockRef {
  readonly blockId: string;
  /** Position of the block's first token in the sequence. */
  readonly firstToken: number;
  readonly numTokens: number;
  /** Tier that holds it (undefined only on a client, for a tier this build does not know). */
  readonly tier: PoolTierId | undefined;
  readonly sizeBytes: number;
}

/** Longest cached prefix of a chain: its leading blocks the pool holds, in chain order. */
export interface PoolLookup {
  readonly numCachedBlocks: number;
  readonly numCachedTokens: number;
  readonly blocks: readonly PoolBlockRef[];
}

export interface PoolLease {
  /** Opaque id for release and for data-plane gets under the lease. */
  readonly leaseId: string;
  /** Wall-clock expiry on the pool's clock, Unix ms. */
  readonly expiresAtUnixMs: number;
  /** Lifetime granted (after the pool's clamp). */
  readonly ttlSeconds: number;
  /** Ids present and now pinned. */
  readonly leasedBlockIds: readonly string[];
  /** Ids not in the pool (a value, not an error). */
  readonly missingBlockIds: readonly string[];
}

/** Occupancy and cumulative counters of one tier. */
export interface PoolTierStats {
  readonly tier: PoolTierId | undefined;
  readonly capacityBytes: number;
  readonly usedBytes: number;
  readonly numBlocks: number;
  readonly numHits: number;
  readonly numPromotions: number;
  readonly numDemotions: number;
  readonly numEvictions: number;
  readonly numChecksumFailures: number;
  /** Pacing of transfers in and out of the tier (0 = unpaced: real memory or real files). */
  readonly pacedBandwidthBytesPerSecond: number;
  readonly pacedLatencySeconds: number;
  /** The read path the pool's placement model uses (configured, else the tier catalog's). */
  readonly read: TierReadPath;
}

/** Bandwidth and fixed latency of reading a block out of a tier. */
export interface TierReadPath {
  readonly bandwidthBytesPerSecond: number;
  readonly latencySeconds: number;
}

export interface PoolStats {
  /** In the pool's stacking order, nearest first. */
  readonly tiers: readonly PoolTierStats[];
  readonly numActiveLeases: number;
  readonly numLeasedBlocks: number;
  readonly numSessions: number;
  readonly numLeaseExpiries: number;
  readonly blockTokens: number;
  readonly numMisses: number;
}

/** Evict exactly these blocks, or free at least this many bytes chosen by the eviction policy. */
export type EvictTarget = { readonly blockIds: readonly string[] } | { readonly freeBytes: number };

export interface EvictResult {
  readonly evictedBlockIds: readonly string[];
  readonly freedBytes: number;
  /** Asked for but leased or absent. */
  readonly skippedBlockIds: readonly string[];
}

export type PoolServingStatus = 'serving' | 'not-serving' | 'draining' | 'unknown';

export interface PoolHealth {
  readonly status: PoolServingStatus;
  readonly uptimeSeconds: number;
  readonly version: string;
}

/** One block to store (data plane `kv.put`). */
export interface PutRequest {
  readonly blockId: string;
  /** Previous block of the chain ('' for the first). */
  readonly parentId: string;
  /** Tokens covered by this block alone (0 = the pool's block size). */
  readonly numTokens: number;
  /**
   * XXH32 (seed 0) of payload, `blockChecksum` of @oicf/kv; the pool verifies it before storing. Absent only with
   * `digest`, to a pool holding the block key: the digest covers every byte XXH32 would, so a signed writer that
   * has no XXH32 at hand hashes its block once (the digest), and the pool computes the XXH32 it keeps from the
   * bytes it verified against the digest (`kv.put` `checksum_from_pool`; a pool without the key refuses it).
   */
  readonly checksum?: number;
  readonly payload: Uint8Array;
  /** Agent session that keeps the block warm between turns ('' = none). */
  readonly sessionId: string;
  /** Session retention TTL (0 = no session pin). */
  readonly ttlSeconds: number;
  /** The writer's keyed block digest (block-digest.ts); absent = not signed. */
  readonly digest?: Uint8Array;
}

export interface PutAck {
  readonly blockId: string;
  readonly tier: PoolTierId | undefined;
  /** The pool already had this id; the payload was verified and dropped. */
  readonly alreadyPresent: boolean;
  readonly storedBytes: number;
}

/**
 * One answer of a holder's `kv.get` stream, in order: a block (not yet verified: the receiver checks
 * it), a block the holder failed to read, then `done` with the ids it does not hold.
 */
export type GetEvent =
  | {
      readonly kind: 'block';
      readonly blockId: string;
      readonly numTokens: number;
      readonly checksum: number;
      readonly payload: Uint8Array;
      /** Tier it was served from ('hbm' from a decode worker's block cache). */
      readonly tier: TierId | undefined;
      /**
       * True when the channel checked these bytes against the writer's keyed digest (a same-host reader holding
       * the block key): they are then not hashed again with XXH32, which the digest covers.
       */
      readonly digestVerified?: boolean;
      /**
       * True when the channel computed XXH32 of `payload` while copying it out of a mapped segment (one pass, the
       * hash of the copy itself) and it equals `checksum`: not hashed again.
       */
      readonly checksumVerified?: boolean;
    }
  | { readonly kind: 'error'; readonly blockId: string; readonly error: OicfError }
  | { readonly kind: 'done'; readonly missingBlockIds: readonly string[] };
