import { describe, expect, it } from 'vitest';
import { blockIdFor, chainBlockIds, isBlockId, ROOT_BLOCK_ID, rootBlockId } from './block-chain.js';

const seq = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => (i * 7 + offset) % 300);

describe('chainBlockIds', () => {
  it('is deterministic and yields 32-hex ids, one per full block', () => {
    const a = chainBlockIds(seq(200), { blockTokens: 64 });
    expect(a).toEqual(chainBlockIds(seq(200), { blockTokens: 64 }));
    // 200 tokens = 3 full blocks of 64 (192 tokens) + 8 tokens that get no id.
    expect(a).toHaveLength(3);
    expect(a.every(isBlockId)).toBe(true);
    expect(new Set(a).size).toBe(3);
  });

  it('defaults to 64-token blocks', () => {
    expect(chainBlockIds(seq(128))).toEqual(chainBlockIds(seq(128), { blockTokens: 64 }));
    expect(chainBlockIds(seq(63))).toEqual([]);
  });

  it('shares ids over a shared prefix and diverges from the block holding the first differing token', () => {
    const base = seq(64 * 5);
    const other = base.slice();
    other[64 * 2 + 10] = 299 - (other[64 * 2 + 10] as number); // token 138 differs, inside block 2
    const a = chainBlockIds(base);
    const b = chainBlockIds(other);
    expect(b.slice(0, 2)).toEqual(a.slice(0, 2));
    // Block 2 differs, and so does every later block even though their tokens are equal.
    for (let k = 2; k < 5; k++) expect(b[k]).not.toBe(a[k]);
  });

  it('makes equal blocks at different depths different ids (an id covers its prefix)', () => {
    const block = seq(64);
    const ids = chainBlockIds([...block, ...block]);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('extends a chain from parentId exactly as hashing the whole sequence', () => {
    const tokens = seq(64 * 4);
    const whole = chainBlockIds(tokens);
    const tail = chainBlockIds(tokens.slice(128), { parentId: whole[1] as string });
    expect(tail).toEqual(whole.slice(2));
    expect(blockIdFor(ROOT_BLOCK_ID, tokens.slice(0, 64))).toBe(whole[0]);
  });

  it('keeps namespaces apart', () => {
    expect(rootBlockId('')).toBe(ROOT_BLOCK_ID);
    expect(rootBlockId('llama-3-8b')).not.toBe(ROOT_BLOCK_ID);
    expect(chainBlockIds(seq(64), { namespace: 'a' })).not.toEqual(chainBlockIds(seq(64), { namespace: 'b' }));
  });

  it.each([
    [[1, -1], 'tokenIds[1]'],
    [[1, 2.5], 'tokenIds[1]'],
    [[0x1_0000_0000], 'tokenIds[0]'],
  ])('rejects bad token %j naming %s', (tokens, field) => {
    expect(() => chainBlockIds(tokens, { blockTokens: tokens.length })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', field }),
    );
  });

  it('rejects a bad block size and a malformed parent id', () => {
    expect(() => chainBlockIds(seq(10), { blockTokens: 0 })).toThrow(/options.blockTokens/);
    expect(() => chainBlockIds(seq(10), { parentId: 'nope' })).toThrow(/options.parentId/);
  });
});
