// The serving cluster's figures in one run (issues 10 and 11): router CPU per request and router-added
// latency with a scripted worker at 1,000 and 2,000 requests/s, KV handoff prefill → decode vs a raw socket,
// and the cluster's tokens/s vs one in-process runner. Each part is its own script measuring its ratio side
// by side (and CPU per unit of work from /proc); this runs them one after another (never concurrently: they
// would share the 2 cores), reads what each wrote, and writes one summary: bench/results/serving.{json,md}.
//
//   node --import tsx bench/serving.bench.ts [--runs 3] [--summarize-only]
//
// `--runs N` is passed to the router and throughput parts (N measured windows / runs each, with their spread);
// `--summarize-only` runs nothing and rewrites the summary from the parts' result files as they are.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadAverage } from '@oicf/cluster';

const ROOT = new URL('..', import.meta.url).pathname;
const OUT = join(ROOT, 'bench/results');
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, 'summarize-only': { type: 'boolean', default: false } },
});
const RUNS = values.runs;

interface Part {
  readonly name: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly result: string;
}

const PARTS: readonly Part[] = [
  {
    name: 'router at 1,000/s',
    script: 'apps/router/bench/router-latency.bench.ts',
    args: ['--scripted', '--rate', '1000', '--runs', RUNS, '--out', 'router-latency-scripted'],
    result: 'apps/router/bench/results/router-latency-scripted.json',
  },
  {
    name: 'router at 2,000/s',
    script: 'apps/router/bench/router-latency.bench.ts',
    args: ['--scripted', '--rate', '2000', '--runs', RUNS, '--out', 'router-latency-scripted-2000'],
    result: 'apps/router/bench/results/router-latency-scripted-2000.json',
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
    args: ['--runs', RUNS],
    result: 'bench/results/cluster-throughput.json',
  },
];

function run(part: Part): unknown {
  if (values['summarize-only']) return JSON.parse(readFileSync(join(ROOT, part.result), 'utf8'));
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

interface RouterWindow {
  addedP99Ms: number;
  routerMainThreadCpuMicrosPerRequest: number;
  routerCpuMicrosPerRequest: number;
}
interface RouterResult {
  ratePerSecondEachPath: number;
  windows: Array<RouterWindow & { lateSends: number; router: { n: number } }>;
  floor: { mainThreadCpuMicrosPerRequest: number };
}
/** The router bench's own rule (router-latency-report.ts): latencies count only if its client kept time. */
const kept = (r: RouterResult) => r.windows.every((w) => w.lateSends <= 0.01 * 2 * w.router.n);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length / 2) - 1] ?? Number.NaN;
const span = (xs: number[], d: number) =>
  `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`;

const loadBefore = loadAverage();
const [r1000, r2000, handoff, throughput] = PARTS.map(run) as [
  RouterResult,
  RouterResult,
  {
    handoffBytesPerSecond: { median: number };
    shmHandoffBytesPerSecond: { median: number };
    rawTcpBytesPerSecond: { median: number };
    ratioHandoffToRaw: number;
    ratioShmHandoffToRaw: number;
    /** Issue 11.4's floor and stretch for the same-host (shared-memory) handoff ÷ raw TCP. */
    goal: { shmHandoffToRawAtLeast: number; stretch: number };
  },
  {
    runs: Array<{
      cluster: { tokensPerSecond: number; outputTokens: number; cpuSecondsByService: Record<string, number> };
      inProcess: { tokensPerSecond: number; outputTokens: number; cpuSeconds: number };
      loadBefore: number[];
    }>;
  },
];
const routerFigures = (r: RouterResult) => ({
  ratePerSecond: r.ratePerSecondEachPath,
  mainThreadCpuMicrosPerRequest: r.windows.map((w) => w.routerMainThreadCpuMicrosPerRequest),
  allThreadsCpuMicrosPerRequest: r.windows.map((w) => w.routerCpuMicrosPerRequest),
  p99RouterMinusP99DirectMs: r.windows.map((w) => w.addedP99Ms),
  floorServerMainThreadCpuMicrosPerRequest: r.floor.mainThreadCpuMicrosPerRequest,
});
const ratios = throughput.runs.map((x) => x.cluster.tokensPerSecond / x.inProcess.tokensPerSecond);
// CPU per output token, in-process ÷ cluster (cluster-throughput-report.ts's cpuRatioOf).
const cpuRatios = throughput.runs.map(
  (x) =>
    x.inProcess.cpuSeconds /
    x.inProcess.outputTokens /
    (Object.values(x.cluster.cpuSecondsByService).reduce((p, q) => p + q, 0) / x.cluster.outputTokens),
);
const summary = {
  benchmark: 'serving',
  at: new Date().toISOString(),
  loadAverageBefore: loadBefore,
  loadAverageAfter: loadAverage(),
  router1000: routerFigures(r1000),
  router2000: routerFigures(r2000),
  kvHandoff: {
    handoffBytesPerSecond: handoff.handoffBytesPerSecond.median,
    shmHandoffBytesPerSecond: handoff.shmHandoffBytesPerSecond.median,
    rawTcpBytesPerSecond: handoff.rawTcpBytesPerSecond.median,
    ratio: handoff.ratioHandoffToRaw,
    shmRatio: handoff.ratioShmHandoffToRaw,
    goalRatio: handoff.goal.shmHandoffToRawAtLeast,
    stretchRatio: handoff.goal.stretch,
  },
  throughput: {
    ratios,
    cpuRatios,
    loadAverageBeforeEachRun: throughput.runs.map((x) => x.loadBefore),
    judged: throughput.runs.every((x) => (x.loadBefore[0] ?? Number.POSITIVE_INFINITY) < cpus().length),
  },
};
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'serving.json'), `${JSON.stringify(summary, null, 2)}\n`);
const verdict = (met: boolean) => (met ? '**met**' : '**not met**');
const NOT_JUDGED_LATENCY = '**not judged** (the bench client fell behind its schedule: machine too busy)';
const NOT_JUDGED_LOAD = '**not judged** (a run started at a 1-minute load average above the core count)';
const a = summary.router1000;
const b = summary.router2000;
const md = `# Serving cluster: the figures of one run

${summary.at}; \`node --import tsx bench/serving.bench.ts --runs ${RUNS}\`${values['summarize-only'] ? ' (a summary of the parts as last run; the load averages are at summary time)' : ''} ran each part in turn (details in each part's own result file); load average ${loadBefore.join(' ')} before, ${summary.loadAverageAfter.join(' ')} after (2 cores, shared). Figures: median (min–max) over the runs.

| figure (benchmark) | result | floor (issue 11) | stretch |
| --- | --- | --- | --- |
| router CPU per routed short request, main thread (router-latency --scripted, 1,000/s) | ${span(a.mainThreadCpuMicrosPerRequest, 0)} µs (all threads ${span(a.allThreadsCpuMicrosPerRequest, 0)}; a trivial Node HTTP server: ${a.floorServerMainThreadCpuMicrosPerRequest.toFixed(0)}) | ≤ 150 µs: ${verdict(median(a.mainThreadCpuMicrosPerRequest) <= 150)} | ≤ 50 µs: ${verdict(median(a.mainThreadCpuMicrosPerRequest) <= 50)} |
| p99(router) − p99(direct), scripted worker | ${span(a.p99RouterMinusP99DirectMs, 2)} ms at 1,000/s; ${span(b.p99RouterMinusP99DirectMs, 2)} ms at 2,000/s | ≤ 1 ms at 1,000/s: ${kept(r1000) ? verdict(median(a.p99RouterMinusP99DirectMs) <= 1) : NOT_JUDGED_LATENCY} | ≤ 0.5 ms at 2,000/s: ${kept(r2000) ? verdict(median(b.p99RouterMinusP99DirectMs) <= 0.5) : NOT_JUDGED_LATENCY} |
| cluster ÷ in-process tokens/s (cluster-throughput) | ${span(ratios, 2)} (CPU per token, in-process ÷ cluster: ${span(cpuRatios, 2)}) | ≥ 0.6: ${summary.throughput.judged ? verdict(median(ratios) >= 0.6) : NOT_JUDGED_LOAD} | ≥ 0.8: ${summary.throughput.judged ? verdict(median(ratios) >= 0.8) : NOT_JUDGED_LOAD} |
| KV handoff ÷ raw TCP, same host (handoff bench; issue 11.4, not this branch's) | shared memory ${summary.kvHandoff.shmRatio.toFixed(2)} (${(summary.kvHandoff.shmHandoffBytesPerSecond / 1e9).toFixed(2)} vs ${(summary.kvHandoff.rawTcpBytesPerSecond / 1e9).toFixed(2)} GB/s); WebSocket ${summary.kvHandoff.ratio.toFixed(2)} (${(summary.kvHandoff.handoffBytesPerSecond / 1e9).toFixed(2)} GB/s) | ≥ ${summary.kvHandoff.goalRatio}: ${verdict(summary.kvHandoff.shmRatio >= summary.kvHandoff.goalRatio)} | ≥ ${summary.kvHandoff.stretchRatio}: ${verdict(summary.kvHandoff.shmRatio >= summary.kvHandoff.stretchRatio)} |

Parts: ${PARTS.map((p) => `\`${p.result.replace(/\.json$/, '.md')}\``).join(', ')}.
`;
writeFileSync(join(OUT, 'serving.md'), md);
process.stdout.write(md);
