// Times the default sweep (4 workflows × 7 models × 7 devices × 3 precisions, 30-turn
// trajectories): one warm-up, then the median of NUM_RUNS timed runs. Goal: < 2 s.
// Writes results/sweep.json and results/sweep.md. Run: pnpm --filter @oicf/core bench
// (not a test; the machine is shared, so the goal ratio matters more than the absolute time).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SWEEP, median, type SweepRow, sweep } from '../src/index.js';

const NUM_RUNS = 5;
const GOAL_SECONDS = 2;

let rows: SweepRow[] = sweep(); // warm-up (JIT)
const secondsPerRun: number[] = [];
for (let run = 0; run < NUM_RUNS; run++) {
  const start = performance.now();
  rows = sweep();
  secondsPerRun.push((performance.now() - start) / 1000);
}
const medianSeconds = median(secondsPerRun);

// Regime counts per workflow and phase: what the sweep says, next to how fast it said it.
const regimes: Record<string, Record<string, number>> = {};
for (const row of rows) {
  const key = `${row.workflowId} ${row.phase}`;
  const counts = regimes[key] ?? {};
  counts[row.regime] = (counts[row.regime] ?? 0) + 1;
  regimes[key] = counts;
}

const result = {
  benchmark: 'oicf default sweep',
  sweep: DEFAULT_SWEEP,
  numRows: rows.length,
  numRuns: NUM_RUNS,
  secondsPerRun,
  medianSeconds,
  rowsPerSecond: rows.length / medianSeconds,
  goalSeconds: GOAL_SECONDS,
  medianOverGoal: medianSeconds / GOAL_SECONDS,
  regimeCounts: regimes,
  node: process.version,
  date: new Date().toISOString(),
};

const regimeNames = ['compute-bound', 'bandwidth-bound', 'capacity-bound', 'capacity-and-bandwidth-bound'];
const md = [
  '# oicf default sweep',
  '',
  `${DEFAULT_SWEEP.workflows.length} workflows × ${DEFAULT_SWEEP.models.length} models × ${DEFAULT_SWEEP.devices.length} devices × ${DEFAULT_SWEEP.precisions.length} precisions × ${DEFAULT_SWEEP.numTurns} turns × 2 phases = ${rows.length} rows (convention oicf, decode batch 'max', sharding 'fit-weights').`,
  '',
  `| median of ${NUM_RUNS} runs | rows/s | median ÷ ${GOAL_SECONDS} s goal |`,
  '| ---: | ---: | ---: |',
  `| ${medianSeconds.toFixed(3)} s | ${Math.round(result.rowsPerSecond).toLocaleString('en-US')} | ${result.medianOverGoal.toFixed(2)} |`,
  '',
  `Runs (s): ${secondsPerRun.map((s) => s.toFixed(3)).join(', ')}. Node ${process.version}, shared 2-core machine.`,
  '',
  '## Regimes by workflow and phase (row counts)',
  '',
  `| workflow phase | ${regimeNames.join(' | ')} |`,
  `| --- | ${regimeNames.map(() => '---:').join(' | ')} |`,
  ...Object.entries(regimes).map(
    ([key, counts]) => `| ${key} | ${regimeNames.map((name) => counts[name] ?? 0).join(' | ')} |`,
  ),
  '',
].join('\n');

const out = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'sweep.json'), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(join(out, 'sweep.md'), md);
process.stdout.write(`${md}\nwrote ${join(out, 'sweep.json')} and sweep.md\n`);
