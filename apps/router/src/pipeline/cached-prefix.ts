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

/** No pool blocks to read: what a request without a cached pool prefix holds (shared, immutable). */
export const NO_CACHED_PREFIX: CachedPrefix = { kvSources: [], poolBytes: 0, release: () => {} };

/**
 * Leases the plan's pool blocks; only the leading ones the pool still pins are handed on. Synchronous
 * (NO_CACHED_PREFIX) when the plan reads none, so a short request takes no await here.
 */
export function leaseCachedPrefix(deps: RequestDeps, r: RoutedRequest): CachedPrefix | Promise<CachedPrefix> {
  if (r.plan.poolBlocksToLease.length === 0) return NO_CACHED_PREFIX;
  return leasePool(deps, r);
}

async function leasePool(deps: RequestDeps, r: RoutedRequest): Promise<CachedPrefix> {
  const { config, pool, log } = deps;
  const leased = await leasePoolBlocks(pool, r.plan.poolBlocksToLease, config.leaseTtlSeconds, r.input.requestId, log);
  let lease: PoolLease | undefined = leased.lease;
  const blocks: PoolBlock[] = leased.blocks;
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
