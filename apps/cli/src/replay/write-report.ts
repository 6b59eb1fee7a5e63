import { join } from 'node:path';
import { THIS_MACHINE_DESIGN_PROFILE } from '@oicf/core';
import type { PlaneDevice } from '@oicf/plot';

/** Default output folder: out/replay/<UTC timestamp>/ (colons and dots made file-name safe). */
export function defaultOutDir(now: Date = new Date()): string {
  return join('out', 'replay', now.toISOString().replace(/[:.]/g, '-'));
}

/**
 * The device framing the measured OI–CF plane: this machine, which runs the real kernels (DESIGN.md
 * §7 figures: 350 GFLOP/s fp32, 25 GB/s, 24 GiB; a calibration profile refines them).
 */
export const THIS_MACHINE_PLANE: PlaneDevice = {
  name: 'this machine',
  peakFlopsPerSecond: THIS_MACHINE_DESIGN_PROFILE.peakFlopsPerSecond.fp32 ?? 350e9,
  bandwidthBytesPerSecond: THIS_MACHINE_DESIGN_PROFILE.memoryBandwidthBytesPerSecond,
  memoryCapacityBytes: THIS_MACHINE_DESIGN_PROFILE.memoryCapacityBytes,
};
