// The router's view of the kv-pool: Lookup (peek, touch = false), Lease and Release over gRPC control.
// A port with two adapters: the gRPC client, and `noPool` for a cluster without a pool (every lookup is
// a miss). Failures throw OicfError; the pipeline treats a failed lookup or lease as a miss, since a
// pool outage must not fail requests that can be computed from scratch.
import { type KvPoolClient, loadProto } from '@oicf/proto';
import { createGrpcClient, unaryCall } from '@oicf/transport';
import { type PoolPrefix, tierName } from '../core/route-request.js';

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
  close(): void;
}

export const noPool: PoolPort = {
  wsAddress: '',
  lookup: async () => ({ blocks: [] }),
  lease: async () => ({ leaseId: '', leasedBlockIds: [] }),
  release: async () => {},
  close: () => {},
};

export function grpcPool(address: { grpcAddress: string; wsAddress: string }, timeoutSeconds: number): PoolPort {
  const client: KvPoolClient = createGrpcClient(loadProto().KvPool, address.grpcAddress);
  return {
    wsAddress: address.wsAddress,
    lookup: async (blockIds) => {
      if (blockIds.length === 0) return { blocks: [] };
      const res = await unaryCall(client, 'Lookup', { blockIds: [...blockIds], touch: false }, { timeoutSeconds });
      return {
        blocks: res.blocks.map((b) => ({
          blockId: b.blockId,
          firstToken: b.firstToken,
          numTokens: b.numTokens,
          tier: tierName(b.tier),
          sizeBytes: b.sizeBytes,
        })),
      };
    },
    lease: async (blockIds, ttlSeconds, holder) => {
      const res = await unaryCall(client, 'Lease', { blockIds: [...blockIds], ttlSeconds, holder }, { timeoutSeconds });
      return { leaseId: res.leaseId, leasedBlockIds: res.leasedBlockIds };
    },
    release: async (leaseId) => {
      await unaryCall(client, 'Release', { leaseId }, { timeoutSeconds });
    },
    close: () => client.close(),
  };
}
