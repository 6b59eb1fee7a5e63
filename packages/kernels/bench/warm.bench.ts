/**
 * A decode worker's start-up graph build, timed: `KernelRunner.warm` for batch 1…N (the prefill graph, and each batch
 * size's tiled and short-context decode graphs), the way `apps/decode-worker` warms before it reports ready.
 *
 *   node --import tsx packages/kernels/bench/warm.bench.ts [--variant gqa] [--batches 16] [--max-positions 8192]
 *     [--weights file|embedded] [--touch]
 *
 * Prints wall seconds and this process's CPU seconds (user + system, all threads), its memory after the warm
 * (VmRSS from /proc/self/status; Rss and Pss from /proc/self/smaps_rollup) and one JSON line. `--weights` is passed
 * to the runner only when given (a build without the option runs its default). `--touch` then runs every warmed graph
 * once (16 sequences prefilled to 260 tokens: each batch size's tiled decode; then cut to 8 tokens: each short one)
 * and reads the memory again: a mapped weights file is resident only once a session has read it. Pss counts a page
 * mapped by several sessions once; VmRSS counts it in every mapping.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KernelRunner, ownCpuNanos, tinyConfig, type VariantId } from '../src/index.js';

const { values } = parseArgs({
  options: {
    variant: { type: 'string', default: 'gqa' },
    batches: { type: 'string', default: '16' },
    'max-positions': { type: 'string', default: '8192' },
    threads: { type: 'string', default: '2' },
    weights: { type: 'string' },
    touch: { type: 'boolean', default: false },
  },
});
if (values.weights !== undefined && values.weights !== 'file' && values.weights !== 'embedded') {
  throw new Error(`--weights must be file or embedded, got ${values.weights}`);
}
const batches = Number(values.batches);
const maxPositions = Number(values['max-positions']);
if (!Number.isInteger(batches) || batches < 1)
  throw new Error(`--batches must be a positive integer, got ${values.batches}`);
if (!Number.isInteger(maxPositions) || maxPositions < 2) {
  throw new Error(`--max-positions must be an integer ≥ 2, got ${values['max-positions']}`);
}

/** This process's CPU seconds, all threads, user + system (the roofline's own meter). */
const cpuSeconds = () => ownCpuNanos() / 1e9;

/** This process's memory in MiB: VmRSS (/proc/self/status) and Rss, Pss by kind (/proc/self/smaps_rollup). */
function memoryMiB() {
  const field = (text: string, key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) / 1024;
  const status = readFileSync('/proc/self/status', 'utf8');
  const rollup = readFileSync('/proc/self/smaps_rollup', 'utf8');
  return {
    vmRss: field(status, 'VmRSS'),
    rss: field(rollup, 'Rss'),
    pss: field(rollup, 'Pss'),
    pssAnon: field(rollup, 'Pss_Anon'),
    pssFile: field(rollup, 'Pss_File'),
    pssShmem: field(rollup, 'Pss_Shmem'),
  };
}

const config = tinyConfig(values.variant as VariantId, { weights: 'fp32', seed: 1, maxPositions });
const runner = new KernelRunner({
  config,
  intraOpNumThreads: Number(values.threads),
  maxTokensPerSequence: maxPositions,
  ...(values.weights !== undefined ? { weights: values.weights as 'file' | 'embedded' } : {}),
});
const cpu0 = cpuSeconds();
const t0 = performance.now();
await runner.warm(Array.from({ length: batches }, (_, i) => i + 1));
const wall = (performance.now() - t0) / 1000;
const cpu = cpuSeconds() - cpu0;
const loadAverage = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const memory = memoryMiB();
console.log(
  `warm batch 1…${batches}, tiny-${values.variant}, weights ${values.weights ?? '(default)'}: ${wall.toFixed(2)} s wall, ` +
    `${cpu.toFixed(2)} s CPU (load ${loadAverage}); after warm: VmRSS ${memory.vmRss.toFixed(0)} MiB, ` +
    `Pss ${memory.pss.toFixed(0)} MiB (file ${memory.pssFile.toFixed(0)}, shmem ${memory.pssShmem.toFixed(0)})`,
);
let touched: ReturnType<typeof memoryMiB> | undefined;
if (values.touch) {
  const ids = Array.from({ length: batches }, (_, i) => `s${i}`);
  const prompt = Array.from({ length: 260 }, (_, i) => (i * 31 + 7) % 256);
  for (const id of ids) await runner.prefill(id, prompt);
  for (let b = 1; b <= batches; b++) {
    await runner.decodeStep(
      ids.slice(0, b),
      ids.slice(0, b).map(() => 1),
    );
    for (const id of ids.slice(0, b)) runner.truncate(id, 260);
  }
  for (const id of ids) runner.truncate(id, 8);
  for (let b = 1; b <= batches; b++) {
    await runner.decodeStep(
      ids.slice(0, b),
      ids.slice(0, b).map(() => 1),
    );
    for (const id of ids.slice(0, b)) runner.truncate(id, 8);
  }
  touched = memoryMiB();
  console.log(
    `after running every graph once: VmRSS ${touched.vmRss.toFixed(0)} MiB, Pss ${touched.pss.toFixed(0)} MiB ` +
      `(file ${touched.pssFile.toFixed(0)}, shmem ${touched.pssShmem.toFixed(0)})`,
  );
}
console.log(
  JSON.stringify({
    variant: values.variant,
    batches,
    maxPositions,
    weights: values.weights ?? null,
    wallSeconds: wall,
    cpuSeconds: cpu,
    loadAverage,
    memoryMiB: memory,
    ...(touched ? { touchedMemoryMiB: touched } : {}),
  }),
);
await runner.close();
