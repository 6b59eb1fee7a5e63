import { classifyRegime, type Regime, ridgePointFlopsPerByte } from '@oicf/core';
import type { AxisSpec } from './chart-frame.js';
import { formatBytes, formatNumber } from './format.js';

/** Inputs of the OI–CF plane and the geometry that places a point in a region (see oicf-plane.ts). */

export interface PlaneDevice {
  readonly name: string;
  readonly peakFlopsPerSecond: number;
  readonly bandwidthBytesPerSecond: number;
  readonly memoryCapacityBytes: number;
  /** Requests sharing this device's memory; overrides the chart-wide count. */
  readonly numConcurrentRequests?: number;
}

export interface PlanePoint {
  readonly capacityFootprintBytes: number;
  readonly intensityFlopsPerByte: number;
  readonly label?: string;
  /**
   * Requests resident with this point (its own decode batch), when points differ: its region is judged
   * against the wall at this count rather than the chart's, and the table shows it.
   */
  readonly numConcurrentRequests?: number;
}

export interface PlaneSeries {
  readonly name: string;
  readonly points: readonly PlanePoint[];
  /** Join this series' points in order; default: the chart's `connect`. Off for scatter series. */
  readonly connect?: boolean;
}

/** The four regimes of @oicf/core (docs/oicf.md), one shaded region each. */
export type PlaneRegion = Regime;

export interface OicfPlaneSpec {
  readonly title?: string;
  readonly subtitle?: string;
  readonly width?: number;
  readonly height?: number;
  readonly id?: string;
  readonly devices: readonly PlaneDevice[];
  /** Requests resident at once; the capacity wall is capacity ÷ this (default 1). */
  readonly numConcurrentRequests?: number;
  readonly series?: readonly PlaneSeries[];
  /** Join each series' points in order (default true). */
  readonly connect?: boolean;
  /** Shade and label the four regions of the first device (default true). */
  readonly shadeRegions?: boolean;
  readonly footprintRange?: readonly [number, number];
  readonly intensityRange?: readonly [number, number];
  readonly xAxis?: AxisSpec;
  readonly yAxis?: AxisSpec;
}

/** Largest per-request footprint at which `numConcurrentRequests` requests fit the device (bytes). */
export function capacityWallBytes(device: PlaneDevice, numConcurrentRequests = 1): number {
  return device.memoryCapacityBytes / (device.numConcurrentRequests ?? numConcurrentRequests);
}

/** Which region of `device`'s plane a point falls in: @oicf/core's classifyRegime, with "fits" meaning the
 * point is at or left of the capacity wall. On a line counts as the compute-bound / fitting side. */
export function planeRegion(point: PlanePoint, device: PlaneDevice, numConcurrentRequests = 1): PlaneRegion {
  const n = point.numConcurrentRequests ?? numConcurrentRequests;
  const fits = point.capacityFootprintBytes <= capacityWallBytes(device, n);
  return classifyRegime(fits, point.intensityFlopsPerByte, ridgeOf(device));
}

export const REGION_TITLES: Record<PlaneRegion, string> = {
  'compute-bound': 'compute-bound',
  'bandwidth-bound': 'bandwidth-bound',
  'capacity-bound': 'capacity-bound',
  'capacity-and-bandwidth-bound': 'capacity- and bandwidth-bound',
};

/** Ridge of a device: @oicf/core's ridge point, peak ÷ bandwidth (FLOP/byte). */
export function ridgeOf(d: PlaneDevice): number {
  return ridgePointFlopsPerByte(d.peakFlopsPerSecond, d.bandwidthBytesPerSecond);
}

/** How a wall was computed, for tooltips: "74.5 GiB" (one request) or "74.5 GiB ÷ 32". */
export function wallText(d: PlaneDevice, n: number): string {
  const count = d.numConcurrentRequests ?? n;
  return count === 1
    ? `${formatBytes(d.memoryCapacityBytes)}`
    : `${formatBytes(d.memoryCapacityBytes)} ÷ ${formatNumber(count)}`;
}
