import { describe, expect, it } from 'vitest';
import { unwrap } from '../errors.js';
import { DEVICES, getDevice } from '../hardware/devices.js';
import { TIER_IDS } from '../hardware/tiers.js';
import { parseDeviceSpec } from '../parse/device-schema.js';
import type { FieldIssue, Result, SourcedFigure } from '../types.js';
import { DEVICE_ECONOMICS, TYPICAL_SHARE_OF_TDP } from './device-economics.js';
import { deviceEconomics, tierEconomics } from './economics.js';
import { LINK_ECONOMICS } from './tier-economics.js';

function issues<T>(result: Result<T>): FieldIssue[] {
  if (result.ok) throw new Error('expected a failure');
  return [...(result.error.issues ?? [])];
}

/** Every figure: a non-empty source, a date, and an estimate that says so in its source. */
function checkFigure(where: string, f: SourcedFigure): void {
  expect(f.source.length, where).toBeGreaterThan(20);
  expect(f.asOf, where).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
  expect(Number.isFinite(f.value) && f.value >= 0, where).toBe(true);
  if (f.estimate && !f.source.startsWith('0.7 × TDP')) expect(f.source, where).toMatch(/^estimate/);
  if (!f.estimate) expect(f.source, where).not.toMatch(/^estimate/);
}

describe('catalog economics', () => {
  it('every catalog device has a sourced price, TDP and typical power', () => {
    for (const device of DEVICES) {
      const e = unwrap(deviceEconomics(device));
      checkFigure(`${device.id} price`, e.usdPerDeviceHour);
      checkFigure(`${device.id} tdp`, e.tdpWatts);
      checkFigure(`${device.id} typical`, e.typicalWatts);
      // Typical load is 0.7 of the power limit (Oviedo et al. 2025), for every part.
      expect(e.typicalWatts.value, device.id).toBeCloseTo(TYPICAL_SHARE_OF_TDP * e.tdpWatts.value, 9);
    }
  });

  it('per-GPU prices are the listed instance prices divided by their GPU count', () => {
    // CoreWeave: HGX H100 $49.24 / 8, HGX H200 $50.44 / 8, HGX B200 $68.80 / 8, GB200 NVL72 $42.00 / 4.
    const price = (id: string) => DEVICE_ECONOMICS[id]?.usdPerDeviceHour.value;
    expect(price('h100')).toBeCloseTo(6.155, 9);
    expect(price('h200')).toBeCloseTo(6.305, 9);
    expect(price('b200')).toBeCloseTo(8.6, 9);
    expect(price('gb200')).toBeCloseTo(10.5, 9);
    // Datasheet power limits: H100 SXM 700 W, B200 (HGX) 1,000 W, GB200 1,200 W, MI300X 750 W.
    const tdp = (id: string) => DEVICE_ECONOMICS[id]?.tdpWatts.value;
    expect([tdp('h100'), tdp('b200'), tdp('gb200'), tdp('mi300x')]).toEqual([700, 1000, 1200, 750]);
  });

  it('parts with no public figure are marked as estimates', () => {
    for (const id of ['rubin-cpx', 'lpddr-decode', 'this-machine']) {
      expect(DEVICE_ECONOMICS[id]?.usdPerDeviceHour.estimate, id).toBe(true);
      expect(DEVICE_ECONOMICS[id]?.tdpWatts.estimate, id).toBe(true);
    }
    expect(DEVICE_ECONOMICS.h100?.usdPerDeviceHour.estimate).toBe(false);
  });

  it('every tier and priced link has sourced terms', () => {
    for (const id of TIER_IDS) {
      const e = tierEconomics(id);
      for (const [k, f] of Object.entries(e)) checkFigure(`${id}.${k}`, f);
    }
    for (const [id, e] of Object.entries(LINK_ECONOMICS)) {
      for (const [k, f] of Object.entries(e)) checkFigure(`${id}.${k}`, f);
    }
    // HBM is part of the device: nothing extra. NVMe: $0.07/GB-month (CoreWeave); 18 W over 7,680 GB.
    expect(tierEconomics('hbm').usdPerGbMonth.value).toBe(0);
    expect(tierEconomics('disk').usdPerGbMonth.value).toBe(0.07);
    expect(tierEconomics('disk').wattsPerGb.value).toBeCloseTo(18 / 7680, 12);
    // Optical pool: one 10 W TeraPHY chiplet per accelerator (Ayar Labs).
    expect(tierEconomics('optical-pool').wattsPerAccelerator.value).toBe(10);
    // Host DRAM comes with the GPU instance; CXL: DDR5 at $10/GB + ~20 % = $12/GB over 36 months. With the
    // lines above, each tier's figures sit under its own id (tier-economics.ts lists them in TIERS order).
    expect(tierEconomics('dram').usdPerGbMonth.source).toMatch(/^bundled in the GPU instance price/);
    expect(tierEconomics('cxl').usdPerGbMonth.value).toBeCloseTo(12 / 36, 12);
  });
});

describe('device JSON economics', () => {
  const device = {
    id: 'acme-x1',
    peakFlopsPerSecond: { bf16: 1e15 },
    memoryCapacityBytes: 96e9,
    memoryBandwidthBytesPerSecond: 4e12,
  };
  const figure = (value: number) => ({ value, source: 'Acme X1 datasheet rev B', asOf: '2026-03-01' });

  it('loads price and power from user JSON and uses them before the catalog', () => {
    const economics = { usdPerDeviceHour: figure(3.2), tdpWatts: figure(600), typicalWatts: figure(420) };
    const parsed = unwrap(parseDeviceSpec({ ...device, economics }));
    expect(unwrap(deviceEconomics(parsed)).usdPerDeviceHour).toEqual({ ...figure(3.2), estimate: false });
    // A user JSON for a catalog id with its own figures overrides the catalog's.
    const h100 = unwrap(getDevice('h100'));
    expect(
      unwrap(deviceEconomics({ ...h100, economics: parsed.economics as NonNullable<typeof parsed.economics> }))
        .usdPerDeviceHour.value,
    ).toBe(3.2);
  });

  it('refuses a figure without its source note or date, naming the field', () => {
    const economics = {
      usdPerDeviceHour: { value: 3.2 },
      tdpWatts: { ...figure(600), asOf: 'last year' },
      typicalWatts: figure(420),
    };
    expect(issues(parseDeviceSpec({ ...device, economics }))).toEqual([
      { path: 'economics.usdPerDeviceHour.source', message: 'must be a non-empty string, got nothing (missing)' },
      { path: 'economics.usdPerDeviceHour.asOf', message: 'must be a non-empty string, got nothing (missing)' },
      { path: 'economics.tdpWatts.asOf', message: 'must be a date YYYY-MM-DD or YYYY-MM' },
    ]);
  });

  it('a user device without figures is NOT_FOUND with what to add', () => {
    const result = deviceEconomics(unwrap(parseDeviceSpec(device)));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/^device 'acme-x1' has no price or power: add "economics"/);
  });
});
