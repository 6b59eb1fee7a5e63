import { POOL_TIER_IDS } from '@oicf/core';
import { describe, expect, it } from 'vitest';
import { catalogLinkPath, catalogPoolTierPaths, servedKvBytesPerToken } from './catalog-priors.js';

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

describe('catalog paths', () => {
  it('has every pool tier of the owner module and the handoff link, from the catalog figures', () => {
    const paths = catalogPoolTierPaths();
    expect(Object.keys(paths)).toEqual([...POOL_TIER_IDS]);
    // Catalog: host DRAM over PCIe 5.0 x16 = 63 GB/s, 2 µs; NVMe (Micron 9550) 14 GB/s, 80 µs; RDMA 400 Gb/s = 50 GB/s.
    expect(paths.dram).toEqual({ bandwidthBytesPerSecond: 63e9, latencySeconds: 2e-6 });
    expect(paths.disk).toEqual({ bandwidthBytesPerSecond: 14e9, latencySeconds: 8e-5 });
    expect(catalogLinkPath('rdma-400g').bandwidthBytesPerSecond).toBe(50e9);
  });

  it('throws for a link the catalog does not have', () => {
    expect(() => catalogLinkPath('carrier-pigeon')).toThrow(/carrier-pigeon/);
  });
});
