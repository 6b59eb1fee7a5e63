// Calibrated step-time model fidelity: fits the model to one roofline sweep (pass A) and prices
// every point of a second, separately measured sweep (pass B) with it, beside @oicf/core's
// analytic prediction. Not a test. Run: `pnpm --filter @oicf/kernels bench:step-time`
// (`-- --quick` for the quick sweep; `-- --passes 3` measures each set in 3 passes, alternating A and
// B, and pools each point's runs over its set's passes, so a burst of load from other processes
// spoils some runs rather than whole points; `-- --wait-load 1.5` waits up to 10 min for the 1-minute
// load average to fall below 1.5 before each pass). Writes bench/results/step-time-fidelity.{json,md}.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { thisMachineDevice } from '@oicf/core';
import {
  calibrate,
  FULL_SWEEP,
  mergePasses,
  QUICK_CALIBRATION,
  QUICK_SWEEP,
  type RooflinePoint,
  runPoints,
  runSweep,
} from '../src/index.js';
import { fidelityRows, fitSweepPoints, repeatability } from './step-time-fit-points.js';
import { type FidelityRow, fidelityMarkdown } from './step-time-report.js';

// pnpm 12 passes the `--` of `pnpm … bench:step-time -- --passes 1` through: drop it.
const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: {
    quick: { type: 'boolean' },
    'wait-load': { type: 'string' },
    runs: { type: 'string' },
    passes: { type: 'string' },
    'extra-rounds': { type: 'string' },
    threads: { type: 'string' },
  },
});
const quick = values.quick === true;
const spec = quick ? QUICK_SWEEP : FULL_SWEEP;
const numRuns = Number(values.runs ?? 5);
const numPasses = Number(values.passes ?? 3);
const extraRounds = Number(values['extra-rounds'] ?? 3);
// onnxruntime intra-op threads: 1 by default, as the prefill and decode workers run (a fit applies to one count).
const threads = Number(values.threads ?? 1);
if (!Number.isInteger(threads) || threads < 1)
  throw new RangeError(`--threads: '${values.threads}' must be an integer ≥ 1`);
const waitLoad = values['wait-load'] === undefined ? undefined : Number(values['wait-load']);
const log = (m: string) => process.stderr.write(`${m}\n`);

async function quiet(pass: string): Promise<void> {
  if (waitLoad === undefined) return;
  const until = Date.now() + 600_000;
  while ((loadavg()[0] ?? 0) > waitLoad && Date.now() < until) {
    log(`${pass}: load ${(loadavg()[0] ?? 0).toFixed(2)} > ${waitLoad}, waiting…`);
    await new Promise((r) => setTimeout(r, 15_000));
  }
}

log('calibrating (for the analytic predictions on this machine)…');
const cal = await calibrate({
  intraOpNumThreads: threads,
  ...(quick ? { ...QUICK_CALIBRATION, quick: true } : {}),
  onProgress: log,
});
const device = thisMachineDevice(cal);

async function pass(name: string): Promise<{ points: RooflinePoint[]; load: [number, number]; startedAt: string }> {
  await quiet(name);
  const startedAt = new Date().toISOString();
  const load0 = loadavg()[0] ?? 0;
  const points = await runSweep(spec, {
    device,
    numRuns,
    intraOpNumThreads: threads,
    onProgress: (i, n, d) => process.stderr.write(`\r\x1b[K${name} [${i + 1}/${n}] ${d}`),
  });
  process.stderr.write('\n');
  return { points, load: [load0, loadavg()[0] ?? 0], startedAt };
}

// Alternate the sets' passes so both see the machine's quiet and busy spells alike.
const passesA: Awaited<ReturnType<typeof pass>>[] = [];
const passesB: Awaited<ReturnType<typeof pass>>[] = [];
for (let k = 1; k <= numPasses; k++) {
  passesA.push(await pass(`A${k}/${numPasses} (fit)`));
  passesB.push(await pass(`B${k}/${numPasses} (check)`));
}
const merged = (ps: typeof passesA) => ({
  points: mergePasses(ps.map((p) => p.points)),
  startedAt: ps[0]?.startedAt ?? '',
  load: ps.map((p) => p.load),
});
let a = merged(passesA);
let b = merged(passesB);
// Points with fewer than 3 clean runs in a set are measured again (up to extraRounds more rounds,
// alternating sets), their new runs pooled with the old: a busy spell then costs time, not points.
for (let round = 1; round <= extraRounds; round++) {
  const again = async (set: typeof a, name: string) => {
    const spoiled = set.points.flatMap((p, i) => (p.clean ? [] : [i]));
    if (spoiled.length === 0) return set;
    await quiet(name);
    const load0 = loadavg()[0] ?? 0;
    const plan = spoiled.map((i) => {
      const { variant, weights, phase, batch, newTokens, contextTokens } = set.points[i] as RooflinePoint;
      return { variant, weights, phase, batch, newTokens, contextTokens };
    });
    const redo = await runPoints(plan, spec, {
      device,
      numRuns,
      intraOpNumThreads: threads,
      onProgress: (i, n, d) => process.stderr.write(`\r\x1b[K${name} [${i + 1}/${n}] ${d}`),
    });
    process.stderr.write('\n');
    const points = set.points.map((p) => {
      const k = spoiled.indexOf(set.points.indexOf(p));
      const q = k >= 0 ? redo[k] : undefined;
      return q === undefined ? p : (mergePasses([[p], [q]])[0] as RooflinePoint);
    });
    return { ...set, points, load: [...set.load, [load0, loadavg()[0] ?? 0] as [number, number]] };
  };
  a = await again(a, `A again ${round}/${extraRounds}`);
  b = await again(b, `B again ${round}/${extraRounds}`);
}
// Fit to A's clean points, price every B point out-of-sample (the same code as bench:step-time:refit).
const fitA = fitSweepPoints(a.points, b.points, spec);
const rows: FidelityRow[] = fidelityRows(b.points, fitA.priceB);

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'results');
mkdirSync(out, { recursive: true });
const meta = {
  sweep: quick ? 'quick' : 'full',
  command:
    `pnpm --filter @oicf/kernels bench:step-time -- ${(argv[0] === '--' ? argv.slice(1) : argv).join(' ')}`.trim(),
  numRuns,
  numPasses,
  extraRounds,
  passA: { startedAt: a.startedAt, loadAverage: a.load, numPoints: a.points.length },
  passB: { startedAt: b.startedAt, loadAverage: b.load, numPoints: b.points.length },
  calibration: cal.source,
  intraOpNumThreads: threads,
  fit: fitA.fit,
  crossValidationA: fitA.crossValidation,
  repeatability: repeatability(a.points, b.points),
};
writeFileSync(
  join(out, 'step-time-fidelity.json'),
  `${JSON.stringify({ ...meta, rows, pointsA: a.points, pointsB: b.points }, null, 2)}\n`,
);
writeFileSync(join(out, 'step-time-fidelity.md'), fidelityMarkdown(meta, rows));
log(`wrote ${join(out, 'step-time-fidelity.{json,md}')}`);
