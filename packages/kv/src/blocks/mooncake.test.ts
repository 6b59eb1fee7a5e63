import { describe, expect, it } from 'vitest';
import { chainBlockIds } from './block-chain.js';
import { blocksForMooncakeRequest, tokensForHashId } from './mooncake.js';

describe('tokensForHashId', () => {
  it('gives equal ids equal tokens, a number and its decimal string alike', () => {
    expect(tokensForHashId(7)).toEqual(tokensForHashId(7));
    expect(tokensForHashId(7)).toEqual(tokensForHashId('7'));
    expect(tokensForHashId(7)).toHaveLength(512);
  });

  it('gives different ids different tokens, within the vocabulary', () => {
    const a = tokensForHashId(1);
    const b = tokensForHashId(2);
    expect(a).not.toEqual(b);
    expect(Math.max(...a)).toBeLessThan(256);
    expect(Math.max(...tokensForHashId(1, 512, { vocabSize: 4 }))).toBeLessThan(4);
  });

  it('makes a shorter run a prefix of the longer one', () => {
    expect(tokensForHashId(9, 100)).toEqual(tokensForHashId(9, 512).subarray(0, 100));
  });

  it.each([-1, 1.5, '', Number.NaN])('rejects hash id %j', (bad) => {
    expect(() => tokensForHashId(bad as number)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('blocksForMooncakeRequest', () => {
  it('shares exactly the blocks covered by shared hash ids', () => {
    // A: ids [0,1,2], 1536 tokens → 24 blocks of 64. B: ids [0,1,5], 1300 tokens → 20 blocks
    // (1280 tokens) + 20 tail tokens. They share ids 0 and 1 = 1024 tokens = 16 blocks.
    const a = blocksForMooncakeRequest([0, 1, 2], 1536, 64);
    const b = blocksForMooncakeRequest([0, 1, 5], 1300, 64);
    expect(a.blockIds).toHaveLength(24);
    expect(b.blockIds).toHaveLength(20);
    expect(b.numTailTokens).toBe(20);
    expect(b.blockIds.slice(0, 16)).toEqual(a.blockIds.slice(0, 16));
    for (let k = 16; k < 20; k++) expect(b.blockIds[k]).not.toBe(a.blockIds[k]);
  });

  it('uses only the first tokens of a partial last Mooncake block', () => {
    // 1100 tokens: ids 0 and 1 full (1024) + 76 tokens of id 2; floor(1100/64) = 17 blocks,
    // all equal to the first 17 of the full request.
    const full = blocksForMooncakeRequest([0, 1, 2], 1536, 64);
    const part = blocksForMooncakeRequest([0, 1, 2], 1100, 64);
    expect(part.tokenIds).toEqual(full.tokenIds.subarray(0, 1100));
    expect(part.blockIds).toEqual(full.blockIds.slice(0, 17));
    expect(part.numTailTokens).toBe(1100 - 17 * 64);
  });

  it('chains ids over the concatenated synthetic tokens', () => {
    const r = blocksForMooncakeRequest([3, 4], 1024, 128);
    const tokens = [...tokensForHashId(3), ...tokensForHashId(4)];
    expect(r.blockIds).toEqual(chainBlockIds(tokens, { blockTokens: 128 }));
  });

  it('rejects a hash id count that does not match ceil(inputLength / 512)', () => {
    expect(() => blocksForMooncakeRequest([0, 1], 1025, 64)).toThrow(/needs ceil\(1025\/512\) = 3/);
  });
});
