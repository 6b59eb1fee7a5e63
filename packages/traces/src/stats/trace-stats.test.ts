import { describe, expect, it } from 'vitest';
import { readTraceText } from '../readers/read-trace.js';
import { agentSmall, azureSmall, mooncakeSmall } from '../testing/fixtures.js';
import type { TraceRequest } from '../types.js';
import { computeTraceStats } from './trace-stats.js';

function read(text: string): TraceRequest[] {
  const result = readTraceText(text);
  if (!result.ok) throw result.error;
  return result.requests;
}

describe('computeTraceStats', () => {
  it('Mooncake fixture: counts, rate, burstiness, lengths and reuse ceilings', () => {
    const stats = computeTraceStats(read(mooncakeSmall()), { lruCapacityBlocks: 3 });
    // Arrivals 0, 0, 3, 3, 6, 9 s → duration 9 s, rate 6/9; gaps 0,3,0,3,3 → CV √2.16/1.8.
    expect(stats.numRequests).toBe(6);
    expect(stats.numSessions).toBe(0);
    expect(stats.durationSeconds).toBe(9);
    expect(stats.requestsPerSecond).toBeCloseTo(6 / 9, 12);
    expect(stats.interArrivalCv).toBeCloseTo(Math.sqrt(2.16) / 1.8, 12);
    // Inputs sorted 512, 600, 1000, 1100, 1536, 2048 (nearest rank: p50 = 3rd, p90 = p99 = 6th).
    expect(stats.inputTokens).toEqual({
      count: 6,
      mean: 6796 / 6,
      min: 512,
      p50: 1000,
      p90: 2048,
      p99: 2048,
      max: 2048,
    });
    // Outputs sorted 1, 5, 10, 20, 30, 40.
    expect(stats.outputTokens).toEqual({ count: 6, mean: 106 / 6, min: 1, p50: 10, p90: 40, p99: 40, max: 40 });
    // Infinite cache: 7 of 15 blocks (derivation in testing/fixtures.ts). LRU of 3 blocks, touching
    // each request's blocks in order after the lookup (LRU → MRU lists):
    //   [0,1]     hits 0  → [0,1]
    //   [0,2,3]   hits 1  → [1,0] +2 → [1,0,2] +3 evicts 1 → [0,2,3]
    //   [0,1,4]   hits 1  → [2,3,0] +1 evicts 2 → [3,0,1] +4 evicts 3 → [0,1,4]
    //   [0]       hits 1  → [1,4,0]
    //   [0,2,3,5] hits 1  → +2 evicts 1, +3 evicts 4, +5 evicts 0 → [2,3,5]
    //   [6,7]     hits 0
    // → 4 of 15.
    expect(stats.prefixReuse).toEqual({
      available: true,
      blockTokens: 512,
      numBlocks: 15,
      infinite: { numHitBlocks: 7, hitRatio: 7 / 15 },
      lru: { capacityBlocks: 3, numHitBlocks: 4, hitRatio: 4 / 15 },
    });
  });

  it('native fixture: sessions and block reuse (5 of 15 blocks, derived in testing/fixtures.ts)', () => {
    const stats = computeTraceStats(read(agentSmall()));
    expect(stats.numSessions).toBe(2);
    expect(stats.durationSeconds).toBe(6);
    expect(stats.prefixReuse).toMatchObject({
      available: true,
      blockTokens: 4,
      numBlocks: 15,
      infinite: { numHitBlocks: 5 },
      // 10,000 blocks hold all 10 distinct ids: LRU equals the ceiling.
      lru: { capacityBlocks: 10_000, numHitBlocks: 5 },
    });
  });

  it('reuse is computed in arrival order (ties in input order), whatever the input order', () => {
    const requests = read(mooncakeSmall());
    const forward = computeTraceStats(requests, { lruCapacityBlocks: 3 });
    // Rotate the later requests to the front; the two same-time pairs keep their order.
    const rotated = computeTraceStats([...requests.slice(4), ...requests.slice(0, 4)], { lruCapacityBlocks: 3 });
    expect(rotated.prefixReuse).toEqual(forward.prefixReuse);
  });

  it('Azure: reuse is n/a for lack of prefix information', () => {
    const stats = computeTraceStats(read(azureSmall()));
    expect(stats.prefixReuse).toEqual({ available: false, reason: 'no prefix information' });
    // Arrivals 0, 0.2, 0.2, 1.5, 3.0 → duration 3 s.
    expect(stats.durationSeconds).toBeCloseTo(3, 9);
  });

  it('an empty trace and a single request have no rate or burstiness', () => {
    expect(computeTraceStats([])).toMatchObject({
      numRequests: 0,
      durationSeconds: 0,
      requestsPerSecond: undefined,
      interArrivalCv: undefined,
      inputTokens: undefined,
      prefixReuse: { available: false, reason: 'no requests' },
    });
    const one = computeTraceStats([{ requestId: 'x', arrivalSeconds: 4, inputTokens: 3, outputTokens: 1 }]);
    expect([one.durationSeconds, one.requestsPerSecond, one.interArrivalCv]).toEqual([0, undefined, undefined]);
  });

  it.each([0, 2.5, -1])('rejects lruCapacityBlocks %f', (capacity) => {
    expect(() => computeTraceStats([], { lruCapacityBlocks: capacity })).toThrow(
      /lruCapacityBlocks must be an integer ≥ 1/,
    );
  });
});
