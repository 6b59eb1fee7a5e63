import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSessionFixture, toJsonl } from '../testing/session-trace-fixture.js';
import { type SimulatedPolicy, simulatePrefixCache, simulatePrefixCacheDetailed } from './simulate-prefix-cache.js';

const fixtureText = readFileSync(new URL('../../fixtures/sessions-mini.jsonl', import.meta.url), 'utf8');
const fixture = fixtureText
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { hash_ids: number[] })
  .map((row) => ({ blockIds: row.hash_ids }));

/** An independent, deliberately naive LRU prefix cache (array scan) to cross-check against. */
function naiveLruHits(requests: readonly { blockIds: readonly number[] }[], capacity: number): number {
  const order: number[] = []; // least recent first
  let hits = 0;
  for (const { blockIds } of requests) {
    let k = 0;
    while (k < blockIds.length && order.includes(blockIds[k] as number)) k++;
    hits += k;
    for (const id of blockIds) {
      const at = order.indexOf(id);
      if (at >= 0) order.splice(at, 1);
      order.push(id);
      if (order.length > capacity) order.shift();
    }
  }
  return hits;
}

describe('simulatePrefixCache on a hand-worked stream', () => {
  // Requests [1,2,3], [1,2,4], [5], [1,2,3]; capacity 3 (see the derivations per policy):
  // - infinite: req2 hits 1,2; req4 hits 1,2,3 → 5/10.
  // - lru: req2 hits 2 → {1,2,4}; req3 evicts 1 → {2,4,5}; req4 starts with absent 1 → 2/10.
  // - lfu: req2 hits 2, counts 1:2 2:2 3:1, 4 evicts 3; req3's 5 evicts 4 (count 1);
  //   req4 hits 1,2 → 4/10.
  // - s3-fifo: small target 0.3 block, so S always evicts first; req2 hits 2 (1,2 get count 1
  //   < threshold 2), 4 evicts 1 to the ghost; 5 evicts 2; req4 starts with absent 1 → 2/10.
  // - oicf: leaves go first. req2 hits 2; 4 evicts leaf 3 (priority 1.039, the lowest leaf);
  //   5 evicts leaf 4 (2 and 1 have children); req4 hits 1,2 → 4/10.
  const stream = [{ blockIds: [1, 2, 3] }, { blockIds: [1, 2, 4] }, { blockIds: [5] }, { blockIds: [1, 2, 3] }];
  it.each<[SimulatedPolicy, number]>([
    ['infinite', 5],
    ['lru', 2],
    ['lfu', 4],
    ['s3-fifo', 2],
    ['oicf', 4],
  ])('%s hits %i of 10 blocks', (policy, numHitBlocks) => {
    expect(simulatePrefixCache(stream, { policy, capacityBlocks: 3 })).toEqual({
      numHitBlocks,
      numBlocks: 10,
      hitRatio: numHitBlocks / 10,
    });
  });
});

describe('simulatePrefixCache on the generated session fixture', () => {
  it('matches its generator (regenerate with packages/kv/scripts/gen-fixtures.ts)', () => {
    expect(fixtureText).toBe(toJsonl(generateSessionFixture()));
  });

  it('gives the hand-derived unlimited-cache reuse', () => {
    // S = 3, T = 4, b = 2: blocks = 3·(3+5+7+9) = 72; hits = 3·(1+3+5+7) − 1 = 47.
    expect(simulatePrefixCache(fixture, { policy: 'infinite' })).toEqual({
      numHitBlocks: 47,
      numBlocks: 72,
      hitRatio: 47 / 72,
    });
  });

  it('equals the unlimited cache once every distinct block fits (1 + 3·4·2 = 25 blocks)', () => {
    for (const policy of ['lru', 'lfu', 's3-fifo', 'oicf'] as const) {
      expect(simulatePrefixCache(fixture, { policy, capacityBlocks: 25 }).numHitBlocks).toBe(47);
    }
  });

  it('agrees with a naive LRU at every capacity', () => {
    for (let capacity = 1; capacity <= 26; capacity++) {
      expect([
        capacity,
        simulatePrefixCache(fixture, { policy: 'lru', capacityBlocks: capacity }).numHitBlocks,
      ]).toEqual([capacity, naiveLruHits(fixture, capacity)]);
    }
  });

  it('weights hits by recompute cost in the detailed result', () => {
    // Constant cost 2 s per block: saved/total equals the block hit ratio.
    const d = simulatePrefixCacheDetailed(fixture, { policy: 'infinite', recomputeSecondsForBlock: () => 2 });
    expect(d).toMatchObject({
      numRequests: 12,
      numEvictions: 0,
      savedRecomputeSeconds: 94,
      totalRecomputeSeconds: 144,
    });
    expect(d.savedRecomputeRatio).toBeCloseTo(47 / 72, 12);
  });

  it('rejects a missing capacity, an unknown policy and a non-array request', () => {
    expect(() => simulatePrefixCache(fixture, { policy: 'lru' })).toThrow(
      "options.capacityBlocks must be an integer ≥ 1 for policy 'lru', got undefined",
    );
    expect(() => simulatePrefixCache(fixture, { policy: 'fifo' as 'lru', capacityBlocks: 1 })).toThrow(
      "options.policy: unknown policy 'fifo'; valid: lru, lfu, s3-fifo, oicf, infinite",
    );
    expect(() => simulatePrefixCache([{ blockIds: 'abc' as unknown as number[] }], { policy: 'infinite' })).toThrow(
      'requests[0].blockIds must be an array, got "abc"',
    );
    expect(simulatePrefixCache([], { policy: 'infinite' })).toEqual({ numHitBlocks: 0, numBlocks: 0, hitRatio: 0 });
  });
});
