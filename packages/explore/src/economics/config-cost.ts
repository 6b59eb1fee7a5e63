// What a configuration costs per hour and draws in power, itemized. Devices: count × TP devices at the
// device's price per device-hour and its typical (and TDP) power. Tiers below HBM attach to every decode
// accelerator (they hold decode's KV: running sequences that spill and retained session prefixes):
// capacity per accelerator in GB (10⁹ bytes) × price per GB-month ÷ 730 h, plus per-accelerator terms.
import { type DeviceSpec, deviceEconomics, HOURS_PER_MONTH, unwrap } from '@oicf/core';
import type { Configuration, InstanceGroup } from '../space/space-types.js';

export interface CostLine {
  /** `h200 × 8 (decode)`, `optical-pool 8,000 GB × 8`. */
  readonly what: string;
  readonly usdPerHour: number;
  readonly typicalWatts: number;
  readonly tdpWatts: number;
  /** True when any figure in the line is an estimate. */
  readonly estimate: boolean;
}

export interface ConfigCost {
  readonly usdPerHour: number;
  /** Power under a typical inference load (what per-watt objectives and tokens per joule use). */
  readonly typicalWatts: number;
  /** Sum of power limits (devices at TDP, tiers as typical). */
  readonly tdpWatts: number;
  readonly numAccelerators: number;
  readonly numDecodeAccelerators: number;
  readonly lines: readonly CostLine[];
}

export const BYTES_PER_GB = 1e9;

export function numDevicesOf(groups: readonly InstanceGroup[]): number {
  let n = 0;
  for (const g of groups) n += g.count * g.tp;
  return n;
}

export function configCost(config: Configuration, devices: ReadonlyMap<string, DeviceSpec>): ConfigCost {
  const lines: CostLine[] = [];
  const groupLines = (groups: readonly InstanceGroup[], role: string) => {
    for (const g of groups) {
      const device = devices.get(g.deviceId);
      if (device === undefined) throw new Error(`configCost: unknown device '${g.deviceId}'`);
      const e = unwrap(deviceEconomics(device));
      const n = g.count * g.tp;
      lines.push({
        what: `${g.deviceId} × ${n} (${role})`,
        usdPerHour: n * e.usdPerDeviceHour.value,
        typicalWatts: n * e.typicalWatts.value,
        tdpWatts: n * e.tdpWatts.value,
        estimate: e.usdPerDeviceHour.estimate || e.typicalWatts.estimate || e.tdpWatts.estimate,
      });
    }
  };
  groupLines(config.prefill, 'prefill');
  groupLines(config.decode, config.mode === 'colocated' ? 'prefill + decode' : 'decode');
  const numDecode = numDevicesOf(config.decode);
  for (const t of config.tiers) {
    const gb = t.capacityBytes / BYTES_PER_GB;
    const e = t.economics;
    const usd = numDecode * ((gb * e.usdPerGbMonth.value) / HOURS_PER_MONTH + e.usdPerAcceleratorHour.value);
    const watts = numDecode * (gb * e.wattsPerGb.value + e.wattsPerAccelerator.value);
    lines.push({
      what: `${t.id} ${Math.round(gb)} GB × ${numDecode}`,
      usdPerHour: usd,
      typicalWatts: watts,
      tdpWatts: watts,
      estimate: Object.values(e).some((f) => f.estimate && f.value > 0),
    });
  }
  let usd = 0;
  let typical = 0;
  let tdp = 0;
  for (const l of lines) {
    usd += l.usdPerHour;
    typical += l.typicalWatts;
    tdp += l.tdpWatts;
  }
  return {
    usdPerHour: usd,
    typicalWatts: typical,
    tdpWatts: tdp,
    numAccelerators: numDevicesOf(config.prefill) + numDecode,
    numDecodeAccelerators: numDecode,
    lines,
  };
}
