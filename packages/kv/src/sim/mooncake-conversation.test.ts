import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulatePrefixCache, simulatePrefixCacheDetailed } from './simulate-prefix-cache.js';

/**
 * Policies on the real Mooncake FAST'25 conversation trace (shared/traces, see its README):
 * hash_ids used directly as 512-token blocks, requests in timestamp order, a block is a hit
 * when it is part of the request's cached prefix. Skipped when the shared trace is absent.
 */
const TRACE = new URL('../../../../../shared/traces/mooncake-fast25/conversation_trace.jsonl', import.meta.url);
const present = existsSync(TRACE);
if (!present) console.warn(`skipping Mooncake trace tests: ${TRACE.pathname} not found`);

function loadRequests() {
  return readFileSync(TRACE, 'utf8')
    .trim()
    .split('\n')
    .map((line, i) => ({ row: JSON.parse(line) as { timestamp: number; hash_ids: number[] }, i }))
    .sort((a, b) => a.row.timestamp - b.row.timestamp || a.i - b.i)
    .map(({ row }) => ({ blockIds: row.hash_ids, arrivalSeconds: row.timestamp / 1000 }));
}

describe.skipIf(!present)('prefix cache on the Mooncake conversation trace', () => {
  const requests = present ? loadRequests() : [];
  const unlimited = present ? simulatePrefixCache(requests, { policy: 'infinite' }) : undefined;

  it('has an unlimited-cache reuse ceiling of 105,710 / 288,500 blocks', () => {
    const r = unlimited as NonNullable<typeof unlimited>;
    // Counted independently of this code (a ten-line Python pass over the file): per request in file order,
    // the leading run of hash_ids already seen in earlier requests is its cached prefix; Σ len(hash_ids)
    // over the 12,031 requests is 288,500 and Σ leading runs is 105,710 (ratio 0.3664).
    expect({ numBlocks: r.numBlocks, numHitBlocks: r.numHitBlocks }).toEqual({
      numBlocks: 288_500,
      numHitBlocks: 105_710,
    });
    expect(r.hitRatio).toBeCloseTo(105_710 / 288_500, 12);
  });

  it('gives LRU with 10,000 blocks a hit ratio between 0.19 and 0.23, growing with capacity', () => {
    const small = simulatePrefixCache(requests, { policy: 'lru', capacityBlocks: 10_000 }).hitRatio;
    expect(small).toBeGreaterThan(0.19);
    expect(small).toBeLessThan(0.23);
    // LRU is a stack algorithm: a smaller cache always holds a subset of a larger one, so
    // prefix hits can only grow with capacity.
    expect(simulatePrefixCache(requests, { policy: 'lru', capacityBlocks: 30_000 }).hitRatio).toBeGreaterThanOrEqual(
      small,
    );
  });

  it.each(['s3-fifo', 'lfu', 'oicf'] as const)('keeps %s between 0 and the unlimited ceiling', (policy) => {
    // A finite cache holds a subset of every block seen so far, so its cached prefix can
    // never be longer than the unlimited cache's: hit ratio ≤ ceiling (0.3664).
    const ceiling = (unlimited as NonNullable<typeof unlimited>).hitRatio;
    const r = simulatePrefixCacheDetailed(requests, { policy, capacityBlocks: 10_000 });
    expect(r.hitRatio).toBeGreaterThan(0);
    expect(r.hitRatio).toBeLessThanOrEqual(ceiling);
    expect(r.savedRecomputeRatio).toBeGreaterThan(0);
  });
});
