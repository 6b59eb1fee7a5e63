import { describe, expect, it } from 'vitest';
import type { TierModel } from '../tiers/tier-model.js';
import { TieredBlockCache } from './tiered-block-cache.js';

const tier = (name: string, capacityBytes: number): TierModel => ({
  name,
  capacityBytes,
  bandwidthBytesPerSecond: 1e9,
  latencySeconds: 0,
});
const block = (key: string, position = 0) => ({ key, numBytes: 100, position });

/** dram and cxl, two 100-byte blocks each, LRU in both. */
function twoTiers(): TieredBlockCache {
  return new TieredBlockCache([
    { tier: tier('dram', 200), policy: { name: 'lru' } },
    { tier: tier('cxl', 200), policy: { name: 'lru' } },
  ]);
}

describe('TieredBlockCache placement and demotion', () => {
  it('places new blocks on top and demotes victims down, dropping from the bottom', () => {
    const c = twoTiers();
    expect(c.put(block('A'), 0)).toEqual({ ok: true, tier: 'dram', alreadyCached: false, actions: [] });
    c.put(block('B'), 1);
    // dram full (A, B): LRU victim A moves to cxl.
    expect(c.put(block('C'), 2).actions).toEqual([
      { kind: 'demote', key: 'A', fromTier: 'dram', toTier: 'cxl', numBytes: 100 },
    ]);
    c.put(block('D'), 3); // B → cxl; cxl now full (A, B)
    // E: dram victim C must go to cxl, whose LRU victim A is dropped first (executable order).
    expect(c.put(block('E'), 4).actions).toEqual([
      { kind: 'drop', key: 'A', fromTier: 'cxl', numBytes: 100 },
      { kind: 'demote', key: 'C', fromTier: 'dram', toTier: 'cxl', numBytes: 100 },
    ]);
    expect(['A', 'B', 'C', 'D', 'E'].map((k) => c.tierOf(k))).toEqual([undefined, 'cxl', 'cxl', 'dram', 'dram']);
    expect(c.lookup(['D', 'E', 'B', 'A', 'C'], 5)).toEqual({
      numCachedBlocks: 3,
      tiers: ['dram', 'dram', 'cxl'],
      numCachedBytes: 300,
    });
  });

  it('promotes a lower-tier hit to the top tier on access', () => {
    const c = twoTiers();
    for (const [i, k] of ['A', 'B', 'C', 'D', 'E'].entries()) c.put(block(k), i);
    // dram: D, E; cxl: B, C. Onboarding B needs a dram slot: D is demoted, which needs a cxl
    // slot: C is dropped (B is part of the access, so it is protected).
    const outcome = c.access(['B'], 5, { promote: true });
    expect(outcome).toEqual({
      numPrefixBlocks: 1,
      tiersBefore: ['cxl'],
      actions: [
        { kind: 'drop', key: 'C', fromTier: 'cxl', numBytes: 100 },
        { kind: 'demote', key: 'D', fromTier: 'dram', toTier: 'cxl', numBytes: 100 },
        { kind: 'promote', key: 'B', fromTier: 'cxl', toTier: 'dram', numBytes: 100 },
      ],
    });
    expect(['B', 'C', 'D', 'E'].map((k) => c.tierOf(k))).toEqual(['dram', undefined, 'cxl', 'dram']);
    const stats = c.stats();
    expect(stats.counters).toMatchObject({
      numHits: 1,
      numMisses: 0,
      numPromotions: 1,
      numDemotions: 4,
      numEvictions: 2,
    });
    expect(stats.tiers.map((t) => [t.name, t.usedBytes, t.numBlocks, t.numHits])).toEqual([
      ['dram', 200, 2, 0],
      ['cxl', 100, 1, 1],
    ]);
  });

  it('lookup does not count as a use; access does', () => {
    const c = new TieredBlockCache([{ tier: tier('dram', 200), policy: { name: 'lru' } }]);
    c.put(block('A'), 0);
    c.put(block('B'), 1);
    c.lookup(['A'], 2);
    expect(c.put(block('C'), 3).actions).toEqual([{ kind: 'drop', key: 'A', fromTier: 'dram', numBytes: 100 }]);
    c.access(['B', 'X'], 4);
    expect(c.put(block('D'), 5).actions).toEqual([{ kind: 'drop', key: 'C', fromTier: 'dram', numBytes: 100 }]);
    expect(c.stats().counters).toMatchObject({ numHits: 1, numMisses: 1 });
  });

  it('touches an already cached block instead of storing it twice', () => {
    const c = twoTiers();
    c.put(block('A'), 0);
    expect(c.put(block('A'), 1)).toEqual({ ok: true, tier: 'dram', alreadyCached: true, actions: [] });
    expect(c.stats().tiers[0]?.usedBytes).toBe(100);
  });

  it('refuses a block larger than every tier, as a value', () => {
    const c = twoTiers();
    const out = c.put({ key: 'huge', numBytes: 201, position: 0 }, 0);
    expect(out).toMatchObject({ ok: false, reason: 'too-large' });
  });

  it('rejects duplicate tier names and bad policies at construction', () => {
    expect(() => new TieredBlockCache([])).toThrow('tiers: at least one tier is required');
    expect(
      () =>
        new TieredBlockCache([
          { tier: tier('dram', 1), policy: { name: 'lru' } },
          { tier: tier('dram', 1), policy: { name: 'lru' } },
        ]),
    ).toThrow("tiers[1].tier.name: duplicate tier 'dram'");
    expect(() => new TieredBlockCache([{ tier: tier('dram', 1), policy: { name: 'nope' } }])).toThrow(
      /tiers\[0\].policy.name/,
    );
  });
});

describe('TieredBlockCache leases', () => {
  it('never evicts a leased block until the lease expires; expiry is counted', () => {
    const c = new TieredBlockCache([{ tier: tier('dram', 200), policy: { name: 'lru' } }]);
    c.put(block('A'), 0);
    c.put(block('B'), 0);
    expect(c.lease(['A', 'Z'], 10, 0)).toEqual({
      leaseId: 'lease-1',
      expiresAtSeconds: 10,
      numLeasedBlocks: 1,
      missingKeys: ['Z'],
    });
    // A is least recent but leased: B, then C, are evicted instead.
    expect(c.put(block('C'), 1).actions).toEqual([{ kind: 'drop', key: 'B', fromTier: 'dram', numBytes: 100 }]);
    expect(c.put(block('D'), 2).actions).toEqual([{ kind: 'drop', key: 'C', fromTier: 'dram', numBytes: 100 }]);
    expect(c.stats(9.9).counters.numLeaseExpiries).toBe(0);
    expect(c.hasLease('lease-1', 9.9)).toBe(true);
    // At t = 10 the lease has lapsed: A is the LRU victim again.
    expect(c.put(block('E'), 10).actions).toEqual([{ kind: 'drop', key: 'A', fromTier: 'dram', numBytes: 100 }]);
    expect(c.stats().counters.numLeaseExpiries).toBe(1);
    expect(c.release('lease-1', 11)).toBe(false);
    expect(c.hasLease('lease-1', 11)).toBe(false);
  });

  it('reports no-capacity when every candidate is leased, and recovers after release', () => {
    const c = new TieredBlockCache([{ tier: tier('dram', 200), policy: { name: 'lru' } }]);
    c.put(block('A'), 0);
    c.put(block('B'), 0);
    const { leaseId } = c.lease(['A', 'B'], 60, 0);
    expect(c.put(block('C'), 1)).toMatchObject({ ok: false, reason: 'no-capacity', actions: [] });
    expect(c.evictKeys(['A'], 1)).toEqual({ actions: [], leasedKeys: ['A'] });
    expect(c.release(leaseId, 2)).toBe(true);
    expect(c.put(block('C'), 3)).toMatchObject({ ok: true, tier: 'dram' });
    expect(c.stats().counters.numPlacementFailures).toBe(1);
  });

  it('does not promote a leased block (it is mid-handoff)', () => {
    const c = twoTiers();
    for (const [i, k] of ['A', 'B', 'C'].entries()) c.put(block(k), i); // A demoted to cxl
    c.lease(['A'], 5, 3);
    expect(c.access(['A'], 3, { promote: true }).actions).toEqual([]);
    expect(c.tierOf('A')).toBe('cxl');
  });
});

describe('TieredBlockCache agent-session retention', () => {
  it('keeps retained blocks while unpinned ones remain, then evicts them under pressure', () => {
    const c = new TieredBlockCache([{ tier: tier('dram', 300), policy: { name: 'lru' } }]);
    c.put(block('A'), 0, { sessionId: 's1', ttlSeconds: 100 });
    c.put(block('B'), 1);
    c.put(block('C'), 2);
    expect(c.put(block('D'), 3).actions).toEqual([{ kind: 'drop', key: 'B', fromTier: 'dram', numBytes: 100 }]);
    c.retainSession('s1', ['C', 'D'], 100, 4);
    // Everything is retained now: pressure evicts the LRU retained block, A.
    expect(c.put(block('E'), 5).actions).toEqual([{ kind: 'drop', key: 'A', fromTier: 'dram', numBytes: 100 }]);
  });

  it('demotes a retained block rather than dropping it when a lower tier has room', () => {
    const c = twoTiers();
    c.put(block('A'), 0, { sessionId: 's', ttlSeconds: 50 });
    c.put(block('B'), 1, { sessionId: 's', ttlSeconds: 50 });
    expect(c.put(block('C'), 2).actions).toEqual([
      { kind: 'demote', key: 'A', fromTier: 'dram', toTier: 'cxl', numBytes: 100 },
    ]);
  });

  it('lets the session lapse at its TTL and counts it', () => {
    const c = new TieredBlockCache([{ tier: tier('dram', 200), policy: { name: 'lru' } }]);
    c.put(block('A'), 0, { sessionId: 's', ttlSeconds: 30 });
    c.put(block('B'), 1);
    expect(c.isRetained('A')).toBe(true);
    c.lookup([], 30);
    expect(c.isRetained('A')).toBe(false);
    expect(c.stats().counters.numSessionExpiries).toBe(1);
    expect(c.put(block('C'), 31).actions).toEqual([{ kind: 'drop', key: 'A', fromTier: 'dram', numBytes: 100 }]);
  });
});

describe('TieredBlockCache explicit eviction', () => {
  it('evicts by bytes through the policy (demoting) and by key (dropping)', () => {
    const c = twoTiers();
    c.put(block('A'), 0);
    c.put(block('B'), 1);
    expect(c.evictBytes(150, 2)).toEqual({
      freedBytes: 200,
      actions: [
        { kind: 'demote', key: 'A', fromTier: 'dram', toTier: 'cxl', numBytes: 100 },
        { kind: 'demote', key: 'B', fromTier: 'dram', toTier: 'cxl', numBytes: 100 },
      ],
    });
    expect(c.evictKeys(['B', 'nope'], 3)).toEqual({
      actions: [{ kind: 'drop', key: 'B', fromTier: 'cxl', numBytes: 100 }],
      leasedKeys: [],
    });
    expect(() => c.evictBytes(1, 4, 'hbm')).toThrow("tier 'hbm' is unknown; valid: dram, cxl");
  });

  it('restores blocks into a named tier without evicting', () => {
    const c = twoTiers();
    expect(c.restore(block('A'), 'cxl', 0)).toBe(true);
    expect(c.restore(block('B'), 'cxl', 0)).toBe(true);
    expect(c.restore(block('C'), 'cxl', 0)).toBe(false); // cxl holds 200 bytes
    expect(c.restore(block('A'), 'dram', 0)).toBe(false); // already cached
    expect(c.restore(block('D'), 'hbm', 0)).toBe(false);
    expect(c.lookup(['A', 'B'], 0).tiers).toEqual(['cxl', 'cxl']);
  });

  it('forgets a block on remove (e.g. its bytes failed a checksum)', () => {
    const c = twoTiers();
    c.put(block('A'), 0);
    expect(c.remove('A')).toBe('dram');
    expect(c.remove('A')).toBeUndefined();
    expect(c.stats().tiers[0]).toMatchObject({ usedBytes: 0, numBlocks: 0 });
  });
});

describe('TieredBlockCache protection lasts one operation', () => {
  it('lets a later put evict the block an earlier promotion protected', () => {
    // dram holds one 100-byte block, cxl two. A, then B: A is demoted to cxl. Access A: it is promoted back to
    // dram (protected while room is made: B is demoted). Then C needs dram's one slot: A, protected only during
    // that access, is now the victim and is demoted to cxl (which holds B and A: full, nothing dropped).
    const c = new TieredBlockCache([
      { tier: tier('dram', 100), policy: { name: 'lru' } },
      { tier: tier('cxl', 200), policy: { name: 'lru' } },
    ]);
    c.put(block('A'), 0);
    c.put(block('B'), 1);
    expect(c.access(['A'], 2, { promote: true }).actions).toEqual([
      { kind: 'demote', key: 'B', fromTier: 'dram', toTier: 'cxl', numBytes: 100 },
      { kind: 'promote', key: 'A', fromTier: 'cxl', toTier: 'dram', numBytes: 100 },
    ]);
    expect(c.put(block('C'), 3)).toEqual({
      ok: true,
      tier: 'dram',
      alreadyCached: false,
      actions: [{ kind: 'demote', key: 'A', fromTier: 'dram', toTier: 'cxl', numBytes: 100 }],
    });
    expect(['A', 'B', 'C'].map((k) => c.tierOf(k))).toEqual(['cxl', 'cxl', 'dram']);
  });
});
