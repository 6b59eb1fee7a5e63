import { describe, expect, it } from 'vitest';
import { reusablePrefixBlocks } from './reusable-prefix.js';

describe('reusablePrefixBlocks', () => {
  it.each([
    // [prompt tokens, block tokens, handoff tokens, reusable blocks]
    [12, 4, 0, 2], // 3 full blocks, but token 12 must be computed: ⌊11/4⌋ = 2
    [13, 4, 0, 3], // ⌊12/4⌋ = 3
    [1, 4, 0, 0],
    [0, 4, 0, 0], // never negative
    [100, 64, 0, 1], // ⌊99/64⌋
    [128, 64, 0, 1], // ⌊127/64⌋: the second block holds the last token
    [300, 4, 100, 50], // handoff of the last 100: ⌊200/4⌋
    [300, 4, 300, 0], // the whole prompt is handed off
    [13, 4, 1, 3], // ⌊12/4⌋, the same as local prefill when H = 1
  ])('%i prompt tokens, blocks of %i, %i handed off → %i', (p, b, h, want) => {
    expect(reusablePrefixBlocks(p, b, h)).toBe(want);
  });
});
