import { describe, expect, it } from 'vitest';
import {
  buildRouteRequest,
  catalogLinkPath,
  catalogTierPaths,
  type PoolBlock,
  protoTierOf,
  servedKvBytesPerToken,
  tierName,
  usablePoolBlocks,
} from './route-request.js';

const block = (i: number, tier = 'dram'): PoolBlock => ({
  blockId: `b${i}`,
  firstToken: 4 * i,
  numTokens: 4,
  tier,
  sizeBytes: 4 * 4096,
});

describe('servedKvBytesPerToken', () => {
  it.each([
    // 4 layers × 2 (K,V) × 2 kv heads × 64 × 4 B (fp32 KV)
    ['tiny-gqa', 'fp32', 4 * 2 * 2 * 64 * 4],
    // KV stays fp32 with int8 weights
    ['tiny-gqa', 'int8', 4096],
    // MHA: 8 kv heads → 4 × 2 × 8 × 64 × 4
    ['tiny-mha', 'fp32', 16_384],
  ] as const)('%s with %s weights → %i B/token', (model, precision, bytes) => {
    expect(servedKvBytesPerToken(model, precision)).toBe(bytes);
  });
});

describe('tierName', () => {
  it.each([
    ['TIER_DRAM', 'dram'],
    ['TIER_CXL', 'cxl'],
    ['TIER_OPTICAL_POOL', 'optical-pool'],
    ['TIER_DISK', 'disk'],
    ['TIER_UNSPECIFIED', 'dram'],
  ])('%s → %s', (proto, name) => expect(tierName(proto)).toBe(name));

  it.each(['TIER_DRAM', 'TIER_CXL', 'TIER_OPTICAL_POOL', 'TIER_DISK'])('%s round-trips', (proto) => {
    expect(protoTierOf(tierName(proto))).toBe(proto);
  });
});

describe('catalog paths', () => {
  it('has every pool tier and the handoff link, from the catalog figures', () => {
    const paths = catalogTierPaths();
    expect(Object.keys(paths).sort()).toEqual(['cxl', 'disk', 'dram', 'optical-pool']);
    // Catalog: host DRAM over PCIe 5.0 x16 = 63 GB/s; NVMe (Micron 9550) 14 GB/s; RDMA 400 Gb/s = 50 GB/s.
    expect(paths.dram?.bandwidthBytesPerSecond).toBe(63e9);
    expect(paths.disk?.bandwidthBytesPerSecond).toBe(14e9);
    expect(catalogLinkPath('rdma-400g').bandwidthBytesPerSecond).toBe(50e9);
  });
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
