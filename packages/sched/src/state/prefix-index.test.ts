import { describe, expect, it } from 'vitest';
import { PrefixIndex } from './prefix-index.js';

describe('PrefixIndex', () => {
  it('counts leading blocks only: a gap ends the prefix', () => {
    const idx = new PrefixIndex();
    idx.record('d0', ['a', 'b', 'c']);
    expect(idx.leadingBlocks('d0', ['a', 'b', 'c', 'd'])).toBe(3);
    expect(idx.leadingBlocks('d0', ['a', 'x', 'c'])).toBe(1);
    expect(idx.leadingBlocks('d0', ['x', 'a'])).toBe(0);
    expect(idx.leadingBlocks('d1', ['a'])).toBe(0);
  });

  it('evicts the deepest blocks of the oldest chain first when over capacity', () => {
    const idx = new PrefixIndex();
    idx.setCapacity('d0', 4);
    idx.record('d0', ['a1', 'a2', 'a3']); // recency (old → new): a3 a2 a1
    idx.record('d0', ['b1', 'b2']); // a3 a2 a1 b2 b1 → 5 > 4: a3 goes
    expect(idx.numBlocks('d0')).toBe(4);
    expect(idx.leadingBlocks('d0', ['a1', 'a2', 'a3'])).toBe(2);
    expect(idx.leadingBlocks('d0', ['b1', 'b2'])).toBe(2);
    idx.setCapacity('d0', 1); // keeps only the most recent: b1
    expect(idx.leadingBlocks('d0', ['b1', 'b2'])).toBe(1);
    expect(idx.leadingBlocks('d0', ['a1'])).toBe(0);
  });

  it('refreshes a chain it sees again', () => {
    const idx = new PrefixIndex();
    idx.setCapacity('d0', 2);
    idx.record('d0', ['a']);
    idx.record('d0', ['b']);
    idx.record('d0', ['a']); // a is now most recent, so c evicts b
    idx.record('d0', ['c']);
    expect([idx.leadingBlocks('d0', ['a']), idx.leadingBlocks('d0', ['b']), idx.leadingBlocks('d0', ['c'])]).toEqual([
      1, 0, 1,
    ]);
  });

  it('reports per-worker prefixes and forgets a worker', () => {
    const idx = new PrefixIndex();
    idx.record('d0', ['a', 'b']);
    idx.record('d1', ['a']);
    idx.record('d2', ['z']);
    expect([...idx.leadingBlocksByWorker(['a', 'b'])]).toEqual([
      ['d0', 2],
      ['d1', 1],
    ]);
    idx.forget('d0');
    expect(idx.leadingBlocks('d0', ['a'])).toBe(0);
  });
});
