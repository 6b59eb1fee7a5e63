import { describe, expect, it } from 'vitest';
import { clusterConfigSchema } from './cluster-config.js';
import { poolServiceConfig } from './service-configs.js';

describe('poolServiceConfig tiers', () => {
  it('gives the kv-pool only the tiers with a capacity, and a data folder only to the tier stored as files', () => {
    const c = clusterConfigSchema.parse({
      pool: { tiers: { dram: { capacityBytes: 1000 }, cxl: { capacityBytes: 0 }, disk: { capacityBytes: 5000 } } },
    });
    expect(poolServiceConfig(c, '/tmp/oicf-kv').tiers).toEqual({
      dram: { capacityBytes: 1000 },
      disk: { capacityBytes: 5000, dataDir: '/tmp/oicf-kv' },
    });
  });

  it('keeps the default: 512 MiB of dram only', () => {
    expect(poolServiceConfig(clusterConfigSchema.parse({}), '/d').tiers).toEqual({
      dram: { capacityBytes: 512 * 1024 * 1024 },
    });
  });

  it('passes every tier when all have a capacity (cxl and opticalPool paced in memory, no data folder)', () => {
    const all = { capacityBytes: 7 };
    const c = clusterConfigSchema.parse({ pool: { tiers: { dram: all, cxl: all, opticalPool: all, disk: all } } });
    expect(poolServiceConfig(c, '/d').tiers).toEqual({
      dram: all,
      cxl: all,
      opticalPool: all,
      disk: { capacityBytes: 7, dataDir: '/d' },
    });
  });
});
