import { describe, expect, it } from 'vitest';
import { requireTierModel, tierModelErrors, tierModelFromSpec, transferSeconds } from './tier-model.js';

describe('tier model', () => {
  it('transfer time is latency + bytes ÷ bandwidth', () => {
    // 64 KiB over 64 GB/s with 250 ns latency: 2.5e-7 + 65536 / 6.4e10 = 2.5e-7 + 1.024e-6.
    const cxl = { name: 'cxl', capacityBytes: 1e9, bandwidthBytesPerSecond: 64e9, latencySeconds: 250e-9 };
    expect(transferSeconds(cxl, 65_536)).toBeCloseTo(1.274e-6, 12);
    expect(transferSeconds(cxl, 0)).toBe(250e-9);
  });

  it('lists every bad field', () => {
    expect(
      tierModelErrors(
        { name: '', capacityBytes: -1, bandwidthBytesPerSecond: 0, latencySeconds: Number.NaN },
        'tiers[2]',
      ),
    ).toEqual([
      'tiers[2].name: must be a non-empty string',
      'tiers[2].capacityBytes: must be a non-negative integer or Infinity, got -1',
      'tiers[2].bandwidthBytesPerSecond: must be a number > 0, got 0',
      'tiers[2].latencySeconds: must be a finite number ≥ 0, got NaN',
    ]);
  });

  it('accepts an unbounded tier and copies only the model fields', () => {
    const spec = {
      name: 'disk',
      capacityBytes: Number.POSITIVE_INFINITY,
      bandwidthBytesPerSecond: 2e9,
      latencySeconds: 1e-4,
      source: 'x',
    };
    expect(requireTierModel(spec)).toEqual({
      name: 'disk',
      capacityBytes: Number.POSITIVE_INFINITY,
      bandwidthBytesPerSecond: 2e9,
      latencySeconds: 1e-4,
    });
    expect(() => requireTierModel(null)).toThrow('tier: must be an object, got null');
  });
});

describe('tierModelFromSpec', () => {
  it('takes bandwidth and latency from a catalog entry and lets the pool set name and capacity', () => {
    const spec = {
      id: 'cxl',
      displayName: 'CXL',
      source: 's',
      capacityBytes: 512e9,
      bandwidthBytesPerSecond: 64e9,
      latencySeconds: 2.5e-7,
    };
    expect(tierModelFromSpec(spec)).toEqual({
      name: 'cxl',
      capacityBytes: 512e9,
      bandwidthBytesPerSecond: 64e9,
      latencySeconds: 2.5e-7,
    });
    expect(tierModelFromSpec(spec, { name: 'cxl-0', capacityBytes: 1024 })).toMatchObject({
      name: 'cxl-0',
      capacityBytes: 1024,
    });
  });
});
