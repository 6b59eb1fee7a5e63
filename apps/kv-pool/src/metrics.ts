import { createMetrics, KV_TRANSFER_SECONDS_BUCKETS, type OicfMetrics } from '@oicf/metrics';
import type { MetricsSource } from '@oicf/transport';
import type { KvPool } from './pool/kv-pool.js';
import type { PoolObserver } from './pool/pool-observer.js';

/**
 * The kv-pool's Prometheus series (`oicf_kvpool_<name>_<unit>`). Counters and histograms are fed
 * by the pool's observer as it works; occupancy gauges are refreshed from pool stats at scrape.
 */
export interface KvPoolMetrics {
  /** Every kv-pool series (what `source` renders); for tools that list the metrics. */
  readonly registry: OicfMetrics['registry'];
  readonly observer: PoolObserver;
  /** Counts a refused request or connection by error code (bad input, capacity). */
  rejected(code: string): void;
  /** Counts payload bytes by data path: through the shared-memory arena or inside WebSocket frames. */
  dataPath(path: 'shm' | 'ws', direction: 'in' | 'out', numBytes: number): void;
  /** The /metrics source for startService, reading occupancy from `pool` at each scrape. */
  source(pool: KvPool): MetricsSource;
}

export function createKvPoolMetrics(): KvPoolMetrics {
  const m = createMetrics({ component: 'kvpool', defaultMetrics: true });
  const used = m.gauge({
    name: 'tier_used',
    unit: 'bytes',
    help: 'Payload bytes held per tier.',
    labelNames: ['tier'],
  });
  const capacity = m.gauge({
    name: 'tier_capacity',
    unit: 'bytes',
    help: 'Configured capacity per tier.',
    labelNames: ['tier'],
  });
  const stored = m.gauge({ name: 'tier_stored', unit: 'blocks', help: 'Blocks held per tier.', labelNames: ['tier'] });
  const leased = m.gauge({ name: 'leased', unit: 'blocks', help: 'Blocks under at least one lease.' });
  const hits = m.counter({
    name: 'hit',
    unit: 'blocks',
    help: 'Blocks found (lookup with touch, get), by the tier that held them.',
    labelNames: ['tier'],
  });
  const misses = m.counter({ name: 'miss', unit: 'blocks', help: 'Blocks asked for by get and found in no tier.' });
  const queried = m.counter({
    name: 'prefix_queried',
    unit: 'blocks',
    help: "Prompt blocks asked for by requests' prefix-cache queries (the router's Lookup, once per routed prompt).",
  });
  const prefixHits = m.counter({
    name: 'prefix_hit',
    unit: 'blocks',
    help: 'Of the queried blocks, the leading ones the pool held, by tier (queried − hit = misses, a query that finds nothing included).',
    labelNames: ['tier'],
  });
  const promoted = m.counter({
    name: 'promoted',
    unit: 'blocks',
    help: 'Blocks moved up on a hit (onboard).',
    labelNames: ['from_tier', 'to_tier'],
  });
  const demoted = m.counter({
    name: 'demoted',
    unit: 'blocks',
    help: 'Blocks moved down under pressure (offload).',
    labelNames: ['from_tier', 'to_tier'],
  });
  const evicted = m.counter({
    name: 'evicted',
    unit: 'blocks',
    help: 'Blocks dropped from the pool, by tier.',
    labelNames: ['tier'],
  });
  const received = m.counter({ name: 'received', unit: 'bytes', help: 'Block payload bytes accepted by put.' });
  const sent = m.counter({ name: 'sent', unit: 'bytes', help: 'Block payload bytes sent by get.' });
  const moved = m.counter({
    name: 'moved',
    unit: 'bytes',
    help: 'Payload bytes moved between tiers.',
    labelNames: ['kind'],
  });
  const checksum = m.counter({
    name: 'checksum_failed',
    unit: 'blocks',
    help: 'Blocks that failed checksum or identity checks (where = receipt or the tier read), dropped and counted as misses.',
    labelNames: ['where'],
  });
  const expiries = m.counter({
    name: 'lease_expired',
    unit: 'requests',
    help: 'Leases that ended by TTL instead of Release.',
  });
  const rejected = m.counter({
    name: 'rejected',
    unit: 'requests',
    help: 'Requests or connections refused, by error code.',
    labelNames: ['code'],
  });
  const putSeconds = m.histogram({
    name: 'put_latency',
    unit: 'seconds',
    help: 'Put: arrival to stored.',
    buckets: KV_TRANSFER_SECONDS_BUCKETS,
  });
  const readSeconds = m.histogram({
    name: 'read_latency',
    unit: 'seconds',
    help: 'Get: lookup to block bytes read, by tier.',
    labelNames: ['tier'],
    buckets: KV_TRANSFER_SECONDS_BUCKETS,
  });
  const pathBytes = m.counter({
    name: 'data_path',
    unit: 'bytes',
    help: 'Payload bytes moved, by path (shm: shared arena; ws: in frames) and direction (in: put).',
    labelNames: ['path', 'direction'],
  });
  const arenaUsed = m.gauge({
    name: 'shm_arena_used',
    unit: 'bytes',
    help: 'Shared arena bytes in use: blocks, slots, evicted blocks still read (page-rounded).',
  });
  const arenaSlots = m.gauge({
    name: 'shm_slots',
    unit: 'bytes',
    help: 'Arena slot bytes handed to writers, not yet committed.',
  });
  const arenaRetained = m.gauge({
    name: 'shm_retained',
    unit: 'blocks',
    help: 'Arena blocks pinned by same-host readers.',
  });
  let reportedExpiries = 0;

  const observer: PoolObserver = {
    moved: (kind, from, to, numBytes) => {
      (kind === 'promote' ? promoted : demoted).inc({ from_tier: from, to_tier: to });
      moved.inc({ kind }, numBytes);
    },
    evicted: (tier) => evicted.inc({ tier }),
    hit: (tier) => hits.inc({ tier }),
    miss: () => misses.inc(),
    prefixQuery: (numBlocks, tiers) => {
      queried.inc(numBlocks);
      for (const tier of tiers) prefixHits.inc({ tier });
    },
    checksumFailed: (where) => checksum.inc({ where }),
    receivedBytes: (n) => received.inc(n),
    sentBytes: (n) => sent.inc(n),
    putSeconds: (s) => putSeconds.observe(s),
    readSeconds: (tier, s) => readSeconds.observe({ tier }, s),
  };

  return {
    registry: m.registry,
    observer,
    rejected: (code) => rejected.inc({ code }),
    dataPath: (path, direction, n) => pathBytes.inc({ path, direction }, n),
    source: (pool) => ({
      contentType: m.registry.contentType,
      metrics: async () => {
        const stats = await pool.stats();
        for (const t of stats.tiers) {
          const tier = t.tier ?? 'unknown';
          // Every configured tier's counters exist from the first scrape, at 0 until something happens.
          hits.inc({ tier }, 0);
          evicted.inc({ tier }, 0);
          used.set({ tier }, t.usedBytes);
          capacity.set({ tier }, t.capacityBytes);
          stored.set({ tier }, t.numBlocks);
        }
        leased.set(stats.numLeasedBlocks);
        const arena = pool.arena();
        if (arena !== undefined) {
          arenaUsed.set(arena.arenaUsedBytes);
          arenaSlots.set(arena.pendingSlotBytes);
          arenaRetained.set(arena.numRetained);
        }
        // Expiries are counted by the pure cache; the counter follows its monotonic total.
        expiries.inc(stats.numLeaseExpiries - reportedExpiries);
        reportedExpiries = stats.numLeaseExpiries;
        return m.registry.metrics();
      },
    }),
  };
}
