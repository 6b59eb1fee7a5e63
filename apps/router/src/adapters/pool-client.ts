// The router's view of the kv-pool: Lookup (peek, touch = false), Lease and Release over gRPC control,
// and the read path of each pool tier as the pool models it. A port with two adapters: the shared pool
// client (@oicf/pool-client), and `noPool` for a cluster without a pool (every lookup is a miss).
// Failures throw OicfError; the pipeline treats a failed lookup or lease as a miss, since a pool outage
// must not fail requests that can be computed from scratch.
import { POOL_TIER_IDS, type PoolTierId } from '@oicf/core';
import { PoolControl, type TierReadPath } from '@oicf/pool-client';
import type { PoolPrefix } from '@oicf/sched';

export interface PoolLease {
  readonly leaseId: string;
  /** Ids that were present and are now pinned (a prefix of what was asked, if the pool lost some). */
  readonly leasedBlockIds: readonly string[];
}

export interface PoolPort {
  /** The pool's WebSocket data plane, handed to workers ('' = no pool). */
  readonly wsAddress: string;
  /** Longest cached prefix of the chain, without counting it as a use. */
  lookup(blockIds: readonly string[]): Promise<PoolPrefix>;
  lease(blockIds: readonly string[], ttlSeconds: number, holder: string): Promise<PoolLease>;
  release(leaseId: string): Promise<void>;
  /** The read path of each tier as the pool models it (tiers it does not report are left out). */
  readPaths(): Promise<ReadonlyMap<PoolTierId, TierReadPath>>;
  close(): void;
}

export const noPool: PoolPort = {
  wsAddress: '',
  lookup: async () => ({ blocks: [] }),
  lease: async () => ({ leaseId: '', leasedBlockIds: [] }),
  release: async () => {},
  readPaths: async () => new Map(),
  close: () => {},
};

/** A block in a tier this build does not know is priced as the pool's nearest tier. */
const NEAREST_TIER = POOL_TIER_IDS[0] as PoolTierId;

export function grpcPool(address: { grpcAddress: string; wsAddress: string }, timeoutSeconds: number): PoolPort {
  const control = new PoolControl(address.grpcAddress, { timeoutSeconds });
  return {
    wsAddress: address.wsAddress,
    lookup: async (blockIds) => {
      // The request's prefix-cache query: the pool counts what it did not find as misses.
      const found = await control.lookup(blockIds, { query: true });
      return { blocks: found.blocks.map((b) => ({ ...b, tier: b.tier ?? NEAREST_TIER })) };
    },
    lease: (blockIds, ttlSeconds, holder) => control.lease(blockIds, ttlSeconds, holder),
    release: async (leaseId) => {
      await control.release(leaseId);
    },
    readPaths: () => control.readPaths(),
    close: () => control.close(),
  };
}
