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

  it('describes the scaled trace: lengths, outputs that became 1, ceilings at the scaled and the cluster block size', () => {
    const stats = computeTraceStats(read(mooncakeSmall()), {
      scaled: { scaling: { input: 0.02, output: 0.1 }, blockTokens: 16 },
    });
    // The unscaled ceiling stays at the trace's 512-token blocks (reuse-ceiling.test.ts): 2,048 / 6,796.
    expect(stats.reuseCeiling).toMatchObject({ blockTokens: 512, numServedTokens: 2048, numPromptTokens: 6796 });
    const scaled = stats.scaled;
    if (scaled === undefined) throw new Error('expected scaled stats');
    // × 0.02 keeps every block at b' = round(10.24) = 10 tokens; the last block scales apart:
    //   [0,1] 1000 → 10 + round(9.76) = 20    [0,2,3] 1100 → 20 + round(1.52) = 22   [0,1,4] 1536 → 30
    //   [0] 512 → 10    [0,2,3,5] 2048 → 40    [6,7] 600 → 10 + round(1.76) = 12;  Σ = 134.
    expect(scaled.inputTokens).toMatchObject({ count: 6, mean: 134 / 6, min: 10, max: 40 });
    // Outputs × 0.1: 1, 2, 3, 1, 4, 1; the 10 and the 5 became 1 (the 1 was 1 already).
    expect(scaled.numOutputsBecameOne).toBe(2);
    // At the scaled 10-token blocks (U = ⌊(P−1)/10⌋ usable, F = ⌊P/10⌋ cached after; the 488-token
    // partial block of [0,1] rounds up to a full 10-token block, so it is cached):
    //   [0,1] 20: 0 → caches 0,1   [0,2,3] 22: 0 hit, 2 cold → 10   [0,1,4] 30: 0,1 hit → 20
    //   [0] 10: U 0 → 0   [0,2,3,5] 40: 0,2 hit, 3 (2 tokens in [0,2,3], never cached) cold → 20   [6,7] 12: 0
    // → 50 / 134.
    expect(scaled.ceilingAtTraceBlocks).toMatchObject({ blockTokens: 10, numServedTokens: 50, numPromptTokens: 134 });
    // At 16-token cluster blocks a block hits only if all 16 tokens are shared. Block 0 ends at token 15
    // (offset 5 of trace block 1), block 1 at 31 (offset 1 of trace block 3):
    //   [0,1] 20: U 1, (1,5) cold   [0,2,3] 22: U 1, (2,5) cold   [0,1,4] 30: U 1, (1,5) hit → 16
    //   [0] 10: U 0   [0,2,3,5] 40: U 2, (2,5) hit, (5,1) cold → 16   [6,7] 12: U 0
    // → 32 / 134, below the 50 at 10-token blocks.
    expect(scaled.ceilingAtBlockTokens).toMatchObject({ blockTokens: 16, numServedTokens: 32, numPromptTokens: 134 });
  });

  it.each([0, 2.5, -1])('rejects lruCapacityBlocks %f', (capacity) => {
    expect(() => computeTraceStats([], { lruCapacityBlocks: capacity })).toThrow(
      /lruCapacityBlocks must be an integer ≥ 1/,
    );
  });
});
