import { describe, expect, it } from 'vitest';
import { unwrap } from '../errors.js';
import { computePrecision, peakFlopsPerSecond, ridgeFlopsPerByte } from './device-peak.js';
import { DEVICE_IDS, getDevice } from './devices.js';
import { getLink } from './links.js';
import { thisMachineDevice } from './this-machine.js';
import { getTier, TIER_IDS } from './tiers.js';

const device = (id: string) => unwrap(getDevice(id));

describe('device peaks and ridge', () => {
  it('puts the H100 ridge at 989.4e12 / 3.35e12 ≈ 295 FLOP/byte', () => {
    expect(ridgeFlopsPerByte(device('h100'), 'bf16')).toBeCloseTo(295.34, 1);
  });

  it.each([
    // listed directly
    ['h100', 'fp8', 1979e12],
    ['rubin-cpx', 'fp4', 30e15],
    // int4 math is not listed on H100: nearest wider format int8
    ['h100', 'int4', 1979e12],
    // fp4 on H100 (no FP4 tensor cores): fp8
    ['h100', 'fp4', 1979e12],
    // CPU calibrated at fp32 only: bf16 runs at the fp32 rate
    ['this-machine', 'bf16', 350e9],
  ] as const)('%s at %s → %d FLOP/s', (id, precision, expected) => {
    expect(peakFlopsPerSecond(device(id), precision)).toBe(expected);
  });

  it('throws naming the missing field when no usable peak exists', () => {
    const bare = { ...device('h100'), peakFlopsPerSecond: { fp8: 1e15 } };
    expect(() => peakFlopsPerSecond(bare, 'bf16')).toThrow(/peakFlopsPerSecond\.bf16/);
  });

  it('computes at the activation precision (weight-only quantization dequantizes)', () => {
    expect(computePrecision({ weights: 'int4', kv: 'bf16', activations: 'bf16' })).toBe('bf16');
  });
});

describe('this machine', () => {
  it('turns a calibration profile into a device', () => {
    const profile = {
      peakFlopsPerSecond: { fp32: 2.8e11, int8: 9e11 },
      memoryBandwidthBytesPerSecond: 2.5e10,
      memoryCapacityBytes: 24 * 2 ** 30,
      source: 'calibrated 2025-01-01',
    };
    expect(thisMachineDevice(profile)).toEqual({
      id: 'this-machine',
      displayName: 'This machine (calibrated)',
      source: 'calibrated 2025-01-01',
      peakFlopsPerSecond: { fp32: 2.8e11, int8: 9e11 },
      memoryCapacityBytes: 24 * 2 ** 30,
      memoryBandwidthBytesPerSecond: 2.5e10,
    });
    // ridge = 2.8e11 / 2.5e10 = 11.2 FLOP/byte
    expect(ridgeFlopsPerByte(thisMachineDevice(profile), 'fp32')).toBeCloseTo(11.2, 10);
  });
});

describe('catalog lookups', () => {
  it('lists valid ids on a miss', () => {
    const miss = getDevice('tpu');
    expect(miss.ok).toBe(false);
    if (!miss.ok) expect(miss.error.message).toBe(`unknown device 'tpu'; valid: ${DEVICE_IDS.join(', ')}`);
    const tier = getTier('tape');
    if (!tier.ok) expect(tier.error.validIds).toEqual(TIER_IDS);
    expect(getLink('smoke-signals').ok).toBe(false);
  });

  it('has the tiers and links the design names', () => {
    expect(TIER_IDS).toEqual(['hbm', 'dram', 'cxl', 'optical-pool', 'disk']);
    for (const id of ['nvlink4', 'nvlink5', 'pcie5', 'rdma-400g', 'optical-io']) expect(getLink(id).ok).toBe(true);
    // 400 Gb/s = 50 GB/s; PCIe 5 x16 = 32 GT/s · 16 · 128/130 / 8 ≈ 63 GB/s
    expect(unwrap(getLink('rdma-400g')).bandwidthBytesPerSecond).toBe(50e9);
    expect(unwrap(getLink('pcie5')).bandwidthBytesPerSecond).toBe(63e9);
  });

  it('has the devices the design names', () => {
    for (const id of ['h100', 'h200', 'b200', 'gb200', 'mi300x', 'rubin-cpx', 'lpddr-decode', 'this-machine']) {
      expect(DEVICE_IDS).toContain(id);
    }
  });
});
