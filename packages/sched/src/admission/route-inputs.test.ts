import type { PoolTierId } from '@oicf/core';
import { describe, expect, it } from 'vitest';
import { type PoolBlock, usablePoolBlocks } from './pool-prefix.js';
import { buildRouteRequest } from './route-inputs.js';

const block = (i: number, tier: PoolTierId = 'dram'): PoolBlock => ({
  blockId: `b${i}`,
  firstToken: 4 * i,
  numTokens: 4,
  tier,
  sizeBytes: 4 * 4096,
});

describe('usablePoolBlocks', () => {
  it.each([
    [12, 3, 2], // 12 tokens = 3 full blocks, but the last token must be computed: ⌊11/4⌋ = 2
    [13, 3, 3], // ⌊12/4⌋ = 3
    [13, 1, 1], // the pool holds only one
    [1, 3, 0],
  ])('%i prompt tokens, %i pool blocks → %i usable', (numPromptTokens, numPool, usable) => {
    const pool = { blocks: Array.from({ length: numPool }, (_, i) => block(i)) };
    expect(usablePoolBlocks(pool, numPromptTokens, 4)).toHaveLength(usable);
  });
});

describe('buildRouteRequest', () => {
  it('carries the prompt, the prefixes and the usable pool tiers', () => {
    const workerPrefixBlocks = new Map([['d0', 1]]);
    expect(
      buildRouteRequest({
        requestId: 'r',
        numPromptTokens: 12,
        maxOutputTokens: 5,
        blockIds: ['b0', 'b1', 'b2'],
        blockTokens: 4,
        kvBytesPerToken: 4096,
        sessionId: '',
        workerPrefixBlocks,
        pool: { blocks: [block(0), block(1, 'cxl'), block(2, 'disk')] },
      }),
    ).toEqual({
      requestId: 'r',
      numPromptTokens: 12,
      maxOutputTokens: 5,
      blockIds: ['b0', 'b1', 'b2'],
      blockTokens: 4,
      kvBytesPerToken: 4096,
      workerPrefixBlocks,
      poolPrefix: { numBlocks: 2, tierOfBlock: ['dram', 'cxl'] },
    });
  });
});
