// Round 8: what the decode worker's first build of a decode graph costs on this machine (the twin's host-cost
// decode.graphBuild; packages/sim/src/host-cost/graph-build.ts). Before 9242195 the worker warmed the batch-1 graphs at
// start (now: with OICF_DECODE_WORKER_WARM_BATCHES=1; the default builds them all before ready) and built every other
// (batch, short/tiled) graph and its onnxruntime session inside the first step that needs it (packages/kernels
// SessionCache). This builds them as a decode worker of the fidelity cluster does (its model, weights, seed, threads
// and context from the default cluster config): for each batch B of 2…maxBatch, a fresh runner's prefill + batch-1
// warm-up first (untimed, as at the worker's start), then `warm([B])` (the tiled and the short graph of B) timed: wall,
// the process's CPU, and the main thread's CPU (/proc/self/task/<pid>/stat). The cost per graph is half of a pair; the
// line secondsPerGraph + secondsPerSequence·B is fitted by least squares on the main thread's CPU (what blocks the
// worker's loop). Hold the bench lock:
//
//   flock /work/bench.lock node --import tsx bench/sim-fidelity-graph-build.ts --out bench/results/sim-fidelity-r8-tpot/graph-build.json
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultClusterConfig } from '@oicf/cluster';
import { DEFAULT_K_TILE_TOKENS, KernelRunner, tinyConfig, type VariantId } from '@oicf/kernels';
import { fitLine } from '@oicf/sim';

const { values } = parseArgs({ options: { out: { type: 'string' }, 'max-batch': { type: 'string' } } });
if (values.out === undefined) throw new Error('--out <file.json> is required');
const c = defaultClusterConfig();
const maxBatch = Number(values['max-batch'] ?? c.decode.maxBatch);
const [family, variant] = c.model.split('-') as ['tiny', VariantId];
if (family !== 'tiny') throw new Error(`expected a tiny model, the cluster serves ${c.model}`);

const TICK_SECONDS = 0.01; // USER_HZ 100
function mainThreadSeconds(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_SECONDS; // utime, stime (fields 14, 15)
}
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const rows: { batch: number; wallSeconds: number; processCpuSeconds: number; mainThreadCpuSeconds: number }[] = [];
const loadBefore = loadavg();
for (let batch = 2; batch <= maxBatch; batch++) {
  const config = tinyConfig(variant, {
    weights: c.weightPrecision,
    seed: c.seed,
    maxPositions: c.decode.maxContextTokens,
  });
  const runner = new KernelRunner({
    config,
    intraOpNumThreads: c.decode.threads,
    maxTokensPerSequence: c.decode.maxContextTokens,
  });
  await runner.warm([1]);
  const t0 = performance.now();
  const p0 = cpuSeconds();
  const m0 = mainThreadSeconds();
  await runner.warm([batch]);
  const row = {
    batch,
    wallSeconds: (performance.now() - t0) / 1e3,
    processCpuSeconds: cpuSeconds() - p0,
    mainThreadCpuSeconds: mainThreadSeconds() - m0,
  };
  rows.push(row);
  await runner.close();
  console.log(
    `batch ${batch}: both graphs ${row.wallSeconds.toFixed(3)} s wall, ${row.processCpuSeconds.toFixed(3)} s process CPU, ${row.mainThreadCpuSeconds.toFixed(2)} s main thread`,
  );
}
// Least squares of half a pair's main-thread CPU on B (slope clamped at 0 by fitLine, the intercept here).
const line = fitLine(rows.map((r) => ({ x: r.batch, y: r.mainThreadCpuSeconds / 2 })));
const slope = line.secondsPerByte; // fitLine's slope: seconds per unit of x, here per sequence of the batch
const intercept = Math.max(0, line.interceptSeconds);
const graphBuild = {
  secondsPerGraph: intercept,
  secondsPerSequence: slope,
  kTileTokens: config0HasShortGraphs() ? DEFAULT_K_TILE_TOKENS : 0,
  warmedBatches: [1],
};
function config0HasShortGraphs(): boolean {
  return tinyConfig(variant, { weights: c.weightPrecision, seed: c.seed }).mla === undefined;
}
const out = {
  measuredAtIso: new Date().toISOString(),
  source: `bench/sim-fidelity-graph-build.ts: ${c.model} ${c.weightPrecision} seed ${c.seed}, ${c.decode.threads} thread(s), batches 2…${maxBatch}`,
  loadAverage: { before: loadBefore, after: loadavg() },
  graphBuild,
  rows,
};
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(out, null, 2)}\n`);
console.log(
  `per graph (half a pair), main thread: ${intercept.toFixed(4)} s + ${slope.toFixed(4)} s per sequence; wrote ${values.out}`,
);
