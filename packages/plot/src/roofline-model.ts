import { ridgePointFlopsPerByte, attainableFlopsPerSecond as roofAt } from '@oicf/core';
import type { AxisSpec } from './chart-frame.js';

/** Inputs of the roofline chart and the roofline maths (see roofline.ts). */

export interface RooflineDevice {
  readonly name: string;
  readonly peakFlopsPerSecond: number;
  readonly bandwidthBytesPerSecond: number;
}

export type PointKind = 'predicted' | 'measured';

export interface RooflinePoint {
  readonly intensityFlopsPerByte: number;
  readonly flopsPerSecond: number;
  readonly label?: string;
  /** 'predicted' draws hollow, 'measured' (or unset) filled. */
  readonly kind?: PointKind;
  /** Joins a predicted point to the measured point with the same key (same series or not). */
  readonly pairKey?: string;
}

export interface RooflineSeries {
  readonly name: string;
  readonly points: readonly RooflinePoint[];
}

export interface RooflineSpec {
  readonly title?: string;
  readonly subtitle?: string;
  readonly width?: number;
  readonly height?: number;
  readonly id?: string;
  readonly devices: readonly RooflineDevice[];
  readonly series?: readonly RooflineSeries[];
  /** Draw predicted → measured lines for matching pair keys (default true). */
  readonly connectPairs?: boolean;
  /** Axis ranges; default: whole decades around the data, ridges and roofs. */
  readonly intensityRange?: readonly [number, number];
  readonly flopsRange?: readonly [number, number];
  readonly xAxis?: AxisSpec;
  readonly yAxis?: AxisSpec;
}

// The maths is @oicf/core's (analysis/roofline.ts); these only read a chart device's two figures.

/** The OI at which a device turns from bandwidth- to compute-bound (FLOP/byte). */
export function ridgeIntensityFlopsPerByte(device: RooflineDevice): number {
  return ridgePointFlopsPerByte(device.peakFlopsPerSecond, device.bandwidthBytesPerSecond);
}

/** Attainable FLOP/s at an OI: min(peak, bandwidth · OI). */
export function attainableFlopsPerSecond(device: RooflineDevice, intensityFlopsPerByte: number): number {
  return roofAt(device.peakFlopsPerSecond, device.bandwidthBytesPerSecond, intensityFlopsPerByte);
}
