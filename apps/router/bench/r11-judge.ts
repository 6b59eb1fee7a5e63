// Round 11's keep rule (results/router-cpu-r11-rule.md) over alternated router-latency runs of main and a
// candidate: per run the median over its windows of the router's main-thread CPU per routed request; per
// round k, d_k = candidate_k − main_k; a round where either arm had a failed request is listed and not
// counted. Keep when the median of the counted d_k is below zero and d_k < 0 in at least 3 of 4 rounds
// (at least 3 rounds counted, else the run is invalid). Also prints mean ± SE of d_k, and the candidate's
// figure against the goal (≤ 150 µs: the median over all its windows). A script, not a test.
//
//   node --import tsx apps/router/bench/r11-judge.ts <main-prefix> <candidate-prefix> [rounds=4]
//
// Reads results/<prefix>-<k>.json (or <prefix>-<k>.json when the prefix holds a '/').
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './router-latency-report.js';

const [mainPrefix, candPrefix, roundsArg = '4'] = process.argv.slice(2);
const rounds = Number(roundsArg);
if (mainPrefix === undefined || candPrefix === undefined || !(rounds > 0)) {
  process.stderr.write('usage: r11-judge.ts <main-prefix> <candidate-prefix> [rounds]\n');
  process.exit(2);
}
const HERE = fileURLToPath(new URL('.', import.meta.url));
const load = (prefix: string, k: number): BenchResult =>
  JSON.parse(
    readFileSync(prefix.includes('/') ? `${prefix}-${k}.json` : join(HERE, 'results', `${prefix}-${k}.json`), 'utf8'),
  ) as BenchResult;

/** The middle value (the mean of the two middle ones for an even count). */
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
};
const failed = (r: BenchResult) =>
  r.windows.some((w) => (w.failedRequests?.router ?? 0) + (w.failedRequests?.direct ?? 0) > 0);
const cpuOf = (r: BenchResult) => median(r.windows.map((w) => w.routerMainThreadCpuMicrosPerRequest));
const lines = [
  '| round | arm | finished (UTC) | main-thread µs/request: run median (windows) | all threads µs | worker µs | late sends per window | failed requests | load before → after |',
  '| ---: | --- | --- | --- | --- | --- | --- | ---: | --- |',
];
const row = (k: number, arm: string, r: BenchResult) => {
  const w = r.windows;
  const f = (x: number) => x.toFixed(0);
  return `| ${k} | ${arm} | ${r.at.slice(11, 19)} | **${f(cpuOf(r))}** (${w.map((x) => f(x.routerMainThreadCpuMicrosPerRequest)).join(' / ')}) | ${w.map((x) => f(x.routerCpuMicrosPerRequest)).join(' / ')} | ${w.map((x) => f(x.workerCpuMicrosPerRequest)).join(' / ')} | ${w.map((x) => x.lateSends).join(' / ')} | ${w.reduce((s, x) => s + (x.failedRequests?.router ?? 0) + (x.failedRequests?.direct ?? 0), 0)} | ${w[0]?.loadAverageBefore[0]} → ${w.at(-1)?.loadAverageAfter[0]} |`;
};
const d: number[] = [];
const skipped: number[] = [];
const candWindows: number[] = [];
for (let k = 1; k <= rounds; k++) {
  const m = load(mainPrefix, k);
  const c = load(candPrefix, k);
  lines.push(row(k, 'main', m), row(k, 'candidate', c));
  for (const w of c.windows) candWindows.push(w.routerMainThreadCpuMicrosPerRequest);
  if (failed(m) || failed(c)) skipped.push(k);
  else d.push(cpuOf(c) - cpuOf(m));
}
const mean = d.reduce((s, x) => s + x, 0) / d.length;
const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, d.length - 1));
const se = sd / Math.sqrt(d.length);
const below = d.filter((x) => x < 0).length;
const valid = d.length >= 3;
const keep = valid && median(d) < 0 && below >= 3;
const candMedian = median(candWindows);
process.stdout.write(`${lines.join('\n')}\n\n`);
process.stdout.write(
  `candidate − main, main-thread CPU per routed request, per counted round: ${d.map((x) => x.toFixed(1)).join(', ')} µs${skipped.length > 0 ? ` (rounds ${skipped.join(', ')} not counted: a failed request)` : ''}; median ${median(d).toFixed(1)} µs, mean ${mean.toFixed(1)} ± ${se.toFixed(1)} µs (SE); lower in ${below} of ${d.length}. → **${!valid ? 'invalid (fewer than 3 rounds counted)' : keep ? 'keep' : 'revert'}**.\n` +
    `Candidate, median of its ${candWindows.length} windows: ${candMedian.toFixed(0)} µs (${Math.min(...candWindows).toFixed(0)}–${Math.max(...candWindows).toFixed(0)}) against the goal ≤ 150 µs → **${candMedian <= 150 ? 'met' : 'not met'}**.\n`,
);
