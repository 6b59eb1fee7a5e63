import { describe, expect, it } from 'vitest';
import { CachedPrefixBlocks } from './cached-prefix-blocks.js';

describe('CachedPrefixBlocks', () => {
  it('copies ⌊cached / 64⌋ ids from the previous call of the same model and makes the rest fresh', () => {
    const b = new CachedPrefixBlocks();
    b.beginSession();
    // 300 tokens = 4 full blocks + 44 → 5 fresh ids.
    expect(b.forCall('A', 300, 0)).toEqual([0, 1, 2, 3, 4]);
    // Another model has its own chain: 130 tokens → 3 fresh.
    expect(b.forCall('B', 130, 0)).toEqual([5, 6, 7]);
    // 400 tokens (7 blocks), 256 cached = 4 blocks copied from A's previous prompt, 3 fresh.
    expect(b.forCall('A', 400, 256)).toEqual([0, 1, 2, 3, 8, 9, 10]);
    // 200 cached = ⌊3.125⌋ = 3 blocks (the 8 extra tokens round away).
    expect(b.forCall('A', 256, 200)).toEqual([0, 1, 2, 11]);
    expect(b.numUnplacedCachedTokens).toBe(0);
  });

  it("takes a session's first cached tokens from the model-wide prefix, shared across sessions", () => {
    const b = new CachedPrefixBlocks(64);
    b.beginSession();
    // 128 cached = 2 blocks of model A's shared prefix (made now: ids 0, 1), then 2 fresh.
    expect(b.forCall('A', 200, 128)).toEqual([0, 1, 2, 3]);
    b.beginSession();
    // A new session: 192 cached = 3 prefix blocks: 0, 1 exist, 4 extends the prefix; then fresh 5.
    expect(b.forCall('A', 250, 192)).toEqual([0, 1, 4, 5]);
  });

  it('caps cached blocks at the reference prompt and counts the tokens it could not place', () => {
    const b = new CachedPrefixBlocks(64);
    b.beginSession();
    expect(b.forCall('A', 100, 0)).toEqual([0, 1]); // 1 full block
    // 320 cached = 5 blocks, but the previous prompt has 1 full block: 1 copied, 4 × 64 = 256 unplaced.
    expect(b.forCall('A', 400, 320)).toEqual([0, 2, 3, 4, 5, 6, 7]);
    expect([b.numUnplacedCachedTokens, b.numCallsWithUnplacedTokens]).toEqual([256, 1]);
  });
});
