import { basename, dirname, resolve } from 'node:path';
import {
  DEFAULT_SWEEP,
  type DeviceSpec,
  getConvention,
  getDevice,
  getModel,
  getPrecision,
  getTier,
  getWorkflow,
  isPrecisionId,
  type KvPlacement,
  type ModelSpec,
  PRECISION_IDS,
  PRECISION_PRESET_IDS,
  type PrecisionConfig,
  parseDeviceSpec,
  parseModelFile,
  parseWorkflowSpec,
  type ResolvedConvention,
  type Result,
  resolveConvention,
  unwrap,
  type WorkflowSpec,
} from '@oicf/core';
import { UsageError } from '../command.js';
import type { AnalyzeArgs } from './args.js';
import { parseFlagJson, type ReadText, readFlagFile } from './read-text.js';
import {
  calibratedDevice,
  parseCalibrationText,
  resolveThisMachine,
  type ThisMachine,
  type ThisMachineSource,
} from './this-machine-source.js';

/**
 * Turns flag values into catalog entries: ids through the core's lookups
 * (an unknown id becomes a UsageError whose message lists every valid id),
 * user JSON files through the core's parsers (every bad field listed).
 * Sweep lists left empty fall back to the core's DEFAULT_SWEEP. The `this-machine` device
 * comes from a saved calibration when there is one (see this-machine-source.ts), and
 * --device-file accepts a calibration profile (`"kind": "oicf-calibration"`) as well as a device.
 */

export interface AnalyzeInputs {
  readonly models: readonly ModelSpec[];
  readonly devices: readonly DeviceSpec[];
  readonly workflows: readonly WorkflowSpec[];
  readonly precisions: readonly PrecisionConfig[];
  readonly convention: ResolvedConvention;
  readonly kvPlacement?: KvPlacement;
  /** Where this-machine's figures came from, when it is among the devices. */
  readonly thisMachine?: ThisMachineSource;
  /** What a --model-file HF config.json could not express or assumed (printed as notes). */
  readonly modelNotes: readonly string[];
}

/** The default point precision when --precision is absent. */
export const DEFAULT_POINT_PRECISION = 'bf16';

export function resolveInputs(args: AnalyzeArgs, readText: ReadText, cwd: string): AnalyzeInputs {
  const sweep = args.mode === 'sweep';
  const file = args.modelFile
    ? fromFile(
        args.modelFile,
        '--model-file',
        (json) => parseModelFile(json, modelFileOptions(args.modelFile as string, cwd)),
        readText,
        cwd,
      )
    : undefined;
  const models = file
    ? [file.model]
    : orDefault(args.models, sweep ? (DEFAULT_SWEEP.models as readonly string[]) : []).map((id) => found(getModel(id)));
  let thisMachine: ThisMachine | undefined;
  const devices = args.deviceFile
    ? [
        deviceFromFile(args.deviceFile, readText, cwd, (m) => {
          thisMachine = m;
        }),
      ]
    : orDefault(args.devices, sweep ? (DEFAULT_SWEEP.devices as readonly string[]) : []).map((id) => {
        if (id !== 'this-machine') return found(getDevice(id));
        thisMachine ??= resolveThisMachine(args.calibrationFile, readText, cwd);
        return thisMachine.device;
      });
  if (args.calibrationFile !== undefined && thisMachine === undefined) {
    throw new UsageError('--calibration applies to --device this-machine; it is not among the devices');
  }
  const workflows = args.workflowFile
    ? [fromFile(args.workflowFile, '--workflow-file', parseWorkflowSpec, readText, cwd)]
    : orDefault(args.workflows, DEFAULT_SWEEP.workflows as readonly string[]).map((id) => found(getWorkflow(id)));
  // A point query on a HF config.json defaults to the checkpoint's dtype (torch_dtype), else bf16.
  const pointPrecision = file?.precision ?? DEFAULT_POINT_PRECISION;
  const modelNotes = [...(file?.notes ?? [])];
  if (!sweep && args.precisions.length === 0 && file?.precision !== undefined) {
    modelNotes.push(`precision ${file.precision} from the config's torch_dtype (override with --precision)`);
  }
  const precisionIds = orDefault(
    args.precisions,
    sweep ? (DEFAULT_SWEEP.precisions as readonly string[]) : [pointPrecision],
  );
  const precisions = precisionIds.map((id) => withKv(resolvePrecision(id), args.kvPrecision));
  const convention =
    args.convention === undefined ? resolveConvention(undefined) : found(getConvention(args.convention));
  const kvPlacement = args.kvTier
    ? { tier: found(getTier(args.kvTier.id)), fractionInTier: args.kvTier.fractionInTier }
    : undefined;
  return {
    models,
    devices,
    workflows,
    precisions,
    convention,
    ...(kvPlacement ? { kvPlacement } : {}),
    ...(thisMachine ? { thisMachine: (thisMachine as ThisMachine).source } : {}),
    modelNotes,
  };
}

/**
 * The id of a model read from a file: a HF checkpoint keeps `config.json` in a folder named after the
 * model (`Qwen3-30B-A3B/config.json` → `qwen3-30b-a3b`); any other file is named by its stem. A HF config's
 * own `_name_or_path` is not used, so two files never share an id by accident.
 */
export function modelFileOptions(path: string, cwd: string): { id?: string; source: string } {
  const full = resolve(cwd, path);
  const file = basename(full);
  const name = file === 'config.json' ? basename(dirname(full)) : file.replace(/\.json$/i, '');
  const id = name === '' || name === '.' || name === '..' ? undefined : name.toLowerCase();
  return { ...(id ? { id } : {}), source: path };
}

/** --device-file: a device JSON, or a calibration profile `oicf roofline` saved (detected by its `kind`). */
function deviceFromFile(
  path: string,
  readText: ReadText,
  cwd: string,
  onCalibration: (machine: ThisMachine) => void,
): DeviceSpec {
  const text = readFlagFile(path, '--device-file', readText, cwd);
  const json = parseFlagJson(text, path, '--device-file');
  if (typeof json === 'object' && json !== null && (json as { kind?: unknown }).kind === 'oicf-calibration') {
    const machine = calibratedDevice(parseCalibrationText(text, path, '--device-file'), path);
    onCalibration(machine);
    return machine.device;
  }
  const result = parseDeviceSpec(json);
  if (!result.ok) throw new UsageError(`--device-file '${path}': ${result.error.message}`);
  return result.value;
}

/** A precision preset ('bf16', 'fp8', 'w4a16', …) or one element type for weights, KV and math alike. */
export function resolvePrecision(id: string): PrecisionConfig {
  const preset = getPrecision(id);
  if (preset.ok) return preset.value;
  if (isPrecisionId(id)) return { weights: id, kv: id, activations: id };
  throw new UsageError(
    `unknown precision '${id}'; valid: ${PRECISION_PRESET_IDS.join(', ')} (presets) or ${PRECISION_IDS.join(', ')}`,
  );
}

function withKv(precision: PrecisionConfig, kv: string | undefined): PrecisionConfig {
  if (kv === undefined) return precision;
  if (!isPrecisionId(kv)) throw new UsageError(`unknown --kv-precision '${kv}'; valid: ${PRECISION_IDS.join(', ')}`);
  return { ...precision, kv };
}

function orDefault(values: readonly string[], fallback: readonly string[]): readonly string[] {
  return values.length > 0 ? values : fallback;
}

/** The value of a catalog lookup, or a UsageError carrying the core's "unknown x 'y'; valid: …" message. */
function found<T>(result: Result<T>): T {
  if (!result.ok) throw new UsageError(result.error.message);
  return unwrap(result);
}

function fromFile<T>(
  path: string,
  flag: string,
  parse: (json: unknown) => Result<T>,
  readText: ReadText,
  cwd: string,
): T {
  const json = parseFlagJson(readFlagFile(path, flag, readText, cwd), path, flag);
  const result = parse(json);
  if (!result.ok) throw new UsageError(`${flag} '${path}': ${result.error.message}`);
  return result.value;
}
