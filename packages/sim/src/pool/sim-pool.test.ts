import { describe, expect, it } from 'vitest';
import { SimPool } from './sim-pool.js';

// Blocks of 4 tokens × 1,000 B = 4 kB: dram holds 2 blocks, disk 10.
const pool = () =>
  new SimPool(
    {
      tiers: [
        { id: 'dram', capacityBytes: 8000, bandwidthBytesPerSecond: 1e9, latencySeconds: 0, paced: false },
        { id: 'disk', capacityBytes: 40_000, bandwidthBytesPerSecond: 1e8, latencySeconds: 0.001, paced: false },
      ],
      policy: 'lru',
      recompute: { modelId: 'llama-3-8b', deviceId: 'h100', precision: 'bf16' },
      maxLeaseTtlSeconds: 60,
      link: undefined,
    },
    4,
    1000,
  );
const chain = (ids: string[]) =>
  ids.map((blockId, i) => ({ blockId, parentId: i === 0 ? '' : (ids[i - 1] as string), numTokens: 4 }));

describe('SimPool', () => {
  it('places blocks as the kv-pool does: nearest tier, LRU demotion, lookups with tiers and token offsets', () => {
    const p = pool();
    for (const b of chain(['a', 'b', 'c'])) expect(p.put(b, undefined, 0).ok).toBe(true);
    // dram holds 2: 'a' (least recent) was demoted to disk.
    expect(p.lookup(['a', 'b', 'c', 'x'], 1)).toEqual([
      { blockId: 'a', firstToken: 0, numTokens: 4, tier: 'disk', sizeBytes: 4000 },
      { blockId: 'b', firstToken: 4, numTokens: 4, tier: 'dram', sizeBytes: 4000 },
      { blockId: 'c', firstToken: 8, numTokens: 4, tier: 'dram', sizeBytes: 4000 },
    ]);
    expect(p.put(chain(['a'])[0] as never, undefined, 1)).toEqual({ ok: true, tier: 'disk' });
    expect(p.counters.numAlreadyPresent).toBe(1);
  });

  it('a get reports the tier it read from and promotes the hit, unless leased; a lapsed lease fails it', () => {
    const p = pool();
    for (const b of chain(['a', 'b', 'c'])) p.put(b, undefined, 0);
    const lease = p.lease(['a', 'b', 'zz'], 30, 1);
    expect(lease.leased).toEqual(['a', 'b']);
    expect(p.get(['a', 'zz', 'b'], lease.leaseId, 2).map((g) => [g.blockId, g.readFromTier])).toEqual([
      ['a', 'disk'],
      ['b', 'dram'],
    ]);
    // A leased block never moves: 'a' is still on disk.
    expect(p.lookup(['a'], 3)[0]?.tier).toBe('disk');
    p.release(lease.leaseId, 3);
    // Read again without a lease: promoted to dram.
    expect(p.get(['a'], '', 4)[0]?.readFromTier).toBe('disk');
    expect(p.lookup(['a'], 5)[0]?.tier).toBe('dram');
    // A lease lapses after its TTL: a get under it finds nothing.
    const short = p.lease(['b'], 30, 10);
    expect(p.get(['b'], short.leaseId, 50)).toEqual([]);
  });

  it('retains a session’s blocks against eviction until its TTL lapses', () => {
    const p = pool();
    p.put(chain(['s1'])[0] as never, { sessionId: 'sess', ttlSeconds: 100 }, 0);
    // Three more blocks through dram (2 blocks): the unretained ones go first.
    for (const id of ['x', 'y', 'z']) p.put({ blockId: id, parentId: '', numTokens: 4 }, undefined, 1);
    expect(p.lookup(['s1'], 2)[0]?.tier).toBe('dram');
  });
});
