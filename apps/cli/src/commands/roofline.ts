import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { thisMachineDevice } from '@oicf/core';
import {
  type CalibrationProfileFile,
  calibrate,
  calibrationReuse,
  DEFAULT_CALIBRATION,
  DEFAULT_CALIBRATION_PATH,
  FULL_SWEEP,
  fitRoofline,
  loadCalibration,
  loadStepTimeFile,
  planSweep,
  probeHardwareCounters,
  QUICK_CALIBRATION,
  QUICK_SWEEP,
  type RooflineFit,
  type RooflinePoint,
  runSweep,
  type SweepSpec,
  saveCalibration,
  saveStepTimeFile,
  shouldReplaceStepTime,
  VARIANT_IDS,
  type WeightPrecision,
} from '@oicf/kernels';
import { type Command, type CommandIo, UsageError } from '../command.js';
import { writeRooflineFiles } from './roofline-files.js';
import { checkPositions } from './roofline-positions.js';
import { fitSummary, rooflineSummary } from './roofline-summary.js';

const DEFAULT_OUT = join('out', 'roofline');
const PRECISIONS: readonly WeightPrecision[] = ['fp32', 'fp16', 'int8'];

const USAGE = `Usage: oicf roofline [options]

Runs the tiny transformer kernels (MHA, GQA, MLA-style, MoE; fp32 and int8 weights) with
onnxruntime on this machine, counts each step's FLOPs and bytes, and places the measured
points beside @oicf/core's predictions on this machine's calibrated roofline.

Calibration (peak GEMM FLOP/s per precision, streaming read bandwidth) is measured once and
saved; later runs reuse it. The file records whether it was quick and the GEMM size and thread
count; a full run measures again when the saved one is quick or used another thread count.
'oicf analyze --device this-machine' uses the saved calibration too.

Every run also fits the calibrated step-time model (fixed costs per call, node and input; GEMM,
weight-stream, KV, activation and int8 dequantization rates) to its points and saves it beside
the calibration (step-time.json; a quick run does not replace a saved full fit). The table shows
each point's measured runner call beside the analytic and calibrated predictions; the calibrated
one comes from a fit that left that point out (leave-one-out), so its error is out-of-sample.

Options:
  --quick                 a small sweep that finishes in under a minute
  --recalibrate           measure the machine again even if a calibration is saved
  --calibration <file>    calibration profile (default ${DEFAULT_CALIBRATION_PATH})
  --step-time <file>      calibrated step-time model (default step-time.json beside the calibration)
  --out <dir>             where roofline.svg, roofline.html and roofline.json go (default ${DEFAULT_OUT}/)
  --no-files              do not write them
  --json                  print the calibration and every point as JSON on stdout
  --variants <list>       ${VARIANT_IDS.join(', ')} (default mha,gqa,mla,moe)
  --precisions <list>     ${PRECISIONS.join(', ')} (default fp32,int8)
  --prefill <list>        prefill lengths in tokens (1 to the tiny models' positions, 65,536)
  --contexts <list>       decode context lengths in tokens (1 to 65,535: the new token needs a position)
  --batches <list>        decode batch sizes
  --runs <n>              timed runs per point, median kept (default 3)
  --no-traffic            skip the profiled run per point that measures the bytes its kernels moved
  --perf                  also count hardware events with 'perf stat' (LLC misses); says when the host has none
  --threads <n>           onnxruntime intra-op threads (default 2)
  --size <tiny|micro>     model size: tiny (the catalog's tiny-*), micro (smoke tests)

Examples:
  oicf roofline --quick
  oicf roofline --variants gqa,mla --contexts 4096,16384 --batches 1,4 --json > points.json
`;

interface RooflineArgs {
  readonly spec: SweepSpec;
  readonly quick: boolean;
  readonly recalibrate: boolean;
  readonly calibrationPath: string;
  readonly stepTimePath: string;
  readonly outDir: string;
  readonly writeFiles: boolean;
  readonly traffic: boolean;
  readonly perf: boolean;
  readonly json: boolean;
  readonly numRuns: number;
  readonly threads: number;
}

function parse(argv: string[], cwd: string): RooflineArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        quick: { type: 'boolean' },
        recalibrate: { type: 'boolean' },
        calibration: { type: 'string' },
        'step-time': { type: 'string' },
        out: { type: 'string' },
        'no-files': { type: 'boolean' },
        'no-traffic': { type: 'boolean' },
        perf: { type: 'boolean' },
        json: { type: 'boolean' },
        variants: { type: 'string' },
        precisions: { type: 'string' },
        prefill: { type: 'string' },
        contexts: { type: 'string' },
        batches: { type: 'string' },
        runs: { type: 'string' },
        threads: { type: 'string' },
        size: { type: 'string' },
      },
    }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const base = values.quick ? QUICK_SWEEP : FULL_SWEEP;
  const size = str('size') ?? 'tiny';
  if (size !== 'tiny' && size !== 'micro') throw new UsageError(`--size must be tiny or micro, got '${size}'`);
  const spec: SweepSpec = {
    size,
    variants: list('--variants', str('variants'), VARIANT_IDS) ?? base.variants,
    precisions: list('--precisions', str('precisions'), PRECISIONS) ?? base.precisions,
    prefillTokens: counts('--prefill', str('prefill'), 1) ?? base.prefillTokens,
    decodeContexts: counts('--contexts', str('contexts'), 1) ?? base.decodeContexts,
    decodeBatches: counts('--batches', str('batches'), 1) ?? base.decodeBatches,
  };
  checkPositions(spec);
  const calibrationPath = resolve(cwd, str('calibration') ?? DEFAULT_CALIBRATION_PATH);
  return {
    spec,
    quick: values.quick === true,
    recalibrate: values.recalibrate === true,
    calibrationPath,
    stepTimePath: resolve(cwd, str('step-time') ?? join(dirname(calibrationPath), 'step-time.json')),
    outDir: resolve(cwd, str('out') ?? DEFAULT_OUT),
    writeFiles: values['no-files'] !== true,
    traffic: values['no-traffic'] !== true,
    perf: values.perf === true,
    json: values.json === true,
    numRuns: counts('--runs', str('runs'), 1)?.[0] ?? 3,
    threads: counts('--threads', str('threads'), 1)?.[0] ?? 2,
  };
}

function list<T extends string>(flag: string, text: string | undefined, valid: readonly T[]): T[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(',').map((s) => s.trim());
  const bad = items.filter((s) => !(valid as readonly string[]).includes(s));
  if (bad.length > 0 || items.length === 0)
    throw new UsageError(`${flag}: unknown ${bad.join(', ')}; valid: ${valid.join(', ')}`);
  return items as T[];
}

function counts(flag: string, text: string | undefined, min: number): number[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(',').map((s) => Number(s.trim()));
  if (items.some((n) => !Number.isInteger(n) || n < min || n > 1_000_000)) {
    throw new UsageError(`${flag}: '${text}' must be comma-separated integers ≥ ${Math.max(min, 1)}`);
  }
  return items;
}

async function loadOrCalibrate(args: RooflineArgs, io: CommandIo): Promise<CalibrationProfileFile> {
  const saved = args.recalibrate ? undefined : loadCalibration(args.calibrationPath);
  if (saved !== undefined) {
    const reuse = calibrationReuse(saved, {
      quick: args.quick,
      gemmSize: DEFAULT_CALIBRATION.gemmSize,
      intraOpNumThreads: args.threads,
    });
    if (reuse.reuse) {
      const kind = saved.details.quick ? 'quick ' : '';
      io.stderr(
        `roofline: using ${kind}calibration ${args.calibrationPath} (${saved.details.measuredAt}; --recalibrate to measure again)\n`,
      );
      return saved;
    }
    io.stderr(
      `roofline: recalibrating: the saved calibration ${args.calibrationPath} does not fit this run: ${reuse.reason}\n`,
    );
  }
  const profile = await calibrate({
    intraOpNumThreads: args.threads,
    ...(args.quick ? { ...QUICK_CALIBRATION, quick: true } : {}),
    onProgress: (m) => io.stderr(`${m}\n`),
  });
  saveCalibration(args.calibrationPath, profile);
  io.stderr(`roofline: saved calibration to ${args.calibrationPath}\n`);
  return profile;
}

/** Fits the calibrated step-time model to the points and saves it unless a quick run would replace a full fit. */
function fitAndSave(
  args: RooflineArgs,
  points: readonly RooflinePoint[],
  at: { measuredAt: string; load0: number },
  io: CommandIo,
): RooflineFit {
  const fitted = fitRoofline(points, args.spec, {
    measuredAt: at.measuredAt,
    intraOpNumThreads: args.threads,
    quick: args.quick,
    loadAverage: [at.load0, loadavg()[0] ?? 0],
  });
  const replace = shouldReplaceStepTime(loadStepTimeFile(args.stepTimePath), fitted.file);
  if (replace) saveStepTimeFile(args.stepTimePath, fitted.file);
  io.stderr(fitSummary(fitted.file, fitted.fidelity, replace ? args.stepTimePath : undefined));
  return fitted;
}

async function run(argv: string[], io: CommandIo): Promise<number> {
  const args = parse(argv, io.cwd);
  const total = planSweep(args.spec).length;
  if (total === 0) throw new UsageError('the sweep has no points (check --prefill, --contexts, --batches)');
  const cal = await loadOrCalibrate(args, io);
  const started = performance.now();
  const measuredAt = new Date().toISOString();
  const load0 = loadavg()[0] ?? 0;
  const counters = args.perf ? probeHardwareCounters() : undefined;
  if (counters !== undefined && !counters.available)
    io.stderr(`roofline: hardware counters unavailable: ${counters.reason}\n`);
  const points = await runSweep(args.spec, {
    device: thisMachineDevice(cal),
    traffic: args.traffic,
    ...(counters?.available ? { hardwareEvents: counters.events } : {}),
    numRuns: args.numRuns,
    intraOpNumThreads: args.threads,
    signal: io.signal,
    onProgress: (i, n, d) => io.stderr(io.isTty ? `\r\x1b[K[${i + 1}/${n}] ${d}` : `[${i + 1}/${n}] ${d}\n`),
  });
  if (io.isTty) io.stderr('\n');
  io.stderr(
    `roofline: ${points.length}/${total} points in ${((performance.now() - started) / 1000).toFixed(1)} s${points.length < total ? ' (interrupted)' : ''}\n`,
  );
  const fitted = points.length > 0 ? fitAndSave(args, points, { measuredAt, load0 }, io) : undefined;
  const result = {
    calibration: cal,
    sweep: args.spec,
    ...(counters !== undefined ? { hardwareCounters: counters } : {}),
    points,
    stepTime: fitted?.file,
    fidelity: fitted?.fidelity ?? [],
  };
  if (args.writeFiles) {
    writeRooflineFiles(args.outDir, cal, args.spec.precisions, points, result);
    io.stderr(`roofline: wrote ${join(args.outDir, 'roofline.{svg,html,json}')}\n`);
  }
  io.stdout(args.json ? `${JSON.stringify(result, null, 2)}\n` : rooflineSummary(points, result.fidelity));
  return 0;
}

export const rooflineCommand: Command = {
  name: 'roofline',
  summary: 'Measure the tiny kernels with onnxruntime and place them on this machine’s roofline',
  usage: USAGE,
  run,
};
