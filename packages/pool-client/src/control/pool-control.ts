import type { PoolTierId } from '@oicf/core';
import { type KvPoolClient as KvPoolGrpcClient, loadProto } from '@oicf/proto';
import { createGrpcClient, type GrpcCallOptions, unaryCall } from '@oicf/transport';
import type {
  EvictResult,
  EvictTarget,
  PoolHealth,
  PoolLease,
  PoolLookup,
  PoolStats,
  TierReadPath,
} from '../api/pool-api.js';
import {
  evictResultFromWire,
  evictToWire,
  healthFromWire,
  leaseFromWire,
  lookupFromWire,
  statsFromWire,
} from '../wire/pool-wire.js';

export interface PoolControlOptions {
  /** Deadline of every call (default 5 s). */
  readonly timeoutSeconds?: number;
  /**
   * Opens the gRPC channel to `address` (default: insecure loopback, keepalive). The seam for
   * channel credentials and call metadata (cluster authentication) and for test doubles.
   */
  readonly connect?: (address: string) => KvPoolGrpcClient;
  /** Options added to every call (e.g. metadata carrying a cluster token). */
  readonly callOptions?: () => GrpcCallOptions;
}

/**
 * The pool's gRPC control API in domain terms: which prefix the pool holds (Lookup), pinning blocks
 * across a transfer (Lease) and unpinning them (Release), occupancy (Stats), eviction (Evict) and
 * health. Bulk bytes never travel here (see ../data). Failures reject with OicfError.
 */
export class PoolControl {
  private readonly grpc: KvPoolGrpcClient;
  private readonly timeoutSeconds: number;

  constructor(
    readonly address: string,
    private readonly options: PoolControlOptions = {},
  ) {
    this.grpc = (options.connect ?? ((a) => createGrpcClient(loadProto().KvPool, a)))(address);
    this.timeoutSeconds = options.timeoutSeconds ?? 5;
  }

  /**
   * Longest cached prefix of a chain (no call for an empty chain); `touch` counts it as a use, `query` as a
   * request's prefix-cache query (the pool's prefix hit and miss counters).
   */
  async lookup(blockIds: readonly string[], options: { touch?: boolean; query?: boolean } = {}): Promise<PoolLookup> {
    if (blockIds.length === 0) return { numCachedBlocks: 0, numCachedTokens: 0, blocks: [] };
    const res = await unaryCall(
      this.grpc,
      'Lookup',
      { blockIds: [...blockIds], touch: options.touch ?? false, query: options.query ?? false },
      this.call(),
    );
    return lookupFromWire(res);
  }

  /** Pins blocks for `ttlSeconds`; ids the pool lacks come back in missingBlockIds (a value). */
  async lease(blockIds: readonly string[], ttlSeconds: number, holder: string): Promise<PoolLease> {
    const res = await unaryCall(this.grpc, 'Lease', { blockIds: [...blockIds], ttlSeconds, holder }, this.call());
    return leaseFromWire(res);
  }

  /** Drops a lease early; false when it was unknown or expired. */
  async release(leaseId: string): Promise<boolean> {
    return (await unaryCall(this.grpc, 'Release', { leaseId }, this.call())).released;
  }

  async stats(): Promise<PoolStats> {
    return statsFromWire(await unaryCall(this.grpc, 'Stats', {}, this.call()));
  }

  /** Evicts given blocks, or frees bytes in `tier` (default: the lowest non-empty tier). */
  async evict(target: EvictTarget, tier?: PoolTierId): Promise<EvictResult> {
    return evictResultFromWire(await unaryCall(this.grpc, 'Evict', evictToWire(target, tier), this.call()));
  }

  async health(): Promise<PoolHealth> {
    return healthFromWire(await unaryCall(this.grpc, 'Health', {}, this.call()));
  }

  /**
   * The read path of each tier as the pool itself models it (its configured figures, else the tier
   * catalog's): what a router prices pool reads with. Tiers this build does not know are left out.
   */
  async readPaths(): Promise<Map<PoolTierId, TierReadPath>> {
    const stats = await this.stats();
    const paths = new Map<PoolTierId, TierReadPath>();
    for (const t of stats.tiers)
      if (t.tier !== undefined && t.read.bandwidthBytesPerSecond > 0) paths.set(t.tier, t.read);
    return paths;
  }

  close(): void {
    this.grpc.close();
  }

  private call(): GrpcCallOptions {
    return { timeoutSeconds: this.timeoutSeconds, ...this.options.callOptions?.() };
  }
}
