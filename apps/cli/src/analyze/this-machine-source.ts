import { resolve } from 'node:path';
import { type DeviceSpec, getDevice, thisMachineDevice, unwrap } from '@oicf/core';
import {
  CalibrationFileError,
  type CalibrationProfileFile,
  DEFAULT_CALIBRATION_PATH,
  parseCalibration,
} from '@oicf/kernels';
import { UsageError } from '../command.js';
import type { ReadText } from './read-text.js';

/**
 * Where the `this-machine` device's figures come from: a calibration profile that `oicf roofline`
 * saved (default .oicf/calibration.json under the working directory, or --calibration <file>),
 * else the catalog's static DESIGN.md §7 figures. The file is read here, at the edge; @oicf/core
 * only turns the parsed profile into a device (thisMachineDevice).
 */

export type ThisMachineSource =
  | {
      readonly kind: 'calibration';
      /** As the user gave it (or the default path), not resolved. */
      readonly file: string;
      readonly measuredAt: string;
      readonly quick: boolean;
    }
  | { readonly kind: 'static'; readonly reason: string };

export interface ThisMachine {
  readonly device: DeviceSpec;
  readonly source: ThisMachineSource;
}

/** `this-machine` from `--calibration <file>` (must exist), else the default path when it exists, else static. */
export function resolveThisMachine(calibrationFile: string | undefined, readText: ReadText, cwd: string): ThisMachine {
  const path = calibrationFile ?? DEFAULT_CALIBRATION_PATH;
  const flag = calibrationFile === undefined ? 'calibration' : '--calibration';
  let text: string;
  try {
    text = readText(resolve(cwd, path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    if (calibrationFile === undefined && code === 'ENOENT') {
      return {
        device: unwrap(getDevice('this-machine')),
        source: { kind: 'static', reason: `no calibration at ${path}` },
      };
    }
    throw new UsageError(`${flag}: cannot read '${path}' (${code})`);
  }
  return calibratedDevice(parseCalibrationText(text, path, flag), path);
}

/** The device from a parsed profile, labelled with its file and date. */
export function calibratedDevice(profile: CalibrationProfileFile, file: string): ThisMachine {
  return {
    device: thisMachineDevice(profile),
    source: {
      kind: 'calibration',
      file,
      measuredAt: profile.details.measuredAt,
      quick: profile.details.quick === true,
    },
  };
}

/** parseCalibration with its error as a UsageError naming the flag; the fix is to calibrate again. */
export function parseCalibrationText(text: string, path: string, flag: string): CalibrationProfileFile {
  try {
    return parseCalibration(text, path);
  } catch (err) {
    if (!(err instanceof CalibrationFileError)) throw err;
    const message = err.message.replace(/; rerun with --recalibrate$/, '');
    throw new UsageError(`${flag}: ${message}; write a new one with 'oicf roofline --quick --recalibrate'`);
  }
}

/** One line for the text report. */
export function describeThisMachine(source: ThisMachineSource): string {
  return source.kind === 'calibration'
    ? `this-machine: calibrated from ${source.file} at ${source.measuredAt}${source.quick ? ' (quick calibration)' : ''}`
    : `this-machine: static defaults (DESIGN.md §7 figures; ${source.reason}; 'oicf roofline --quick' calibrates)`;
}
