import { describe, expect, it } from 'vitest';
import { catalogLinkPath, catalogTierPaths, protoTierOf, servedKvBytesPerToken, tierName } from './route-request.js';

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
