import { describe, expect, it } from 'vitest';
import { unwrap } from '../errors.js';
import { getDevice } from './devices.js';
import {
  THIS_MACHINE_CALIBRATED_NAME,
  THIS_MACHINE_DESIGN_PROFILE,
  THIS_MACHINE_STATIC_NAME,
  thisMachineDevice,
} from './this-machine.js';

describe('this-machine labels', () => {
  it('the catalog entry says it holds static figures, not a calibration', () => {
    const device = unwrap(getDevice('this-machine'));
    expect(device.displayName).toBe(THIS_MACHINE_STATIC_NAME);
    expect(device.displayName).toMatch(/not calibrated/);
    // DESIGN.md §7: 350 GFLOP/s fp32 over 25 GB/s → ridge 14 FLOP/B.
    expect((device.peakFlopsPerSecond.fp32 ?? 0) / device.memoryBandwidthBytesPerSecond).toBe(14);
  });

  it('a profile with the same numbers but from a calibration is labelled calibrated', () => {
    expect(thisMachineDevice({ ...THIS_MACHINE_DESIGN_PROFILE }).displayName).toBe(THIS_MACHINE_CALIBRATED_NAME);
  });
});
