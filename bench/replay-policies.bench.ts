// Routing policies under replay (a script, not a test): the first 10 minutes of the Mooncake
// conversation trace, token-scaled, against local clusters whose workers emulate Llama-3.1-70B on
// H100, once routed by prefix-aware and once by oicf-cost, one after the other in one run. Reports
// goodput (DistServe SLO attainment and rate) and TTFT p99 side by side, with their ratio.
//
//   node --import tsx bench/replay-policies.bench.ts [--speed 1] [--token-scale 0.04] [--window 0:600]
//
// Writes bench/results/replay-policies.json and .md, and the comparison report (compare.html, .md,
// .json) under bench/results/replay-policies/. Absolute times on a shared 2-core machine
// are noisy; the ratios between the two policies, measured in the same run, are the result.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type CommandIo, replayCommand } from '@oicf/cli';
import { sharedTrace } from '@oicf/traces/node';

const POLICIES = ['prefix-aware', 'oicf-cost'] as const;
const EMULATE = 'llama-3.1-70b@h100';

const { values } = parseArgs({
  options: {
    speed: { type: 'string', default: '1' },
    'token-scale': { type: 'string', default: '0.04' },
    window: { type: 'string', default: '0:600' },
  },
});
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = join(repoRoot, 'bench', 'results');
// The comparison (compare.html/.md/.json, < 1 MB) is kept in the results; each policy's full report
// (every request and scrape, several MB) stays in a temporary folder whose path is printed.
const reportDir = join(resultsDir, 'replay-policies');
const runDir = mkdtempSync(join(tmpdir(), 'oicf-replay-policies-'));
const trace = sharedTrace('mooncake-fast25/conversation_trace.jsonl');
if (!trace.exists) {
  process.stderr.write(`replay-policies: ${trace.path} not found (set OICF_SHARED_TRACES)\n`);
  process.exit(1);
}

// 16-token KV blocks so the scaled 20-token trace blocks (512 × 0.04) still share whole cluster blocks.
mkdirSync(reportDir, { recursive: true });
const clusterFile = join(runDir, 'cluster.json');
writeFileSync(
  clusterFile,
  `${JSON.stringify({ blockTokens: 16, prefill: { count: 1 }, decode: { count: 2 } }, null, 2)}\n`,
);

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
  values['token-scale'] as string,
  '--speed',
  values.speed as string,
  '--emulate',
  EMULATE,
  '--compare',
  `policy=${POLICIES.join(',')}`,
  '--cluster-config',
  clusterFile,
  '--out',
  join(runDir, 'reports'),
  '--cluster-run-dir',
  join(runDir, 'clusters'),
];
const started = Date.now();
const code = await replayCommand.run(argv, io);
if (code !== 0 && code !== 130) process.exit(code);

interface RunSummary {
  label: string;
  numPlanned: number;
  byStatus: Record<string, number>;
  durationSeconds: number;
  ttft: { p50Seconds: number; p99Seconds: number } | null;
  tpot: { p50Seconds: number; p99Seconds: number } | null;
  goodput: {
    slo: { ttftSeconds: number | null; tpotSeconds: number | null };
    attainment: number | null;
    requestsPerSecond: number | null;
  };
  prefix: { hitRatio: number | null };
  throughput: { requestsPerSecond: number | null; outputTokensPerSecond: number | null };
}
for (const f of ['compare.html', 'compare.md', 'compare.json'])
  copyFileSync(join(runDir, 'reports', f), join(reportDir, f));
// Only the comparison is kept here: say where the per-policy reports went instead of "beside this file".
for (const f of ['compare.html', 'compare.md']) {
  const path = join(reportDir, f);
  writeFileSync(path, keptCopyNote(readFileSync(path, 'utf8')));
}
process.stdout.write(`per-policy reports and cluster logs: ${runDir}\n`);
const compare = JSON.parse(readFileSync(join(reportDir, 'compare.json'), 'utf8')) as {
  runs: { summary: RunSummary }[];
};
const byPolicy = Object.fromEntries(compare.runs.map((r) => [r.summary.label.replace('policy=', ''), r.summary]));
const [a, b] = POLICIES.map((p) => byPolicy[p]);
const ratio = (x: number | null | undefined, y: number | null | undefined) =>
  x === null || x === undefined || y === null || y === undefined || y === 0 ? null : x / y;
const result = {
  benchmark: 'replay-policies',
  command: `node --import tsx bench/replay-policies.bench.ts --speed ${values.speed} --token-scale ${values['token-scale']} --window ${values.window}`,
  trace: 'mooncake-fast25/conversation_trace.jsonl',
  window: values.window,
  tokenScale: Number(values['token-scale']),
  speed: Number(values.speed),
  emulate: EMULATE,
  wallSeconds: (Date.now() - started) / 1000,
  interrupted: code === 130,
  slo: a?.goodput.slo ?? null,
  policies: POLICIES.map((p) => {
    const s = byPolicy[p];
    return {
      policy: p,
      ok: s?.byStatus.ok ?? null,
      rejected: s?.byStatus.rejected ?? null,
      started: s ? Object.values(s.byStatus).reduce((x, y) => x + y, 0) : null,
      planned: s?.numPlanned ?? null,
      goodputRequestsPerSecond: s?.goodput.requestsPerSecond ?? null,
      sloAttainment: s?.goodput.attainment ?? null,
      ttftP50Seconds: s?.ttft?.p50Seconds ?? null,
      ttftP99Seconds: s?.ttft?.p99Seconds ?? null,
      tpotP99Seconds: s?.tpot?.p99Seconds ?? null,
      prefixHitRatio: s?.prefix.hitRatio ?? null,
      throughputRequestsPerSecond: s?.throughput.requestsPerSecond ?? null,
    };
  }),
  ratios: {
    'goodput oicf-cost ÷ prefix-aware': ratio(b?.goodput.requestsPerSecond, a?.goodput.requestsPerSecond),
    'SLO attainment oicf-cost ÷ prefix-aware': ratio(b?.goodput.attainment, a?.goodput.attainment),
    'TTFT p99 oicf-cost ÷ prefix-aware': ratio(b?.ttft?.p99Seconds, a?.ttft?.p99Seconds),
  },
};
writeFileSync(join(resultsDir, 'replay-policies.json'), `${JSON.stringify(result, null, 2)}\n`);
const f = (v: number | null, digits = 3) => (v === null ? 'n/a' : v.toPrecision(digits));
const md = [
  '# Replay: prefix-aware vs oicf-cost routing',
  '',
  `First ${values.window} s of the Mooncake conversation trace, token scale ×${values['token-scale']}, speed ×${values.speed}, workers emulating ${EMULATE}; SLOs TTFT ≤ ${result.slo?.ttftSeconds ?? 'n/a'} s, TPOT ≤ ${result.slo?.tpotSeconds ?? 'n/a'} s (DistServe goodput). ${result.interrupted ? '**Interrupted: partial.**' : ''}`,
  '',
  '| policy | ok / planned | rejected | goodput (req/s) | SLO attainment | TTFT p50 (s) | TTFT p99 (s) | TPOT p99 (s) | prefix hit ratio |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...result.policies.map(
    (p) =>
      `| ${p.policy} | ${p.ok ?? 'n/a'} / ${p.planned ?? 'n/a'} | ${p.rejected ?? 'n/a'} | ${f(p.goodputRequestsPerSecond)} | ${f(p.sloAttainment)} | ${f(p.ttftP50Seconds)} | ${f(p.ttftP99Seconds)} | ${f(p.tpotP99Seconds)} | ${f(p.prefixHitRatio)} |`,
  ),
  '',
  ...Object.entries(result.ratios).map(([k, v]) => `- ${k}: ${f(v)}`),
  '',
  `Command: \`${result.command}\` (wall ${result.wallSeconds.toFixed(0)} s). Full reports: \`bench/results/replay-policies/compare.html\`.`,
  '',
].join('\n');
writeFileSync(join(resultsDir, 'replay-policies.md'), md);
process.stdout.write(`${md}\n`);
process.exit(code);

/** The comparison's pointer to per-configuration folders, rewritten for the copy kept in bench/results. */
function keptCopyNote(text: string): string {
  return text.replace(
    'Each configuration’s full report is in its own folder beside this file.',
    'Each policy’s full report (every request and scrape) stays in the temporary run folder the benchmark prints; only this comparison is kept in bench/results.',
  );
}
