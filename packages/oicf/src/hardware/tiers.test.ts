import { describe, expect, it } from 'vitest';
import {
  getTier,
  isPoolTierId,
  POOL_TIER_IDS,
  POOL_TIERS,
  TIER_IDS,
  TIERS,
  tierFromProtoName,
  tierProtoName,
  tierSpec,
} from './tiers.js';

describe('tier identity', () => {
  it('spells each tier once per namespace: ids, wire names and config keys are unique', () => {
    for (const field of ['id', 'protoName', 'configKey'] as const) {
      const values = TIERS.map((t) => t[field]);
      expect(new Set(values).size, field).toBe(values.length);
    }
  });

  it('maps every tier to its wire enum name and back', () => {
    expect(TIERS.map((t) => [t.id, tierProtoName(t.id), t.configKey])).toEqual([
      ['hbm', 'TIER_HBM', 'hbm'],
      ['dram', 'TIER_DRAM', 'dram'],
      ['cxl', 'TIER_CXL', 'cxl'],
      ['optical-pool', 'TIER_OPTICAL_POOL', 'opticalPool'],
      ['disk', 'TIER_DISK', 'disk'],
    ]);
    for (const id of TIER_IDS) expect(tierFromProtoName(tierProtoName(id))).toBe(id);
    expect(tierFromProtoName('TIER_UNSPECIFIED')).toBeUndefined();
    expect(tierFromProtoName('TIER_TAPE')).toBeUndefined();
  });

  it('puts every tier but a worker HBM in the pool, nearest first', () => {
    expect(POOL_TIER_IDS).toEqual(['dram', 'cxl', 'optical-pool', 'disk']);
    expect(isPoolTierId('hbm')).toBe(false);
    expect(isPoolTierId('disk')).toBe(true);
    expect(POOL_TIERS.map((t) => [t.id, t.serving.store])).toEqual([
      ['dram', 'memory'],
      ['cxl', 'paced-memory'],
      ['optical-pool', 'paced-memory'],
      ['disk', 'files'],
    ]);
  });

  it('gives the pool disk tier the NVMe SSD figures (Micron 9550: 14.0 GB/s read, ~80 µs)', () => {
    const disk = tierSpec('disk');
    expect([disk.bandwidthBytesPerSecond, disk.latencySeconds]).toEqual([14e9, 8e-5]);
    expect(getTier('nvme').ok).toBe(false); // one spelling: the old catalog id is gone
  });
});
