import { describe, expect, it } from 'vitest';
import { scaleBlocks } from './scale-blocks.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const req = (inputTokens: number, ids: number[], outputTokens = 343) => ({
  requestId: 'r',
  arrivalSeconds: 0,
  inputTokens,
  outputTokens,
  blockHashes: ids,
  blockTokens: 512,
});

describe('scaleBlocks', () => {
  it.each([
    // 12,035 tokens = 23 full blocks + 259; × 0.02: b' = round(10.24) = 10, last round(5.18) = 5 →
    // 23 × 10 + 5 = 235; output round(6.86) = 7.
    [
      'a Mooncake-mean request at × 0.02',
      req(12_035, range(24)),
      0.02,
      { inputTokens: 235, blockTokens: 10, outputTokens: 7 },
    ],
    // × 0.1: b' = round(51.2) = 51, last round(25.9) = 26 → 23 × 51 + 26 = 1199; output round(34.3) = 34.
    ['× 0.1', req(12_035, range(24)), 0.1, { inputTokens: 1199, blockTokens: 51, outputTokens: 34 }],
    // A full last block stays full: 1024 tokens, 2 blocks × round(256) = 512.
    ['× 0.5, full last block', req(1024, [0, 1], 10), 0.5, { inputTokens: 512, blockTokens: 256, outputTokens: 5 }],
    // Never below one token per block: × 0.001 → b' = max(1, round(0.512)) = 1, last 1 → 2 tokens.
    ['tiny factor', req(600, [4, 5], 1), 0.001, { inputTokens: 2, blockTokens: 1, outputTokens: 1 }],
    // Output apart: input × 0.02 as above, output 343 × 0.5 = round(171.5) = 172.
    [
      'output factor apart',
      req(12_035, range(24)),
      { input: 0.02, output: 0.5 },
      { inputTokens: 235, blockTokens: 10, outputTokens: 172 },
    ],
  ] as const)('%s', (_name, request, scale, expected) => {
    const got = scaleBlocks(request, scale);
    expect(got).toMatchObject(expected);
    // Same ids, and the count still equals ceil(input / blockTokens) (the TraceRequest invariant).
    expect(got.blockHashes).toEqual(request.blockHashes);
    expect(got.blockHashes?.length).toBe(Math.ceil(got.inputTokens / (got.blockTokens as number)));
  });

  it('requests sharing k leading blocks still share exactly k scaled blocks', () => {
    const a = scaleBlocks(req(5 * 512, [0, 1, 2, 3, 4]), 0.02);
    const b = scaleBlocks(req(5 * 512, [0, 1, 2, 8, 9]), 0.02);
    expect(a.blockHashes?.slice(0, 3)).toEqual(b.blockHashes?.slice(0, 3));
    expect(a.blockHashes?.[3]).not.toEqual(b.blockHashes?.[3]);
  });

  it('falls back to scaleTokens without block ids', () => {
    expect(scaleBlocks({ requestId: 'z', arrivalSeconds: 1, inputTokens: 10, outputTokens: 4 }, 0.5)).toEqual({
      requestId: 'z',
      arrivalSeconds: 1,
      inputTokens: 5,
      outputTokens: 2,
    });
  });
});
