// The pool blocks the prefilling worker will read (docs/architecture.md step 4, and step 5 with local
// prefill): leased before the worker is called, so the pool keeps them until it has fetched them, and
// released as soon as it has (or when the request ends, whichever comes first).
import type { KvSource } from '@oicf/proto';
import type { PoolBlock } from '@oicf/sched';
import type { PoolLease } from '../adapters/pool-client.js';
import type { RequestDeps, RoutedRequest } from './request-context.js';
import { leasePoolBlocks, poolSources } from './wire-requests.js';

export interface CachedPrefix {
  /** The leased blocks as the KvSource the worker fetches from ([] when none). */
  readonly kvSources: KvSource[];
  /** Payload bytes of those blocks (the pool's block sizes). */
  readonly poolBytes: number;
  /** Gives the lease back (idempotent; failures are logged, never thrown). */
  release(): void;
}

/** Leases the plan's pool blocks; only the leading ones the pool still pins are handed on. */
export async function leaseCachedPrefix(deps: RequestDeps, r: RoutedRequest): Promise<CachedPrefix> {
  const { config, pool, log } = deps;
  const wanted = r.plan.poolBlocksToLease;
  let lease: PoolLease | undefined;
  let blocks: PoolBlock[] = [];
  if (wanted.length > 0) {
    const leased = await leasePoolBlocks(pool, wanted, config.leaseTtlSeconds, r.input.requestId, log);
    lease = leased.lease;
    blocks = leased.blocks;
  }
  return {
    kvSources: poolSources(pool.wsAddress, lease?.leaseId ?? '', blocks),
    poolBytes: blocks.reduce((s, b) => s + b.sizeBytes, 0),
    release: () => {
      if (lease === undefined || lease.leaseId === '') return;
      const id = lease.leaseId;
      lease = undefined;
      pool.release(id).catch((err: unknown) => log.warn('pool_release_failed', { leaseId: id, error: String(err) }));
    },
  };
}
