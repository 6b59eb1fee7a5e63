// Step-time measurement in interleaved repeats (round 5): every point of the roofline sweep (or the
// variants/precisions asked for) measured in R repeats, one whole pass over the points per repeat,
// so a point's repeats lie minutes apart; each run records our CPU wait (schedstat) and the other
// tasks' CPU (cgroup cpuacct) beside its wall time. Writes the raw repeats only; the judgement and
// the fit are `bench/step-time-judge.ts` (no lock). Not a test. Run under the lock, e.g.
//   flock /work/bench.lock node --import tsx packages/kernels/bench/step-time-repeats.bench.ts \
//     --variants mha,gqa --repeats 4 --out packages/kernels/bench/results/step-time-r5-raw/mha-gqa.json
// (`--append` adds repeats to the file's; `--runs 3` timed runs per point and repeat, `--min-ms 40`
// more runs until they add up to 40 ms; `--threads 1` onnxruntime threads, as the workers;
// `--prefill-tokens 2048,4096,8192` other prefill lengths than the sweep's 128–1,024, and
// `--prefill-only` no decode points, e.g. the served tiny-gqa's long prompts:
//   --variants gqa --precisions fp32 --prefill-tokens 2048,4096,8192 --prefill-only; `--decode-contexts
// 1024,4096` and `--decode-batches 1,16` a subset of the decode points, e.g. issue 12.3's range). Each
// point records the read probe's rates just before it and just after its timed runs (read-probe.ts)
// and each repeat its steal time.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { thisMachineDevice } from '@oicf/core';
import { calibrate, FULL_SWEEP, type RooflinePoint, runSweep, type SweepSpec } from '../src/index.js';
import type { VariantId } from '../src/model/presets.js';
import { stealSeconds } from '../src/roofline/read-probe.js';

const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: {
    variants: { type: 'string' },
    precisions: { type: 'string' },
    repeats: { type: 'string' },
    runs: { type: 'string' },
    'min-ms': { type: 'string' },
    threads: { type: 'string' },
    out: { type: 'string' },
    append: { type: 'boolean' },
    'prefill-tokens': { type: 'string' },
    'prefill-only': { type: 'boolean' },
    'decode-contexts': { type: 'string' },
    'decode-batches': { type: 'string' },
  },
});
const list = (v: string | undefined, all: readonly string[], what: string) => {
  const xs = v === undefined ? [...all] : v.split(',');
  for (const x of xs) if (!all.includes(x)) throw new RangeError(`--${what}: '${x}' is not one of ${all.join(', ')}`);
  return xs;
};
const positive = (v: string | undefined, dflt: number, what: string, integer = true) => {
  const x = v === undefined ? dflt : Number(v);
  if (!(x >= (integer ? 1 : 0)) || (integer && !Number.isInteger(x)))
    throw new RangeError(`--${what}: '${v}' must be ${integer ? 'an integer ≥ 1' : 'a number ≥ 0'}`);
  return x;
};
const spec: SweepSpec = {
  ...FULL_SWEEP,
  variants: list(values.variants, FULL_SWEEP.variants, 'variants') as VariantId[],
  precisions: list(values.precisions, FULL_SWEEP.precisions, 'precisions') as SweepSpec['precisions'],
  prefillTokens:
    values['prefill-tokens'] === undefined
      ? FULL_SWEEP.prefillTokens
      : values['prefill-tokens'].split(',').map((t) => positive(t, 0, 'prefill-tokens')),
  ...(values['decode-contexts'] === undefined
    ? {}
    : { decodeContexts: values['decode-contexts'].split(',').map((t) => positive(t, 0, 'decode-contexts')) }),
  ...(values['decode-batches'] === undefined
    ? {}
    : { decodeBatches: values['decode-batches'].split(',').map((t) => positive(t, 0, 'decode-batches')) }),
  ...(values['prefill-only'] === true ? { decodeBatches: [] } : {}),
};
const numRepeats = positive(values.repeats, 4, 'repeats');
const numRuns = positive(values.runs, 3, 'runs');
const minTimedSeconds = positive(values['min-ms'], 40, 'min-ms', false) / 1e3;
const threads = positive(values.threads, 1, 'threads');
const out = values.out;
if (out === undefined) throw new RangeError('--out <file.json> is required');
const log = (m: string) => process.stderr.write(`${m}\n`);

export interface RepeatsFile {
  readonly schema: 'oicf-step-time-repeats/1';
  readonly variants: readonly string[];
  readonly precisions: readonly string[];
  readonly numRuns: number;
  readonly minTimedSeconds: number;
  readonly intraOpNumThreads: number;
  readonly calibration: string;
  readonly commands: readonly string[];
  readonly repeats: readonly {
    readonly startedAt: string;
    readonly endedAt: string;
    /** /proc/loadavg's 1-minute figure at the repeat's start and end. */
    readonly loadAverage: readonly [number, number];
    /** Steal time of all CPUs during the repeat ÷ its wall time, in CPUs (/proc/stat; absent before r5-bimodal). */
    readonly stealCpus?: number | null;
    readonly points: readonly RooflinePoint[];
  }[];
}

const previous: RepeatsFile | undefined =
  values.append === true && existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as RepeatsFile) : undefined;
if (previous && (previous.intraOpNumThreads !== threads || previous.numRuns !== numRuns))
  throw new RangeError(`--append: ${out} was measured with other --threads/--runs`);

log('calibrating (for the analytic predictions on this machine)…');
const cal = await calibrate({ intraOpNumThreads: threads, onProgress: log });
const device = thisMachineDevice(cal);
const command = `node --import tsx packages/kernels/bench/step-time-repeats.bench.ts ${argv.join(' ')}`;
const repeats: RepeatsFile['repeats'][number][] = [...(previous?.repeats ?? [])];
const save = () => {
  const file: RepeatsFile = {
    schema: 'oicf-step-time-repeats/1',
    variants: spec.variants,
    precisions: spec.precisions,
    numRuns,
    minTimedSeconds,
    intraOpNumThreads: threads,
    calibration: cal.source,
    commands: [...(previous?.commands ?? []), command],
    repeats,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(file)}\n`);
};
for (let r = 1; r <= numRepeats; r++) {
  const startedAt = new Date().toISOString();
  const load0 = loadavg()[0] ?? 0;
  const steal0 = stealSeconds();
  const t0 = performance.now();
  const points = await runSweep(spec, {
    device,
    numRuns,
    minTimedSeconds,
    intraOpNumThreads: threads,
    readProbe: true,
    onProgress: (i, n, d) => process.stderr.write(`\r\x1b[Krepeat ${r}/${numRepeats} [${i + 1}/${n}] ${d}`),
  });
  process.stderr.write('\n');
  const steal1 = stealSeconds();
  const stealCpus =
    steal0 === undefined || steal1 === undefined ? null : (steal1 - steal0) / ((performance.now() - t0) / 1e3);
  repeats.push({
    startedAt,
    endedAt: new Date().toISOString(),
    loadAverage: [load0, loadavg()[0] ?? 0],
    stealCpus,
    points,
  });
  save(); // after every repeat: a stopped run keeps what it measured
}
log(`wrote ${out} (${repeats.length} repeats)`);
