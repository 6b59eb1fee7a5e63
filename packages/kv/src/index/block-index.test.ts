import { describe, expect, it } from 'vitest';
import { BlockIndex } from './block-index.js';

function indexWith(blocks: Record<string, string>): BlockIndex {
  const index = new BlockIndex();
  for (const [key, tier] of Object.entries(blocks)) index.set(key, { tier, tierIndex: 0, numBytes: 10, position: 0 });
  return index;
}

describe('BlockIndex.longestPrefix', () => {
  it.each([
    ['all cached', ['a', 'b', 'c'], 3, ['dram', 'cxl', 'disk']],
    ['stops at the first gap even if later blocks are cached', ['a', 'x', 'c'], 1, ['dram']],
    ['first block missing → nothing', ['x', 'a'], 0, []],
    ['empty chain', [], 0, []],
  ])('%s', (_name, chain, numCachedBlocks, tiers) => {
    const index = indexWith({ a: 'dram', b: 'cxl', c: 'disk' });
    expect(index.longestPrefix(chain)).toEqual({ numCachedBlocks, tiers, numCachedBytes: 10 * numCachedBlocks });
  });
});
