import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CalibrationProfile } from '@oicf/core';
import { z } from 'zod';

/** Where `oicf roofline` keeps the calibration, relative to the working directory (gitignored). */
export const DEFAULT_CALIBRATION_PATH = join('.oicf', 'calibration.json');

export interface Measurement {
  readonly kernel: string;
  readonly bytes: number;
  readonly runsSeconds: readonly number[];
  readonly medianSeconds: number;
  readonly bytesPerSecond: number;
  readonly checksum?: number;
}

export interface GemmMeasurement {
  readonly precision: 'fp32' | 'fp16' | 'int8';
  readonly size: number;
  readonly flops: number;
  readonly runsSeconds: readonly number[];
  readonly medianSeconds: number;
  readonly flopsPerSecond: number;
}

/**
 * The saved device profile: @oicf/core's CalibrationProfile (what `thisMachineDevice(profile)`
 * turns into the "this machine" device) plus how each figure was measured.
 */
export interface CalibrationProfileFile extends CalibrationProfile {
  readonly kind: 'oicf-calibration';
  readonly version: 1;
  readonly peakFlopsPerSecond: Readonly<Partial<Record<'fp32' | 'fp16' | 'int8', number>>>;
  readonly source: string;
  readonly details: {
    readonly measuredAt: string;
    readonly cpuModel: string;
    readonly numCpus: number;
    readonly intraOpNumThreads: number;
    readonly numRuns: number;
    /** True for `oicf roofline --quick`'s smaller, noisier calibration; absent in files written
     * before this field existed (then the GEMM sizes tell). */
    readonly quick?: boolean;
    readonly onnxruntimeVersion: string;
    readonly gemm: readonly GemmMeasurement[];
    readonly stream: Measurement;
    readonly jsRead: Measurement;
    /** Median wall time of session.run on a one-Identity graph. */
    readonly sessionRunSeconds: number;
  };
}

const positive = z.number().positive();
const measurement = z.object({
  kernel: z.string(),
  bytes: positive,
  runsSeconds: z.array(positive).min(1),
  medianSeconds: positive,
  bytesPerSecond: positive,
  checksum: z.number().optional(),
});
const schema = z.object({
  kind: z.literal('oicf-calibration'),
  version: z.literal(1),
  peakFlopsPerSecond: z
    .object({ fp32: positive.optional(), fp16: positive.optional(), int8: positive.optional() })
    .strict(),
  memoryBandwidthBytesPerSecond: positive,
  memoryCapacityBytes: positive,
  source: z.string(),
  details: z.object({
    measuredAt: z.string(),
    cpuModel: z.string(),
    numCpus: z.number().int().positive(),
    intraOpNumThreads: z.number().int().positive(),
    numRuns: z.number().int().positive(),
    quick: z.boolean().optional(),
    onnxruntimeVersion: z.string(),
    gemm: z.array(
      z.object({
        precision: z.enum(['fp32', 'fp16', 'int8']),
        size: z.number().int().positive(),
        flops: positive,
        runsSeconds: z.array(positive).min(1),
        medianSeconds: positive,
        flopsPerSecond: positive,
      }),
    ),
    stream: measurement,
    jsRead: measurement,
    sessionRunSeconds: positive,
  }),
});

/** Thrown when a calibration file is unreadable or malformed; names the file and every bad field. */
export class CalibrationFileError extends Error {
  override readonly name = 'CalibrationFileError';
}

/** Parses and validates a calibration profile (as JSON text). */
export function parseCalibration(text: string, file = 'calibration'): CalibrationProfileFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CalibrationFileError(`${file}: not JSON (${(e as Error).message}); rerun with --recalibrate`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const fields = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new CalibrationFileError(`${file}: invalid calibration profile (${fields}); rerun with --recalibrate`);
  }
  return r.data;
}

/** Reads a saved profile; undefined when the file does not exist. Throws CalibrationFileError when it is bad. */
export function loadCalibration(path: string): CalibrationProfileFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CalibrationFileError(`${path}: cannot read (${(e as Error).message})`);
  }
  return parseCalibration(text, path);
}

/** Writes a profile as pretty JSON, creating the directory. */
export function saveCalibration(path: string, profile: CalibrationProfileFile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(profile, null, 2)}\n`);
}
