/**
 * A decode worker's start-up graph build, timed: `KernelRunner.warm` for batch 1…N (the prefill graph, and each batch
 * size's tiled and short-context decode graphs), the way `apps/decode-worker` warms before it reports ready.
 *
 *   node --import tsx packages/kernels/bench/warm.bench.ts [--variant gqa] [--batches 16] [--max-positions 8192]
 *
 * Prints wall seconds and this process's CPU seconds (utime + stime from /proc/self/stat) and one JSON line.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KernelRunner, tinyConfig, type VariantId } from '../src/index.js';

const { values } = parseArgs({
  options: {
    variant: { type: 'string', default: 'gqa' },
    batches: { type: 'string', default: '16' },
    'max-positions': { type: 'string', default: '8192' },
    threads: { type: 'string', default: '2' },
  },
});
const batches = Number(values.batches);
const maxPositions = Number(values['max-positions']);
if (!Number.isInteger(batches) || batches < 1)
  throw new Error(`--batches must be a positive integer, got ${values.batches}`);
if (!Number.isInteger(maxPositions) || maxPositions < 2) {
  throw new Error(`--max-positions must be an integer ≥ 2, got ${values['max-positions']}`);
}

/** utime + stime of this process in seconds (fields 14 and 15 of /proc/self/stat, in clock ticks of 1/100 s). */
function cpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const config = tinyConfig(values.variant as VariantId, { weights: 'fp32', seed: 1, maxPositions });
const runner = new KernelRunner({
  config,
  intraOpNumThreads: Number(values.threads),
  maxTokensPerSequence: maxPositions,
});
const cpu0 = cpuSeconds();
const t0 = performance.now();
await runner.warm(Array.from({ length: batches }, (_, i) => i + 1));
const wall = (performance.now() - t0) / 1000;
const cpu = cpuSeconds() - cpu0;
const loadAverage = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(
  `warm batch 1…${batches}, tiny-${values.variant}: ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU (load ${loadAverage})`,
);
console.log(
  JSON.stringify({ variant: values.variant, batches, maxPositions, wallSeconds: wall, cpuSeconds: cpu, loadAverage }),
);
await runner.close();
