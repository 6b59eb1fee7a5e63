import type { CalibrationProfile, DeviceSpec } from '../types.js';

/** Figures measured on the project machine (DESIGN.md §7), used until a calibration is run. */
export const THIS_MACHINE_DESIGN_PROFILE: CalibrationProfile = {
  peakFlopsPerSecond: { fp32: 350e9 },
  memoryBandwidthBytesPerSecond: 25e9,
  memoryCapacityBytes: 24 * 2 ** 30,
  source: 'DESIGN.md §7: 2-core AVX-512 host, FP32 FMA peak ≈ 350 GFLOP/s, STREAM-like read ≈ 25 GB/s, 24 GiB',
};

/** Display names, so a reader can tell measured figures from the static defaults. */
export const THIS_MACHINE_CALIBRATED_NAME = 'This machine (calibrated)';
export const THIS_MACHINE_STATIC_NAME = 'This machine (static DESIGN.md §7 figures, not calibrated)';

/** Turns a calibration profile (from @oicf/kernels, `.oicf/calibration.json`) into the
 * `this-machine` device. Precisions not calibrated fall back to wider ones (bf16 → fp32).
 * THIS_MACHINE_DESIGN_PROFILE itself (the catalog entry) is labelled as static, not calibrated. */
export function thisMachineDevice(profile: CalibrationProfile): DeviceSpec {
  return {
    id: 'this-machine',
    displayName: profile === THIS_MACHINE_DESIGN_PROFILE ? THIS_MACHINE_STATIC_NAME : THIS_MACHINE_CALIBRATED_NAME,
    source: profile.source ?? 'calibration profile',
    peakFlopsPerSecond: { ...profile.peakFlopsPerSecond },
    memoryCapacityBytes: profile.memoryCapacityBytes,
    memoryBandwidthBytesPerSecond: profile.memoryBandwidthBytesPerSecond,
  };
}
