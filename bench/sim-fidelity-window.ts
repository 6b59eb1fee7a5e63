// A judged fidelity comparison whose fit and real runs come from the same machine state (issue 12, round 6).
// This VM drifts: the same code ran the real cluster 33–39 % slower in TTFT p50 three hours after the quiet
// runs a twin had been fitted beside (round 5). So one procedure, in two phases:
//
//   real  (inside ONE hold of the bench lock): the fitting window's real run (mode a, 300 requests from 600 s
//         into the trace: the window the host-cost model is always fitted on), then the judged window's real
//         runs (the first 300 requests, --real-runs per mode, a b a b …). Each run records the machine beside
//         it (sim-fidelity-machine.ts: load, the host cgroup's other tasks, the read probe) and the workers'
//         measured loop series (worker-metrics.json).
//   twin  (no lock: virtual time): fit the host costs on the fitting run only (--sim-only --fit-host), then
//         run the twin on that fit against the judged runs (--sim-only). Nothing is fitted on a judged run.
//
//   node --import tsx bench/sim-fidelity-window.ts --out bench/results/sim-fidelity-r6 [--phase all|real|twin]
//        [--lock /work/bench.lock] [--real-runs 2] [--step-time-file <kernels>] [--host-scheduling per-core]
//        [--quiet-other-cores 0.1] [--quiet-max-seconds 45]
//
// Since round 7 the twin phase writes ttft-parts.md (where the TTFT goes, real vs twin, request by request); since
// round 7c it also fits the fitting run with the prefill meter's send part (fit-send/, twin-send/; window 7c: its
// kernel parts only, fit-kernel/, twin-kernel/) and without the meter (fit-no-meter/, twin-no-meter/); since round 8
// with the measured decode graph builds (--graph-build-file, fit-graph/, twin-graph/).
//
// `--phase all` takes the lock itself (flock) for the real phase only, then runs the twin phase unlocked;
// `--phase readme` rewrites README.md from what the phases wrote.
// Writes <out>/window.json (phases, commands, times) and <out>/README.md (the table, with the real runs'
// spread and each run's machine state).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { windowReadme } from './sim-fidelity-window-readme.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    phase: { type: 'string', default: 'all' },
    lock: { type: 'string', default: '/work/bench.lock' },
    'real-runs': { type: 'string', default: '2' },
    'step-time-file': { type: 'string', default: 'bench/results/sim-fidelity-r5b-steptime/step-time.json' },
    'host-scheduling': { type: 'string', default: 'per-core' },
    /** Before each real run: wait until the host's other tasks use ≤ this many cores (up to --quiet-max-seconds). */
    'quiet-other-cores': { type: 'string', default: '0.1' },
    'quiet-max-seconds': { type: 'string', default: '45' },
    /** Round 8: the measured decode graph builds (bench/sim-fidelity-graph-build.ts) for the twin-graph/ variant. */
    'graph-build-file': { type: 'string', default: 'bench/results/sim-fidelity-r8-tpot/graph-build.json' },
  },
});
if (values.out === undefined) throw new RangeError('--out <folder> is required (e.g. bench/results/sim-fidelity-r6)');
const phase = values.phase ?? 'all';
if (!['all', 'real', 'twin', 'readme'].includes(phase))
  throw new RangeError(`--phase must be all, real, twin or readme; got '${phase}'`);
const realRuns = Number(values['real-runs']);
if (!Number.isSafeInteger(realRuns) || realRuns < 1)
  throw new RangeError(`--real-runs must be a whole number ≥ 1; got '${values['real-runs']}'`);
const out = values.out;
const stepTime = values['step-time-file'] as string;
const scheduling = values['host-scheduling'] as string;
const BENCH = 'bench/sim-fidelity.bench.ts';
const fitDir = join(out, 'fit');
const fitRuns = join(fitDir, 'sim-fidelity-from600');
const judgedRuns = join(out, 'judged', 'sim-fidelity');
const hostCostFile = join(fitDir, 'host-cost.json');
const windowFile = join(out, 'window.json');
const graphBuild = values['graph-build-file'] as string;

interface Step {
  readonly name: string;
  readonly command: string;
  readonly startedIso: string;
  readonly endedIso: string;
  readonly status: number | null;
}
const log: { steps: Step[] } = { steps: [] };

function run(name: string, argv: string[]): void {
  const command = argv.join(' ');
  console.log(`\n== ${name}: ${command}`);
  const startedIso = new Date().toISOString();
  const r = spawnSync(argv[0] as string, argv.slice(1), { stdio: 'inherit' });
  // A child (the real phase under the lock) may have added its own steps meanwhile: append after them.
  if (existsSync(windowFile)) log.steps = (JSON.parse(readFileSync(windowFile, 'utf8')) as { steps: Step[] }).steps;
  log.steps.push({ name, command, startedIso, endedIso: new Date().toISOString(), status: r.status });
  mkdirSync(out, { recursive: true });
  writeFileSync(windowFile, `${JSON.stringify(log, null, 2)}\n`);
  if (r.status !== 0) throw new Error(`${name} failed (exit ${r.status}): ${command}`);
}

const node = ['node', '--import', 'tsx'];
const common = ['--max-requests', '300', '--step-time-file', stepTime, '--host-scheduling', scheduling];

const gate = [
  '--quiet-other-cores',
  values['quiet-other-cores'] as string,
  '--quiet-max-seconds',
  values['quiet-max-seconds'] as string,
];

function realPhase(): void {
  run('fitting window, real (mode a, 300 requests from 600 s)', [
    ...node,
    BENCH,
    '--modes',
    'a',
    '--start-seconds',
    '600',
    '--real-only',
    ...common,
    ...gate,
    '--out',
    fitDir,
  ]);
  run(`judged window, real (modes a and b, ${realRuns} runs each, alternating)`, [
    ...node,
    BENCH,
    '--modes',
    'a,b',
    '--real-runs',
    String(realRuns),
    '--real-only',
    ...common,
    ...gate,
    '--out',
    join(out, 'judged'),
  ]);
}

/**
 * Fits the host costs on the fitting window only (with `fitFlags`), into `hostCost`, then runs the twin on that fit
 * against the judged real runs, into `twinOut`.
 */
function fitAndTwin(
  what: { fit: string; twin: string },
  fitFlags: string[],
  hostCost: string,
  fitOut: string,
  twinOut: string,
): void {
  run(what.fit, [
    ...node,
    BENCH,
    '--modes',
    'a',
    '--start-seconds',
    '600',
    '--sim-only',
    '--fit-host',
    ...fitFlags,
    ...common,
    '--runs-dir',
    fitRuns,
    '--host-cost-file',
    hostCost,
    '--out',
    fitOut,
  ]);
  run(what.twin, [
    ...node,
    BENCH,
    '--modes',
    'a,b',
    '--sim-only',
    ...common,
    '--runs-dir',
    judgedRuns,
    '--host-cost-file',
    hostCost,
    '--out',
    twinOut,
  ]);
}

function twinPhase(): void {
  fitAndTwin(
    { fit: 'fit the host costs on the fitting window only', twin: 'the twin on that fit against the judged real runs' },
    [],
    hostCostFile,
    fitDir,
    join(out, 'twin'),
  );
  // Round 7c: the same fitting run fitted with the prefill meter's send part too (--send-meter; window 7c ran the
  // kernel parts only as twin-kernel/ and its rule S did not keep the send part) and without the meter
  // (--no-prefill-meter), each with its twin (sim-fidelity-ablation.ts). (Windows 7b to 7c ran the pace work's
  // variant here; `--loop-pace` still takes it.)
  for (const v of [
    { name: 'send', flag: '--send-meter', what: 'with the prefill meter’s send part too' },
    { name: 'no-meter', flag: '--no-prefill-meter', what: 'without the prefill meter' },
    // Round 8: the decode worker's first build of each decode graph, timed on this machine before the window.
    { name: 'graph', flag: `--graph-build-file=${graphBuild}`, what: 'with the measured decode graph builds' },
  ]) {
    fitAndTwin(
      { fit: `variant: the fit ${v.what}`, twin: `variant: its twin against the judged real runs (${v.name})` },
      [v.flag],
      join(fitDir, `host-cost-${v.name}.json`),
      join(out, `fit-${v.name}`),
      join(out, `twin-${v.name}`),
    );
  }
  run('TTFT by part, real vs twin', [
    ...node,
    'bench/sim-fidelity-ttft-parts.ts',
    '--real',
    judgedRuns,
    '--twin',
    join(out, 'twin', 'sim-fidelity'),
    '--out',
    join(out, 'ttft-parts.md'),
  ]);
  writeReadme();
}

function writeReadme(): void {
  const steps = existsSync(windowFile) ? (JSON.parse(readFileSync(windowFile, 'utf8')) as { steps: Step[] }).steps : [];
  writeFileSync(join(out, 'README.md'), windowReadme({ out, fitRuns, judgedRuns, steps }));
  console.log(`wrote ${join(out, 'README.md')}`);
}

if (phase === 'readme') writeReadme();
else if (phase === 'real') realPhase();
else if (phase === 'twin') twinPhase();
else {
  // The real phase under one hold of the lock (this script again, phase real), then the twin without it.
  const self = resolve(process.argv[1] as string);
  const args = ['--out', out, '--real-runs', String(realRuns), '--step-time-file', stepTime, ...gate];
  run('real phase under the bench lock', [
    'flock',
    values.lock as string,
    ...node,
    self,
    '--phase',
    'real',
    ...args,
    '--host-scheduling',
    scheduling,
  ]);
  twinPhase();
}
