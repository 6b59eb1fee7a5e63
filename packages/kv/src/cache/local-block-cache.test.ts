import { describe, expect, it } from 'vitest';
import { type CachedBlock, LocalBlockCache } from './local-block-cache.js';

function chain(prefix: string, n: number, bytes = 100): CachedBlock[] {
  return Array.from({ length: n }, (_, i) => ({
    blockId: `${prefix}${i}`,
    parentId: i === 0 ? '' : `${prefix}${i - 1}`,
    position: i,
    numTokens: 4,
    payload: new Uint8Array(bytes),
    checksum: 0,
  }));
}

describe('LocalBlockCache', () => {
  it('finds the longest held prefix of a chain', () => {
    const c = new LocalBlockCache();
    c.insertChain(chain('a', 3));
    expect(c.longestPrefix(['a0', 'a1', 'x2', 'a2']).map((b) => b.blockId)).toEqual(['a0', 'a1']);
    expect(c.longestPrefix(['x0'])).toEqual([]);
    expect([c.bytes, c.numBlocks]).toEqual([300, 3]);
  });

  it('evicts leaves before their parents, and least recently used chains first', () => {
    const c = new LocalBlockCache();
    c.insertChain(chain('a', 3)); // recency (old → new): a2, a1, a0
    c.insertChain(chain('b', 2)); // then b1, b0
    c.shrinkTo(400); // 500 → 400: drops a2, the deepest block of the older chain
    expect(c.has('a2')).toBe(false);
    expect(c.longestPrefix(['a0', 'a1']).map((b) => b.blockId)).toEqual(['a0', 'a1']); // a now newest
    expect(c.shrinkTo(200)).toBe(2); // b1 then b0 (b is now the older chain)
    expect([c.has('b0'), c.has('a0'), c.has('a1')]).toEqual([false, true, true]);
    expect(c.bytes).toBe(200);
  });

  it('re-inserting held blocks keeps one copy', () => {
    const c = new LocalBlockCache();
    c.insertChain(chain('a', 2));
    c.insertChain(chain('a', 3));
    expect([c.numBlocks, c.bytes]).toEqual([3, 300]);
    expect(c.shrinkTo(0)).toBe(3);
    expect(c.bytes).toBe(0);
  });
});
