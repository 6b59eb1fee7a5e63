// The real runs' TTFT "rest" against the wait of a frame unread while its prefill worker runs a kernel call
// (sim-fidelity-rest-core.ts, round 9), per run: mean and median of each, of their difference, and the rest of the
// requests that came while another prefill's kernel ran vs those that did not. Reads replay.json; writes Markdown.
//
//   node --import tsx bench/sim-fidelity-rest.ts --runs bench/results/sim-fidelity-r8b/judged/sim-fidelity [--out <file.md>]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { percentile } from '@oicf/core';
import type { ReplayRequestRecord } from '@oicf/report';
import { restRows, unreadSeconds } from './sim-fidelity-rest-core.js';

const { values } = parseArgs({ options: { runs: { type: 'string' }, out: { type: 'string' } } });
if (values.runs === undefined) throw new RangeError('--runs <folder of real runs (a-real-1, …)> is required');
const dir = values.runs;
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${f3(s.reduce((t, x) => t + x, 0) / s.length)} | ${f3(percentile(s, 0.5))}`;
};

const lines = [
  '# The TTFT rest of remote prefills against a frame unread during a kernel call (real runs)',
  '',
  `Runs: \`${dir}\`. Command: \`node --import tsx bench/sim-fidelity-rest.ts ${process.argv.slice(2).join(' ')}\`.`,
  '',
  'rest = the router’s TTFT − reported queue − prefill − transfer; unread = from the request’s arrival to the end of',
  'the kernel call (1,024-token chunk, by token share) another prefill ran on its worker then, from the records’',
  'timelines; “in a kernel”: requests that came while one ran (seconds).',
  '',
  '| run | n | rest mean | rest p50 | unread mean | unread p50 | rest − unread mean | p50 | in a kernel: n | rest mean | rest p50 | otherwise: n | rest mean | rest p50 |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];
for (const run of readdirSync(dir)
  .filter((d) => /-real-\d+$/.test(d))
  .sort()) {
  const records = (
    JSON.parse(readFileSync(join(dir, run, 'replay.json'), 'utf8')) as { requests: ReplayRequestRecord[] }
  ).requests;
  const rows = restRows(records);
  const unread = unreadSeconds(rows);
  const u = (id: string) => unread.get(id) ?? 0;
  const inKernel = rows.filter((r) => u(r.id) > 0).map((r) => r.restSeconds);
  const otherwise = rows.filter((r) => u(r.id) === 0).map((r) => r.restSeconds);
  lines.push(
    `| ${run} | ${rows.length} | ${stats(rows.map((r) => r.restSeconds))} | ${stats(rows.map((r) => u(r.id)))} | ${stats(rows.map((r) => r.restSeconds - u(r.id)))} | ${inKernel.length} | ${stats(inKernel)} | ${otherwise.length} | ${stats(otherwise)} |`,
  );
}
const text = `${lines.join('\n')}\n`;
if (values.out !== undefined) writeFileSync(values.out, text);
process.stdout.write(text);
