import { type DeviceSpec, getDevice, thisMachineDevice, unwrap } from '@oicf/core';
import { DEFAULT_CALIBRATION_PATH, loadCalibration } from '@oicf/kernels';

/**
 * "This machine" for classifying steps: the calibration `oicf roofline` saved (default
 * `.oicf/calibration.json` relative to the working directory) when there is one, else the catalog's
 * design profile (DESIGN.md §7 figures).
 */
export function thisMachine(calibrationPath: string = DEFAULT_CALIBRATION_PATH): DeviceSpec {
  const profile = loadCalibration(calibrationPath);
  return profile === undefined ? unwrap(getDevice('this-machine')) : thisMachineDevice(profile);
}
