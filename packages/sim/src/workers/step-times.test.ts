import { describe, expect, it } from 'vitest';
import { chunkShares, PREFILL_CHUNK_TOKENS } from './step-times.js';

describe('chunkShares (a prefill’s kernel calls, by their share of its new tokens)', () => {
  it.each([
    // One call up to 1,024 tokens (KernelRunner's default prefillChunkTokens).
    [10, [1]],
    [1024, [1]],
    // 1,025 = 1,024 + 1; 2,048 = two halves; 2,560 = 1,024 + 1,024 + 512, i.e. 0.4, 0.4, 0.2.
    [1025, [1024 / 1025, 1 / 1025]],
    [2048, [0.5, 0.5]],
    [2560, [0.4, 0.4, 0.2]],
  ])('%i new tokens → %j', (n, shares) => {
    expect(PREFILL_CHUNK_TOKENS).toBe(1024);
    const got = chunkShares(n);
    expect(got).toHaveLength(shares.length);
    for (const [i, s] of got.entries()) expect(s).toBeCloseTo(shares[i] as number, 12);
  });
});
