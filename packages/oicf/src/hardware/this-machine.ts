import type { CalibrationProfile, DeviceSpec } from '../types.js';

/** Figures measured on the project machine (DESIGN.md §7), used until a calibration is run. */
export const THIS_MACHINE_DESIGN_PROFILE: CalibrationProfile = {
  peakFlopsPerSecond: { fp32: 350e9 },
  memoryBandwidthBytesPerSecond: 25e9,
  memoryCapacityBytes: 24 * 2 ** 30,
  source: 'DESIGN.md §7: 2-core AVX-512 host, FP32 FMA peak ≈ 350 GFLOP/s, STREAM-like read ≈ 25 GB/s, 24 GiB',
};

/** Turns a calibration profile (from @oicf/kernels, `.oicf/calibration.json`) into the
 * `this-machine` device. Precisions not calibrated fall back to wider ones (bf16 → fp32). */
export function thisMachineDevice(profile: CalibrationProfile): DeviceSpec {
  return {
    id: 'this-machine',
    displayName: 'This machine (calibrated)',
    source: profile.source ?? 'calibration profile',
    peakFlopsPerSecond: { ...profile.peakFlopsPerSecond },
    memoryCapacityBytes: profile.memoryCapacityBytes,
    memoryBandwidthBytesPerSecond: profile.memoryBandwidthBytesPerSecond,
  };
}
