// The twin's kv-pool: @oicf/kv's TieredBlockCache (placement, the eviction/demotion policy, leases,
// session retention) driven by the calls the services make, in the order the kv-pool makes them
// (apps/kv-pool/src/pool/kv-pool.ts and control.ts), with block sizes instead of bytes:
//
//   router Lookup (touch false) → lookup      router Lease / Release → lease / release
//   worker kv.get (per block: access with promotion, then the read) → get
//   worker kv.put (per block: placement; position from the parent's) → put
//
// Byte moves the cache decides (demote, promote, drop) are carried out at once: a drop forgets the block's
// metadata, as the kv-pool's ActionRunner does. Their transfer time is not modelled (see docs/simulation.md).
import { type PoolTierId, recomputeSecondsForBlockOf } from '@oicf/core';
import { TieredBlockCache } from '@oicf/kv';
import type { PoolBlock } from '@oicf/sched';
import type { SimPoolSpec, SimPoolTierSpec } from '../cluster/sim-cluster.js';
import { FifoLink } from '../core/fifo-link.js';

/** A block as a worker offers it to the pool. */
export interface PutBlock {
  readonly blockId: string;
  /** '' for the first block of a chain. */
  readonly parentId: string;
  readonly numTokens: number;
}

/** A block a get found, and the tier it was read from (before any promotion: what paced the read). */
export interface GotBlock {
  readonly blockId: string;
  readonly numTokens: number;
  readonly numBytes: number;
  readonly readFromTier: PoolTierId;
}

export interface PoolCounters {
  numLookups: number;
  numGets: number;
  numHits: number;
  numMisses: number;
  numPuts: number;
  numStored: number;
  numAlreadyPresent: number;
  numRefused: number;
  bytesStored: number;
  bytesRead: number;
}

export class SimPool {
  readonly cache: TieredBlockCache;
  /** Read and write pacing of the paced (far) tiers, by tier id: one direction each, FIFO like LinkPacer. */
  readonly tierReadLinks = new Map<string, FifoLink>();
  readonly tierWriteLinks = new Map<string, FifoLink>();
  readonly counters: PoolCounters = {
    numLookups: 0,
    numGets: 0,
    numHits: 0,
    numMisses: 0,
    numPuts: 0,
    numStored: 0,
    numAlreadyPresent: 0,
    numRefused: 0,
    bytesStored: 0,
    bytesRead: 0,
  };
  private readonly meta = new Map<string, { position: number; numTokens: number }>();
  private readonly tierById: ReadonlyMap<string, SimPoolTierSpec>;
  private nextLease = 1;

  constructor(
    readonly spec: SimPoolSpec,
    private readonly blockTokens: number,
    private readonly kvBytesPerToken: number,
  ) {
    const recompute = recomputeSecondsForBlockOf({ ...spec.recompute, blockTokens });
    this.cache = new TieredBlockCache(
      spec.tiers.map((t) => ({
        tier: {
          name: t.id,
          capacityBytes: t.capacityBytes,
          bandwidthBytesPerSecond: t.bandwidthBytesPerSecond,
          latencySeconds: t.latencySeconds,
        },
        policy: { name: spec.policy, params: spec.policy === 'oicf' ? { recomputeSecondsForBlock: recompute } : {} },
      })),
    );
    this.tierById = new Map(spec.tiers.map((t) => [t.id, t]));
    for (const t of spec.tiers) {
      if (!t.paced) continue;
      const path = { bandwidthBytesPerSecond: t.bandwidthBytesPerSecond, latencySeconds: t.latencySeconds };
      this.tierReadLinks.set(t.id, new FifoLink(`pool ${t.id} read`, path));
      this.tierWriteLinks.set(t.id, new FifoLink(`pool ${t.id} write`, path));
    }
  }

  /** Bytes of one full block. */
  get blockBytes(): number {
    return this.blockTokens * this.kvBytesPerToken;
  }

  /** The router's Lookup (touch false): the longest cached prefix of `blockIds` with each block's tier. */
  lookup(blockIds: readonly string[], nowSeconds: number): PoolBlock[] {
    this.counters.numLookups++;
    const found = this.cache.lookup(blockIds, nowSeconds);
    const out: PoolBlock[] = new Array(found.numCachedBlocks);
    let firstToken = 0;
    for (let i = 0; i < found.numCachedBlocks; i++) {
      const blockId = blockIds[i] as string;
      const numTokens = this.meta.get(blockId)?.numTokens ?? this.blockTokens;
      out[i] = {
        blockId,
        firstToken,
        numTokens,
        tier: found.tiers[i] as PoolTierId,
        sizeBytes: this.cache.sizeOf(blockId) ?? 0,
      };
      firstToken += numTokens;
    }
    return out;
  }

  /** Leading cached blocks of a chain (a worker's Lookup before it offers blocks). */
  numCachedBlocks(blockIds: readonly string[], nowSeconds: number): number {
    this.counters.numLookups++;
    return this.cache.lookup(blockIds, nowSeconds).numCachedBlocks;
  }

  /** Pins the present blocks for `ttlSeconds` (clamped to the pool's maximum). */
  lease(blockIds: readonly string[], ttlSeconds: number, nowSeconds: number): { leaseId: string; leased: string[] } {
    const ttl = Math.min(ttlSeconds, this.spec.maxLeaseTtlSeconds);
    const lease = this.cache.lease(blockIds, ttl, nowSeconds, `lease-${this.nextLease++}`);
    const missing = new Set(lease.missingKeys);
    return { leaseId: lease.leaseId, leased: blockIds.filter((id) => !missing.has(id)) };
  }

  release(leaseId: string, nowSeconds: number): void {
    this.cache.release(leaseId, nowSeconds);
  }

  /**
   * A worker's kv.get of `blockIds` under `leaseId` ('' = none): each block in order is accessed (a hit in
   * a lower tier is promoted, as the pool does) and read; absent blocks are skipped. An unknown or
   * expired lease fails the whole get (the pool answers FAILED_PRECONDITION; the worker computes instead).
   */
  get(blockIds: readonly string[], leaseId: string, nowSeconds: number): GotBlock[] {
    this.counters.numGets++;
    if (leaseId !== '' && !this.cache.hasLease(leaseId, nowSeconds)) return [];
    const out: GotBlock[] = [];
    for (const blockId of blockIds) {
      const access = this.cache.access([blockId], nowSeconds, { promote: true });
      const foundIn = access.tiersBefore[0];
      this.forgetDropped(access.actions);
      if (foundIn === undefined) {
        this.counters.numMisses++;
        continue;
      }
      this.counters.numHits++;
      const numBytes = this.cache.sizeOf(blockId) ?? this.blockBytes;
      this.counters.bytesRead += numBytes;
      out.push({
        blockId,
        numTokens: this.meta.get(blockId)?.numTokens ?? this.blockTokens,
        numBytes,
        readFromTier: foundIn as PoolTierId,
      });
    }
    return out;
  }

  /** A kv.put of one block: placed (or touched when present), retained for the session when one is given. */
  put(
    block: PutBlock,
    session: { sessionId: string; ttlSeconds: number } | undefined,
    nowSeconds: number,
  ): { ok: boolean; tier: PoolTierId | undefined } {
    this.counters.numPuts++;
    const parent = block.parentId === '' ? undefined : block.parentId;
    const position = parent === undefined ? 0 : (this.meta.get(parent)?.position ?? -1) + 1;
    const numBytes = block.numTokens * this.kvBytesPerToken;
    const retain = session !== undefined && session.sessionId !== '' && session.ttlSeconds > 0 ? session : undefined;
    const outcome = this.cache.put({ key: block.blockId, numBytes, position, parentKey: parent }, nowSeconds, retain);
    this.forgetDropped(outcome.actions);
    if (!outcome.ok) {
      this.counters.numRefused++;
      return { ok: false, tier: undefined };
    }
    if (outcome.alreadyCached) this.counters.numAlreadyPresent++;
    else {
      this.counters.numStored++;
      this.counters.bytesStored += numBytes;
      this.meta.set(block.blockId, { position, numTokens: block.numTokens });
    }
    return { ok: true, tier: outcome.tier as PoolTierId };
  }

  /** Whether reads and writes of a tier are paced (far tiers). */
  isPaced(tierId: string): boolean {
    return this.tierById.get(tierId)?.paced ?? false;
  }

  private forgetDropped(actions: readonly { kind: string; key: unknown }[]): void {
    for (const a of actions) if (a.kind === 'drop') this.meta.delete(String(a.key));
  }
}
