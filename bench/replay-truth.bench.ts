// Does a replay tell the truth? (issue 16, a script, not a test): the first 20 minutes of the Mooncake
// conversation trace, token-scaled, against a real local cluster whose workers emulate Llama-3.1-70B on
// H100. It puts the measured prefix-hit ratio (what clients were told: usage.cached_tokens ÷ prompt tokens)
// beside the reuse ceiling at the cluster's block size (an unlimited prefix cache, the same trace, the same
// scaling, `oicf trace stats --block-tokens`), and reports the emulation's underrun share per phase.
//
//   node --import tsx bench/replay-truth.bench.ts [--window 0:1200] [--token-scale 0.015625] [--speed 1]
//                                                [--emulate llama-3.1-70b@h100] [--out <dir>]
//
// The cluster: `blockTokens` = 512 × the token scale, so each scaled trace block is exactly one cluster
// block and the ceiling at the cluster's block size equals the trace's own; 2 prefill workers, 1
// decode worker (every reusable prefix is on it or in the pool), a pool large enough for every block of the
// window (no eviction: the ceiling assumes an unlimited cache), and an SLO that never rejects (a reject
// would drop its blocks from the experiment). Writes bench/results/replay-truth.md and .json; the full
// replay report stays in --out (printed). The machine is shared: the load average is sampled during the
// run and written beside the figures.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type CommandIo, replayCommand } from '@oicf/cli';
import { prepareTrace } from '@oicf/loadgen';
import { computeReuseCeiling, parseWindow } from '@oicf/traces';
import { sharedTrace } from '@oicf/traces/node';

const { values } = parseArgs({
  options: {
    window: { type: 'string', default: '0:1200' },
    'token-scale': { type: 'string', default: '0.015625' },
    speed: { type: 'string', default: '1' },
    emulate: { type: 'string', default: 'llama-3.1-70b@h100' },
    out: { type: 'string' },
    'prefill-workers': { type: 'string', default: '2' },
  },
});
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = join(repoRoot, 'bench', 'results');
const outDir = values.out ?? mkdtempSync(join(tmpdir(), 'oicf-replay-truth-'));
const trace = sharedTrace('mooncake-fast25/conversation_trace.jsonl');
if (!trace.exists) {
  process.stderr.write(`replay-truth: ${trace.path} not found (set OICF_SHARED_TRACES)\n`);
  process.exit(1);
}
const tokenScale = Number(values['token-scale']);
const blockTokens = Math.max(1, Math.round(512 * tokenScale));
const window = parseWindow(values.window as string);
if (!window.ok) throw new Error(`--window: ${window.error}`);

// The ceiling, from the very requests replay will send (same window, same block-keeping scale).
const prepared = await prepareTrace(
  {
    traceFile: trace.path,
    format: 'auto',
    skipBadLines: false,
    window: window.window,
    tokenScale,
    tokenScaleMode: 'blocks',
    loop: 'auto',
  },
  repoRoot,
);
if (!prepared.ok) throw new Error(prepared.message);
const ceiling = computeReuseCeiling(prepared.requests, blockTokens);
if (!ceiling.available) throw new Error(`no ceiling: ${ceiling.reason}`);
const promptTokens = prepared.requests.reduce((a, r) => a + r.inputTokens, 0);
// Every full block the window sends, at 4,096 KV bytes per token (tiny-gqa, fp32), with room to spare.
const poolBytes = Math.max(512 * 1024 * 1024, Math.ceil((promptTokens * 4096 * 1.5) / 2 ** 20) * 2 ** 20);

const cluster = {
  blockTokens,
  prefill: { count: Number(values['prefill-workers']) },
  decode: { count: 1 },
  // Heartbeats are every 0.5 s; on a 2-core machine shared at load averages of 10–25 a starved worker can
  // miss 3 s of them and be marked unhealthy (requests then get 429 no-worker): allow 30 s here.
  router: {
    policy: 'oicf-cost',
    policyParams: { sloTtftSeconds: 3600 },
    workerTimeoutSeconds: 30,
    workerDropSeconds: 120,
    // Nor a queue bound (issue 14's 503 queue-full / queue-time): a refused request's blocks would leave
    // the experiment just as an SLO reject's would.
    queue: { maxQueuedPerWorker: 100_000, maxQueueSeconds: 86_400 },
  },
  pool: { tiers: { dram: { capacityBytes: poolBytes } } },
};
mkdirSync(outDir, { recursive: true });
const clusterFile = join(outDir, 'cluster.json');
writeFileSync(clusterFile, `${JSON.stringify(cluster, null, 2)}\n`);

const controller = new AbortController();
process.on('SIGINT', () => controller.abort());
const io: CommandIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTty: Boolean(process.stderr.isTTY),
  cwd: repoRoot,
  signal: controller.signal,
};
const argv = [
  trace.path,
  '--window',
  values.window as string,
  '--token-scale',
  String(tokenScale),
  '--speed',
  values.speed as string,
  '--emulate',
  values.emulate as string,
  '--cluster-config',
  clusterFile,
  '--out',
  join(outDir, 'report'),
  '--cluster-run-dir',
  join(outDir, 'cluster'),
];
const loads: number[] = [];
const sampler = setInterval(() => loads.push(loadavg()[0] as number), 30_000);
const loadBefore = loadavg();
const started = Date.now();
const code = await replayCommand.run(argv, io);
clearInterval(sampler);
const wallSeconds = (Date.now() - started) / 1000;
const loadAfter = loadavg();
if (code !== 0 && code !== 130) process.exit(code);

interface Figure {
  figure: string;
  ratio: number | null;
  numerator: number | null;
  denominator: number | null;
  unit: string;
}
interface PhaseRow {
  phase: string;
  pacedSteps: number;
  underrunSteps: number;
  underrunShare: number | null;
  sleepShare: number | null;
}
const report = JSON.parse(readFileSync(join(outDir, 'report', 'replay.json'), 'utf8'));
const summary = report.summary;
const reuse = summary.reuse as Figure[];
const measured = summary.prefix.hitRatio as number | null;
// A rejected or failed request deposits no blocks and has no hit ratio: the like-for-like ceiling is over
// the requests that completed, in the same order (equal to the whole trace's when none failed).
const okIds = new Set(
  (report.requests as { requestId: string; status: string }[]).filter((r) => r.status === 'ok').map((r) => r.requestId),
);
const okCeiling = computeReuseCeiling(
  prepared.requests.filter((r) => okIds.has(r.requestId)),
  blockTokens,
);
const comparable = okCeiling.available ? okCeiling : ceiling;
const phases = (summary.cluster.emulation?.byPhase ?? []) as PhaseRow[];
const gapPoints = measured === null ? null : 100 * (comparable.ratio - measured);
const pct = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : `${(100 * v).toFixed(2)} %`);
const loadMean = loads.length === 0 ? null : loads.reduce((a, b) => a + b, 0) / loads.length;
const result = {
  command:
    `${process.env.OICF_SHARED_TRACES ? `OICF_SHARED_TRACES=${process.env.OICF_SHARED_TRACES} ` : ''}node --import tsx bench/replay-truth.bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
  replayArgv: argv,
  cluster,
  window: values.window,
  tokenScale,
  speed: Number(values.speed),
  emulate: values.emulate,
  numRequests: prepared.requests.length,
  byStatus: summary.byStatus,
  rejectsByReason: summary.rejectsByReason,
  errorsByCode: summary.errorsByCode,
  ceiling,
  ceilingOfOkRequests: okCeiling,
  measuredHitRatio: measured,
  gapPoints,
  reuse,
  emulation: summary.cluster.emulation,
  ttft: summary.ttft,
  wallSeconds,
  durationSeconds: summary.durationSeconds,
  loadAverage: { before: loadBefore, after: loadAfter, meanOf1MinDuringRun: loadMean, samples: loads },
  reportDir: join(outDir, 'report'),
};
// The run's Markdown and HTML report (< 1 MB) beside the result; replay.json (every request and scrape,
// ~10 MB) stays in --out.
const keptDir = join(resultsDir, 'replay-truth');
mkdirSync(keptDir, { recursive: true });
for (const f of ['replay.md', 'replay.html']) copyFileSync(join(outDir, 'report', f), join(keptDir, f));
writeFileSync(join(resultsDir, 'replay-truth.json'), `${JSON.stringify(result, null, 2)}\n`);
const md = [
  '# Replay truth: measured prefix-hit ratio beside the ceiling, and emulation underruns',
  '',
  `First ${values.window} s of the Mooncake conversation trace (${prepared.requests.length} requests), token scale ×${tokenScale} (512-token trace blocks → ${blockTokens}-token blocks, kept under their ids), speed ×${values.speed}, every worker emulating ${values.emulate}; cluster \`${JSON.stringify(cluster)}\`.`,
  '',
  `| figure | value |`,
  '| --- | ---: |',
  `| requests ok / rejected / errors / cancelled | ${summary.byStatus.ok} / ${summary.byStatus.rejected} / ${summary.byStatus.error} / ${summary.byStatus.cancelled} |`,
  `| reuse ceiling at the cluster's ${blockTokens}-token blocks (unlimited cache, every request of the window) | ${pct(ceiling.ratio)} (${ceiling.numServedTokens} of ${ceiling.numPromptTokens} tokens) |`,
  `| the same ceiling over the requests that completed (what the measured figure compares with) | ${comparable.available ? `${pct(comparable.ratio)} (${comparable.numServedTokens} of ${comparable.numPromptTokens} tokens)` : 'n/a'} |`,
  `| measured hit ratio (client: usage.cached_tokens ÷ prompt tokens, ok requests) | ${pct(measured)} |`,
  `| gap (ceiling − measured) | ${gapPoints === null ? 'n/a' : `${gapPoints.toFixed(2)} points`} (goal ≤ 0.5) |`,
  ...reuse.map(
    (f) =>
      `| reuse figure: ${f.figure} | ${pct(f.ratio)} (${f.numerator ?? 'n/a'} of ${f.denominator ?? 'n/a'} ${f.unit}) |`,
  ),
  ...phases.map(
    (p) =>
      `| ${p.phase}: underrun share (steps slower here than on ${values.emulate}) | ${pct(p.underrunShare)} (${p.underrunSteps} of ${p.pacedSteps}) |`,
  ),
  ...phases.map((p) => `| ${p.phase}: pacing-sleep share of step time | ${pct(p.sleepShare)} |`),
  `| worker events (router-recorded) | ${(summary.events?.events ?? []).length} (${[...new Set((summary.events?.events ?? []).map((e: { kind: string }) => e.kind))].join(', ') || 'none'}) |`,
  `| TTFT p50 / p99 | ${summary.ttft?.p50Seconds?.toFixed(3) ?? 'n/a'} s / ${summary.ttft?.p99Seconds?.toFixed(3) ?? 'n/a'} s |`,
  `| wall time / replay duration | ${wallSeconds.toFixed(0)} s / ${summary.durationSeconds.toFixed(0)} s |`,
  `| load average (1 min) before / mean during / after | ${loadBefore[0]?.toFixed(2)} / ${loadMean?.toFixed(2) ?? 'n/a'} / ${loadAfter[0]?.toFixed(2)} (2 cores, shared) |`,
  '',
  `Command: \`${result.command}\`, which runs \`oicf replay ${argv.slice(1).join(' ')}\` (trace: ${trace.path}). Report: \`bench/results/replay-truth/replay.md\` and \`.html\` (replay.json in \`${result.reportDir}\`).`,
  '',
].join('\n');
writeFileSync(join(resultsDir, 'replay-truth.md'), md);
process.stdout.write(`${md}\nwrote ${join(resultsDir, 'replay-truth.md')} and .json\n`);
