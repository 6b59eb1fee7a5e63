import { describe, expect, it } from 'vitest';
import { readTraceText } from '../readers/read-trace.js';
import { mooncakeSmall } from '../testing/fixtures.js';
import type { BlockHash, TraceRequest } from '../types.js';
import { computeReuseCeiling } from './reuse-ceiling.js';

const req = (
  id: string,
  arrivalSeconds: number,
  inputTokens: number,
  blockHashes: BlockHash[],
  blockTokens: number,
): TraceRequest => ({
  requestId: id,
  arrivalSeconds,
  inputTokens,
  outputTokens: 1,
  blockHashes,
  blockTokens,
});

function mooncake(): TraceRequest[] {
  const result = readTraceText(mooncakeSmall());
  if (!result.ok) throw result.error;
  return result.requests;
}

describe('computeReuseCeiling', () => {
  it('Mooncake fixture at its own 512-token blocks: 2,048 of 6,796 prompt tokens', () => {
    // Arrival order (ties in file order), U = ⌊(P−1)/512⌋ usable blocks, F = ⌊P/512⌋ cached after:
    //   [0,1]     P 1000  U 1: block 0 cold → 0;            caches 0 (block 1 is partial, never cached)
    //   [0,2,3]   P 1100  U 2: 0 hit, 2 cold → 512;         caches 2
    //   [0,1,4]   P 1536  U 2: 0 hit, 1 cold → 512;         caches 1, 4
    //   [0]       P 512   U 0: one token must be computed → 0
    //   [0,2,3,5] P 2048  U 3: 0, 2 hit, 3 cold → 1,024;    caches 3, 5
    //   [6,7]     P 600   U 1: 6 cold → 0
    // Σ served 2,048, Σ P = 1000 + 1100 + 1536 + 512 + 2048 + 600 = 6,796.
    expect(computeReuseCeiling(mooncake(), 512)).toEqual({
      available: true,
      blockTokens: 512,
      traceBlockTokens: 512,
      numPromptTokens: 6796,
      numServedTokens: 2048,
      ratio: 2048 / 6796,
    });
  });

  // X = 30 tokens [A B C], Y = 25 tokens [A B D] in 10-token trace blocks: Y shares exactly 20 tokens with X.
  const X = req('x', 0, 30, ['A', 'B', 'C'], 10);
  const Y = req('y', 1, 25, ['A', 'B', 'D'], 10);
  it.each([
    // b = 10 (the trace's): Y's U = ⌊24/10⌋ = 2 blocks A, B hit → 20.
    [10, 20],
    // b = 4: Y's blocks end at tokens 3, 7, 11, 15, 19 (inside A and B) and 23 (inside D): 5 hit → 20.
    [4, 20],
    // b = 8: blocks end at 7 (A), 15 (B), 23 (D): the third mixes B's tail with D, so it misses → 16.
    [8, 16],
    // b = 30: Y has no usable block (⌊24/30⌋ = 0) → 0.
    [30, 0],
  ])('cross-granularity: at %i-token cache blocks Y is served %i of its 25 tokens', (b, served) => {
    const got = computeReuseCeiling([Y, X], b);
    // X arrives first (arrival order, not input order) and is never served; Σ P = 55.
    expect(got).toMatchObject({ available: true, blockTokens: b, numPromptTokens: 55, numServedTokens: served });
  });

  it('leaves at least one prompt token to compute, for number and string ids alike', () => {
    // The same 8-token prompt twice at b = 4: the second may use ⌊7/4⌋ = 1 block, not 2 → 4 of 16.
    for (const ids of [
      [3, 4],
      ['p', 'q'],
    ]) {
      const got = computeReuseCeiling([req('a', 0, 8, ids, 4), req('b', 1, 8, ids, 4)], 4);
      expect(got).toMatchObject({ numServedTokens: 4, numPromptTokens: 16, ratio: 0.25 });
    }
  });

  it('is n/a without block ids or with mixed block sizes, and rejects a bad block size', () => {
    expect(computeReuseCeiling([], 4)).toEqual({ available: false, reason: 'no requests' });
    expect(computeReuseCeiling([{ requestId: 'a', arrivalSeconds: 0, inputTokens: 5, outputTokens: 1 }], 4)).toEqual({
      available: false,
      reason: 'no prefix information',
    });
    expect(computeReuseCeiling([req('a', 0, 8, [1, 2], 4), req('b', 0, 8, [1], 8)], 4)).toEqual({
      available: false,
      reason: 'mixed block sizes (4 and 8 tokens)',
    });
    expect(() => computeReuseCeiling(mooncake(), 0)).toThrow(/blockTokens must be an integer ≥ 1, got 0/);
  });
});
