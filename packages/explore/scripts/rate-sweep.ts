// DistServe's measure from `oicf explore` runs of one space at several request rates: per design, the twin's
// SLO attainment at each rate, and the highest rate it sustains at ≥ 90 % attainment divided by its GPUs
// (requests per second per GPU). Arguments are `<sessions per second>=<explore.json>`, in any order.
//
//   node --import tsx packages/explore/scripts/rate-sweep.ts 2=out/a/explore.json 4=out/b/explore.json ...
import { readFileSync } from 'node:fs';
import type { ExploreResultFile } from '../src/index.js';

const FLOOR = 0.9;
const runs = process.argv
  .slice(2)
  .map((arg) => {
    const at = arg.indexOf('=');
    const file = JSON.parse(readFileSync(arg.slice(at + 1), 'utf8')) as ExploreResultFile;
    return { sessions: Number(arg.slice(0, at)), file };
  })
  .sort((a, b) => a.sessions - b.sessions);
const first = runs[0]?.file;
if (first === undefined) throw new Error('usage: rate-sweep.ts <sessions/s>=<explore.json>...');

const designs = [...first.screened].sort((a, b) => a.index - b.index);
const lines = [
  `| design | GPUs | ${runs.map((r) => `${r.file.workload.arrivalRatePerSecond.toFixed(1)} req/s`).join(' | ')} | max req/s at ≥ 90 % | per GPU |`,
  `| --- | ---: | ${runs.map(() => '---:').join(' | ')} | ---: | ---: |`,
];
for (const d of designs) {
  const attainments = runs.map((r) => r.file.simulated.find((s) => s.index === d.index)?.attainment);
  const sustained = runs.filter((_r, i) => (attainments[i] ?? 0) >= FLOOR);
  const max = sustained.at(-1)?.file.workload.arrivalRatePerSecond ?? 0;
  const cells = attainments.map((a) => (a === undefined ? '—' : `${Math.round(a * 100)}%`));
  lines.push(
    `| \`${d.id}\` | ${d.numAccelerators} | ${cells.join(' | ')} | ${max.toFixed(1)} | ${(max / d.numAccelerators).toFixed(2)} |`,
  );
}
process.stdout.write(
  `${lines.join('\n')}\n\nCells: the twin's SLO attainment at each offered rate; "max" is the highest rate run at which it held ≥ 90 % (a lower bound on the true limit, at the sweep's resolution).\n`,
);
