// The serving cluster's three figures in one run (the disaggregated-cluster issue): router-added
// latency at 200 requests/s, KV handoff prefill → decode vs a raw socket, and the cluster's tokens/s
// vs one in-process runner. Each part is its own script, measuring its ratio side by side; this runs
// them one after another (never concurrently: they would share the 2 cores), reads what each wrote,
// and writes one summary: bench/results/serving.{json,md}.
//
//   node --import tsx bench/serving.bench.ts
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const OUT = join(ROOT, 'bench/results');

interface Part {
  readonly name: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly result: string;
}

const PARTS: readonly Part[] = [
  {
    name: 'router-added latency',
    script: 'apps/router/bench/router-latency.bench.ts',
    args: ['--scripted'],
    result: 'apps/router/bench/results/router-latency-scripted.json',
  },
  {
    name: 'KV handoff',
    script: 'apps/decode-worker/bench/handoff.bench.ts',
    args: [],
    result: 'apps/decode-worker/bench/results/handoff.json',
  },
  {
    name: 'cluster throughput',
    script: 'bench/cluster-throughput.bench.ts',
    args: [],
    result: 'bench/results/cluster-throughput.json',
  },
];

function run(part: Part): unknown {
  process.stderr.write(`serving bench: ${part.name} (${part.script} ${part.args.join(' ')})\n`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', part.script, ...part.args], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`${part.script} exited with ${r.status ?? r.signal}`);
  process.stderr.write(`serving bench: ${part.name} done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return JSON.parse(readFileSync(join(ROOT, part.result), 'utf8'));
}

const [latency, handoff, throughput] = PARTS.map(run) as [
  {
    ratePerSecondEachPath: number;
    addedPerPair: { p50Ms: number; p99Ms: number };
    router: { p99Ms: number };
    direct: { p99Ms: number };
    addedP99Ms: number;
    goalAddedP99Ms: number;
    routerCpuMicrosPerRequest: number;
  },
  {
    rawTcpBytesPerSecond: { median: number };
    handoffBytesPerSecond: { median: number };
    ratioHandoffToRaw: number;
    goalRatio: number;
  },
  {
    inProcess: { tokensPerSecond: number };
    cluster: { tokensPerSecond: number };
    ratioClusterToInProcess: number;
  },
];

const summary = {
  benchmark: 'serving',
  at: new Date().toISOString(),
  routerAddedLatency: {
    ratePerSecond: latency.ratePerSecondEachPath,
    addedPerPairP50Ms: latency.addedPerPair.p50Ms,
    addedPerPairP99Ms: latency.addedPerPair.p99Ms,
    p99RouterMinusP99DirectMs: latency.addedP99Ms,
    goalMs: latency.goalAddedP99Ms,
    met: latency.addedP99Ms <= latency.goalAddedP99Ms,
  },
  kvHandoff: {
    handoffBytesPerSecond: handoff.handoffBytesPerSecond.median,
    rawTcpBytesPerSecond: handoff.rawTcpBytesPerSecond.median,
    ratio: handoff.ratioHandoffToRaw,
    goalRatio: handoff.goalRatio,
    met: handoff.ratioHandoffToRaw >= handoff.goalRatio,
  },
  throughput: {
    clusterTokensPerSecond: throughput.cluster.tokensPerSecond,
    inProcessTokensPerSecond: throughput.inProcess.tokensPerSecond,
    ratio: throughput.ratioClusterToInProcess,
  },
};
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'serving.json'), `${JSON.stringify(summary, null, 2)}\n`);
const f = (x: number, d = 2) => x.toFixed(d);
const verdict = (met: boolean) => (met ? 'met' : 'not met');
const md = `# Serving cluster: the three figures of one run

${summary.at}; \`node --import tsx bench/serving.bench.ts\` ran each part in turn (details in each part's own result file).

| figure | result | goal |
| --- | --- | --- |
| router-added latency at ${summary.routerAddedLatency.ratePerSecond} req/s (scripted worker) | per pair p50 ${f(summary.routerAddedLatency.addedPerPairP50Ms)} ms; p99(router) − p99(direct) ${f(summary.routerAddedLatency.p99RouterMinusP99DirectMs)} ms | ≤ ${summary.routerAddedLatency.goalMs} ms: ${verdict(summary.routerAddedLatency.met)} |
| KV handoff prefill → decode | ${f(summary.kvHandoff.handoffBytesPerSecond / 1e9)} GB/s vs raw TCP ${f(summary.kvHandoff.rawTcpBytesPerSecond / 1e9)} GB/s = ${f(summary.kvHandoff.ratio)} | ≥ ${summary.kvHandoff.goalRatio}: ${verdict(summary.kvHandoff.met)} |
| cluster vs in-process tokens/s | ${f(summary.throughput.clusterTokensPerSecond, 1)} vs ${f(summary.throughput.inProcessTokensPerSecond, 1)} = ${f(summary.throughput.ratio)} | (reported) |

Parts: ${PARTS.map((p) => `\`${p.result.replace(/\.json$/, '.md')}\``).join(', ')}.
`;
writeFileSync(join(OUT, 'serving.md'), md);
process.stdout.write(md);
