// Judges interleaved router-latency runs of two builds by round 7's rule (results/router-latency-r7-rule.md):
// per run the median over its windows of the router's main-thread CPU per request; per pair k the difference
// d_k = b_k − a_k; "better" when d_k < 0 in every pair and mean(d) < 0 by more than 2 standard errors. Prints
// a markdown table. A script, not a test.
//
//   node --import tsx apps/router/bench/router-latency-pairs.ts <a-prefix> <b-prefix> <pairs> [cpu|added-p99]
//
// `added-p99` (round 8's tail rule, results/router-latency-r8-rule.md) judges the same way the run median over
// ALL its windows (judged by the client's schedule or not) of p99(router) − p99(direct), in ms; and reports
// whether b's CPU figure is above a's by more than 2 standard errors (the rule's guard).
//
// reads results/<prefix>-<k>.json for k = 1 … pairs (or absolute/relative prefixes with a '/').
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchResult, spread, windowJudgeable } from './router-latency-report.js';

const [aPrefix, bPrefix, pairsArg, figureArg = 'cpu'] = process.argv.slice(2);
const pairs = Number(pairsArg);
if (aPrefix === undefined || bPrefix === undefined || !(pairs > 0) || !['cpu', 'added-p99'].includes(figureArg)) {
  process.stderr.write('usage: router-latency-pairs.ts <a-prefix> <b-prefix> <pairs> [cpu|added-p99]\n');
  process.exit(2);
}
const HERE = fileURLToPath(new URL('.', import.meta.url));
const load = (prefix: string, k: number): BenchResult =>
  JSON.parse(
    readFileSync(prefix.includes('/') ? `${prefix}-${k}.json` : join(HERE, 'results', `${prefix}-${k}.json`), 'utf8'),
  ) as BenchResult;

interface RunFigures {
  cpu: number;
  /** Median over all windows of p99(router) − p99(direct), ms. */
  added: number;
  addedWindows: number[];
  windows: number[];
  user: number;
  system: number;
  late: number[];
  judgedAdded: number[];
  floor: number;
  at: string;
}
/**
 * A window's p99(router) − p99(direct), NaN where the result has none: the JSON holds null when a path had no
 * successful request (round 10's run 1: every direct request failed), which `toFixed` would throw on.
 */
const addedOf = (x: BenchResult['windows'][number]): number => (x.addedP99Ms as number | null) ?? Number.NaN;

function figures(r: BenchResult): RunFigures {
  const w = r.windows;
  const addedFinite = w.map(addedOf).filter(Number.isFinite);
  return {
    cpu: spread(w.map((x) => x.routerMainThreadCpuMicrosPerRequest)).median,
    added: addedFinite.length === 0 ? Number.NaN : spread(addedFinite).median,
    addedWindows: w.map(addedOf),
    windows: w.map((x) => x.routerMainThreadCpuMicrosPerRequest),
    user: spread(w.map((x) => x.routerMainThreadUserMicrosPerRequest ?? Number.NaN)).median,
    system: spread(w.map((x) => x.routerMainThreadSystemMicrosPerRequest ?? Number.NaN)).median,
    late: w.map((x) => x.lateSends),
    judgedAdded: w.filter(windowJudgeable).map(addedOf),
    floor: r.floor.mainThreadCpuMicrosPerRequest,
    at: r.at,
  };
}

const us = (x: number) => x.toFixed(0);
const row = (name: string, k: number, f: RunFigures) =>
  `| ${k} | ${name} | ${f.at.slice(11, 19)} | **${us(f.cpu)}** (${f.windows.map(us).join(' / ')}) | ${us(f.user)} / ${us(f.system)} | ${f.late.join(' / ')} | ${f.judgedAdded.length === 0 ? 'none judged' : f.judgedAdded.map((x) => x.toFixed(2)).join(' / ')} | ${us(f.floor)} | ${f.added.toFixed(2)} (${f.addedWindows.map((x) => x.toFixed(2)).join(' / ')}) |`;
// Sends per window on both paths, from the first result (the runs of one judgement share rate and window length).
const first = load(aPrefix, 1);
const sendsPerWindow = 2 * first.ratePerSecondEachPath * first.seconds;
const lines = [
  `| pair | build | finished (UTC) | main-thread µs/request: run median (windows) | user / system µs | late sends per window (of ${sendsPerWindow}) | p99(router) − p99(direct) ms, judged windows | floor server µs | p99(router) − p99(direct) ms, all windows: run median (windows) |`,
  '| ---: | --- | --- | --- | --- | --- | --- | ---: | --- |',
];
const d: number[] = [];
const dCpu: number[] = [];
for (let k = 1; k <= pairs; k++) {
  const a = figures(load(aPrefix, k));
  const b = figures(load(bPrefix, k));
  lines.push(row(aPrefix, k, a), row(bPrefix, k, b));
  d.push(figureArg === 'cpu' ? b.cpu - a.cpu : b.added - a.added);
  dCpu.push(b.cpu - a.cpu);
}
const meanSe = (xs: number[]) => {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return { mean: m, se: sd / Math.sqrt(xs.length) };
};
const { mean, se } = meanSe(d);
const everyPair = d.every((x) => x < 0);
const beyond = mean < 0 && -mean > 2 * se;
const unit = figureArg === 'cpu' ? 'µs' : 'ms';
const fmt = (x: number) => x.toFixed(figureArg === 'cpu' ? 1 : 2);
process.stdout.write(`${lines.join('\n')}\n\n`);
process.stdout.write(
  `${bPrefix} − ${aPrefix} (${figureArg === 'cpu' ? 'main-thread CPU per request' : 'p99(router) − p99(direct), all windows'}) per pair: ${d.map(fmt).join(', ')} ${unit}; mean ${fmt(mean)} ${unit}, SE ${fmt(se)} ${unit} (${se > 0 ? (mean / se).toFixed(2) : '∞'} SE). Lower in every pair: ${everyPair ? 'yes' : 'no'}; below zero by more than 2 SE: ${beyond ? 'yes' : 'no'} → **${everyPair && beyond ? 'better' : 'not shown better'}**.\n`,
);
if (figureArg === 'added-p99') {
  const c = meanSe(dCpu);
  const worse = c.mean > 0 && c.mean > 2 * c.se;
  process.stdout.write(
    `Guard, main-thread CPU per request ${bPrefix} − ${aPrefix}: ${dCpu.map((x) => x.toFixed(1)).join(', ')} µs; mean ${c.mean.toFixed(1)} µs, SE ${c.se.toFixed(1)} µs → ${worse ? '**above by more than 2 SE (guard failed)**' : 'not above by more than 2 SE (guard passed)'}.\n`,
  );
}
