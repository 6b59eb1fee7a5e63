import type { PoolTierId } from '@oicf/core';
import type { EvictResult, EvictTarget, PoolLease, PoolLookup, PoolStats } from '@oicf/pool-client';
import { OicfError } from '@oicf/transport';
import type { TierCounters } from './action-runner.js';
import type { PoolCore } from './pool-core.js';
import { requireIds, requirePositive } from './validate.js';

/** The control-plane operations of the pool (what the KvPool gRPC service exposes), in domain terms. */

export function lookup(core: PoolCore, blockIds: readonly string[], touch: boolean, query = false): PoolLookup {
  const ids = requireIds(blockIds, 'blockIds', core.options.maxBlocksPerRequest);
  const now = core.now();
  const found = touch ? core.cache.access(ids, now) : core.cache.lookup(ids, now);
  const tiers = 'tiersBefore' in found ? found.tiersBefore : found.tiers;
  if (touch) for (const tier of tiers) core.observer.hit?.(tier);
  if (query) core.observer.prefixQuery?.(ids.length, tiers);
  let firstToken = 0;
  const blocks = tiers.map((tier, i) => {
    const blockId = ids[i] as string;
    const numTokens = core.meta.get(blockId)?.numTokens ?? core.options.blockTokens;
    const ref = { blockId, firstToken, numTokens, tier: core.tierId(tier), sizeBytes: core.cache.sizeOf(blockId) ?? 0 };
    firstToken += numTokens;
    return ref;
  });
  return { numCachedBlocks: blocks.length, numCachedTokens: firstToken, blocks };
}

export function lease(core: PoolCore, blockIds: readonly string[], ttl: number): PoolLease {
  const ids = requireIds(blockIds, 'blockIds', core.options.maxBlocksPerRequest);
  const ttlSeconds = Math.min(requirePositive(ttl, 'ttlSeconds'), core.options.maxLeaseTtlSeconds);
  const lease = core.cache.lease(ids, ttlSeconds, core.now());
  const missing = new Set(lease.missingKeys);
  return {
    leaseId: lease.leaseId,
    expiresAtUnixMs: Math.round((core.options.wallClockMs ?? Date.now)() + ttlSeconds * 1000),
    ttlSeconds,
    leasedBlockIds: ids.filter((id) => !missing.has(id)),
    missingBlockIds: [...missing].map(String),
  };
}

export async function stats(core: PoolCore): Promise<PoolStats> {
  const stats = core.cache.stats(core.now());
  const tiers = await Promise.all(
    core.options.tiers.map(async (t, i) => {
      const c = stats.tiers[i];
      const counters = core.counters.get(t.name) as TierCounters;
      return {
        tier: t.name,
        capacityBytes: Number.isFinite(t.model.capacityBytes) ? t.model.capacityBytes : 0,
        usedBytes: c?.usedBytes ?? 0,
        numBlocks: c?.numBlocks ?? 0,
        numHits: c?.numHits ?? 0,
        ...counters,
        numChecksumFailures: (await t.store.stats()).numChecksumFailures,
        pacedBandwidthBytesPerSecond: t.paced ? t.model.bandwidthBytesPerSecond : 0,
        pacedLatencySeconds: t.paced ? t.model.latencySeconds : 0,
        read: { bandwidthBytesPerSecond: t.model.bandwidthBytesPerSecond, latencySeconds: t.model.latencySeconds },
      };
    }),
  );
  return {
    tiers,
    numActiveLeases: stats.numLeases,
    numLeasedBlocks: stats.numLeasedBlocks,
    numSessions: stats.numSessions,
    numLeaseExpiries: stats.counters.numLeaseExpiries,
    blockTokens: core.options.blockTokens,
    numMisses: stats.counters.numMisses,
  };
}

export async function evict(core: PoolCore, target: EvictTarget, onlyTier?: PoolTierId): Promise<EvictResult> {
  return core.mutex.run(async () => {
    const now = core.now();
    if ('blockIds' in target) {
      const ids = requireIds(target.blockIds, 'blockIds.ids', core.options.maxBlocksPerRequest);
      const { actions } = core.cache.evictKeys(ids, now);
      await core.runner.apply(actions);
      const evicted = actions.map((a) => String(a.key));
      return {
        evictedBlockIds: evicted,
        freedBytes: actions.reduce((sum, a) => sum + a.numBytes, 0),
        // Leased blocks (in leasedKeys) and absent ones are the ids not evicted.
        skippedBlockIds: ids.filter((id) => !evicted.includes(id)),
      };
    }
    const numBytes = requirePositive(target.freeBytes, 'freeBytes');
    const tier = onlyTier ?? lowestNonEmptyTier(core, now);
    if (tier !== undefined && !core.stores.has(tier)) {
      throw new OicfError('INVALID_ARGUMENT', `tier ${tier} is not configured in this pool`, { field: 'tier' });
    }
    if (tier === undefined) return { evictedBlockIds: [], freedBytes: 0, skippedBlockIds: [] };
    const { actions, freedBytes } = core.cache.evictBytes(numBytes, now, tier);
    await core.runner.apply(actions);
    return { evictedBlockIds: actions.map((a) => String(a.key)), freedBytes, skippedBlockIds: [] };
  });
}

function lowestNonEmptyTier(core: PoolCore, now: number): string | undefined {
  const stats = core.cache.stats(now);
  return [...stats.tiers].reverse().find((t) => t.numBlocks > 0)?.name;
}
