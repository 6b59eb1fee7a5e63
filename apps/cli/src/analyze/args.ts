import { UsageError } from '../command.js';
import { integerFlag as integer, parseFlags } from '../flags.js';

/**
 * Flags of `oicf analyze`, parsed and range-checked but not yet resolved
 * against the catalogs (see resolve-inputs.ts). Every number error names its
 * flag; unknown flags and missing values are UsageErrors (exit 2).
 */

export type AnalyzeMode = 'point' | 'sweep';
export type OutputFormat = 'table' | 'json' | 'csv';

export interface AnalyzeArgs {
  readonly mode: AnalyzeMode;
  /** Ids; lists come from repeated flags or commas (`--model a,b`). */
  readonly models: readonly string[];
  readonly devices: readonly string[];
  readonly workflows: readonly string[];
  readonly precisions: readonly string[];
  readonly kvPrecision?: string;
  readonly convention?: string;
  readonly modelFile?: string;
  readonly deviceFile?: string;
  readonly workflowFile?: string;
  /** Calibration profile for the `this-machine` device (default .oicf/calibration.json when it exists). */
  readonly calibrationFile?: string;
  readonly phase: 'prefill' | 'decode';
  readonly batch?: number;
  readonly contextTokens?: number;
  readonly promptTokens?: number;
  readonly numTensorParallel?: number;
  readonly kvTier?: { readonly id: string; readonly fractionInTier: number };
  readonly numTurns: number;
  readonly seed: number;
  /** Sweep decode batch: a number, or 'max' (largest that fits, capped at 256). */
  readonly decodeBatch: number | 'max';
  readonly format: OutputFormat;
  /** Output directory for the SVG and HTML, relative to the working directory. */
  readonly outDir: string;
  readonly writeFiles: boolean;
}

export const DEFAULT_OUT_DIR = 'out/analyze';
export const DEFAULT_NUM_TURNS = 30;
export const DEFAULT_SEED = 1;

const OPTIONS = {
  model: { type: 'string', multiple: true },
  device: { type: 'string', multiple: true },
  workflow: { type: 'string', multiple: true },
  precision: { type: 'string', multiple: true },
  'kv-precision': { type: 'string' },
  convention: { type: 'string' },
  'model-file': { type: 'string' },
  'device-file': { type: 'string' },
  'workflow-file': { type: 'string' },
  calibration: { type: 'string' },
  phase: { type: 'string' },
  batch: { type: 'string' },
  context: { type: 'string' },
  prompt: { type: 'string' },
  tp: { type: 'string' },
  'kv-tier': { type: 'string' },
  turns: { type: 'string' },
  seed: { type: 'string' },
  'decode-batch': { type: 'string' },
  sweep: { type: 'boolean' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  out: { type: 'string' },
  'no-files': { type: 'boolean' },
} as const;

// Flags that only make sense for one step of one (model, device) pair.
const POINT_FLAGS = ['phase', 'batch', 'context', 'prompt', 'tp', 'kv-tier'] as const;

export function parseAnalyzeArgs(argv: readonly string[]): AnalyzeArgs {
  const { values: v, positionals } = parse(argv);
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (options start with --)`);
  if (v.json && v.csv) throw new UsageError('choose one of --json and --csv');

  const models = list(v.model);
  const devices = list(v.device);
  const workflows = list(v.workflow);
  const precisions = list(v.precision);
  const pointFlags = POINT_FLAGS.filter((f) => v[f] !== undefined);
  const numModels = models.length + (v['model-file'] ? 1 : 0);
  const numDevices = devices.length + (v['device-file'] ? 1 : 0);
  const wantsSweep = v.sweep === true || workflows.length > 0 || v['workflow-file'] !== undefined;
  // A point needs one model and one device. Without point flags, anything else (--device h100
  // alone, two models) is a sweep restricted to what was given, as --help promises.
  const wantsPoint = pointFlags.length > 0 || (numModels === 1 && numDevices === 1);
  const mode: AnalyzeMode = wantsSweep || !wantsPoint ? 'sweep' : 'point';
  if (mode === 'sweep' && pointFlags.length > 0) {
    throw new UsageError(
      `${pointFlags.map((f) => `--${f}`).join(', ')} apply to point queries; drop --sweep/--workflow, or use --decode-batch for sweeps`,
    );
  }
  if (mode === 'point') {
    const verb = pointFlags.length === 1 ? 'makes' : 'make';
    const because = `(${pointFlags.map((f) => `--${f}`).join(', ')} ${verb} this a point query; drop them for a sweep)`;
    if (numModels !== 1) {
      throw new UsageError(
        `a point query needs exactly one model: --model <id> or --model-file <json>, got ${numModels} ${because}`,
      );
    }
    if (numDevices !== 1) {
      throw new UsageError(
        `a point query needs exactly one device: --device <id> or --device-file <json>, got ${numDevices} ${because}`,
      );
    }
    if (precisions.length > 1) throw new UsageError('a point query takes one --precision');
  }
  if (v['model-file'] && models.length > 0) throw new UsageError('give --model or --model-file, not both');
  if (v['device-file'] && devices.length > 0) throw new UsageError('give --device or --device-file, not both');
  if (v['workflow-file'] && workflows.length > 0) throw new UsageError('give --workflow or --workflow-file, not both');

  const phase = v.phase ?? 'decode';
  if (phase !== 'prefill' && phase !== 'decode') {
    throw new UsageError(`--phase must be prefill or decode, got '${phase}'`);
  }
  const decodeBatchText = v['decode-batch'] ?? 'max';
  return {
    mode,
    models,
    devices,
    workflows,
    precisions,
    kvPrecision: v['kv-precision'],
    convention: v.convention,
    modelFile: v['model-file'],
    deviceFile: v['device-file'],
    workflowFile: v['workflow-file'],
    calibrationFile: v.calibration,
    phase,
    batch: optionalInteger(v.batch, '--batch', 1),
    contextTokens: optionalInteger(v.context, '--context', 0),
    promptTokens: optionalInteger(v.prompt, '--prompt', 1),
    numTensorParallel: optionalInteger(v.tp, '--tp', 1),
    kvTier: v['kv-tier'] === undefined ? undefined : parseKvTier(v['kv-tier']),
    numTurns: optionalInteger(v.turns, '--turns', 1) ?? DEFAULT_NUM_TURNS,
    seed: optionalInteger(v.seed, '--seed', 0) ?? DEFAULT_SEED,
    decodeBatch: decodeBatchText === 'max' ? 'max' : integer(decodeBatchText, '--decode-batch', 1, "or 'max'"),
    format: v.json ? 'json' : v.csv ? 'csv' : 'table',
    outDir: v.out ?? DEFAULT_OUT_DIR,
    writeFiles: !v['no-files'],
  };
}

function parse(argv: readonly string[]) {
  return parseFlags({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
}

/** Repeated flags and comma lists, trimmed, empties dropped. */
function list(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function optionalInteger(text: string | undefined, flag: string, min: number): number | undefined {
  return text === undefined ? undefined : integer(text, flag, min);
}

/** `--kv-tier <id>[:<fraction>]`: the share of each request's KV held in that tier (default 1). */
function parseKvTier(text: string): { id: string; fractionInTier: number } {
  const [id, fractionText, ...rest] = text.split(':');
  if (!id || rest.length > 0)
    throw new UsageError(`--kv-tier must look like <tier> or <tier>:<fraction>, got '${text}'`);
  if (fractionText === undefined) return { id, fractionInTier: 1 };
  const fraction = /^\s*(?:\d+(?:\.\d*)?|\.\d+)\s*$/.test(fractionText) ? Number(fractionText) : Number.NaN;
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new UsageError(`--kv-tier fraction must be a number in [0, 1], got '${fractionText}'`);
  }
  return { id, fractionInTier: fraction };
}
