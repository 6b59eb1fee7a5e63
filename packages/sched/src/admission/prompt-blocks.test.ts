import { chainBlockIds } from '@oicf/kv';
import { describe, expect, it } from 'vitest';
import { extendedBlockIds, promptBlockIds } from './prompt-blocks.js';

describe('promptBlockIds', () => {
  const tokens = Array.from({ length: 10 }, (_, i) => i);
  it('gives one id per full block only: 10 tokens in blocks of 4 → 2 ids', () => {
    const ids = promptBlockIds(tokens, 4);
    expect(ids).toHaveLength(2);
    expect(ids).toEqual(chainBlockIds(tokens.slice(0, 8), { blockTokens: 4 }));
  });

  it('chains: a shared 4-token prefix shares the first id, a different one does not', () => {
    const a = promptBlockIds([1, 2, 3, 4, 5, 6, 7, 8], 4);
    const b = promptBlockIds([1, 2, 3, 4, 9, 9, 9, 9], 4);
    const c = promptBlockIds([0, 2, 3, 4, 5, 6, 7, 8], 4);
    expect(a[0]).toBe(b[0]);
    expect(a[1]).not.toBe(b[1]);
    expect(c[0]).not.toBe(a[0]);
    expect(c[1]).not.toBe(a[1]);
  });

  it('has no ids for a prompt shorter than one block', () => {
    expect(promptBlockIds([1, 2, 3], 4)).toEqual([]);
  });
});

describe('extendedBlockIds', () => {
  // Extending the prompt's chain must give exactly the ids of hashing prompt ‖ appended from scratch.
  // Cases (blocks of 4): appended tokens that complete no block, that complete the prompt's partial
  // block, that add whole blocks; prompts with no full block; nothing appended.
  const seq = (n: number, from: number) => Array.from({ length: n }, (_, i) => (from + i * 37) % 256);
  it.each([
    // [prompt tokens, appended tokens, expected number of ids = ⌊(p + a) / 4⌋]
    [8, 0, 2],
    [8, 3, 2],
    [10, 1, 2],
    [10, 2, 3],
    [10, 9, 4],
    [3, 0, 0],
    [3, 1, 1],
    [0, 9, 2],
    [12, 4, 4],
  ])('prompt %i + %i appended tokens → %i ids, as if hashed whole', (p, a, n) => {
    const prompt = seq(p, 1);
    const appended = seq(a, 200);
    const ids = extendedBlockIds(promptBlockIds(prompt, 4), prompt, appended, 4);
    expect(ids).toHaveLength(n);
    expect(ids).toEqual(promptBlockIds([...prompt, ...appended], 4));
  });
});
