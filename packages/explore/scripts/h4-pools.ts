// H4 of docs/hypotheses.md: several accelerator kinds behind one router vs the same devices as separate pools.
// For each decode mix of the mixed run (e.g. `h100×1 tp4+lpddr-decode×2 tp1`), its best design by goodput
// per $ beside the sum of the best designs of the single-kind pool runs whose decode is one part of the mix
// (each pool run serves half the sessions, so their sum serves the whole load on the same devices).
//
//   node --import tsx packages/explore/scripts/h4-pools.ts out/hypotheses/h4-mixed/explore.json \
//     out/hypotheses/h4-pool-*/explore.json
import { readFileSync } from 'node:fs';
import { type ExploreResultFile, type RankedRow, rankedRows } from '../src/index.js';

const decodeOf = (id: string) => /d=(.+) kv=/.exec(id)?.[1] ?? '?';
const load = (path: string) => rankedRows(JSON.parse(readFileSync(path, 'utf8')) as ExploreResultFile);
const best = (rows: readonly RankedRow[]) =>
  rows
    .filter((r) => r.rank !== null && r.stage === 'simulated')
    .sort((a, b) => b.objectives.goodputPerUsd - a.objectives.goodputPerUsd || a.index - b.index)[0];

const [mixedPath, ...poolPaths] = process.argv.slice(2);
if (mixedPath === undefined) throw new Error('usage: h4-pools.ts <mixed explore.json> <pool explore.json>...');
const pools = poolPaths.flatMap((p) => {
  const b = best(load(p));
  return b === undefined ? [] : [{ decode: decodeOf(b.id), row: b }];
});
const mixed = load(mixedPath);
const rate = (rps: number, usdPerHour: number) => (rps * 3600) / usdPerHour;

const lines = [
  '| decode devices | one system: best design | goodput (req/s) | $/h | req/$ | separate pools: designs | goodput (req/s) | $/h | req/$ | one system ÷ pools |',
  '| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |',
];
for (const mix of [...new Set(mixed.map((r) => decodeOf(r.id)))]) {
  const m = best(mixed.filter((r) => decodeOf(r.id) === mix));
  const parts = mix.split('+').map((part) => pools.find((p) => p.decode === part));
  if (m === undefined || parts.some((p) => p === undefined)) continue;
  const rows = parts.map((p) => p?.row as RankedRow);
  const rps = rows.reduce((s, r) => s + r.objectives.goodputRps, 0);
  const usd = rows.reduce((s, r) => s + r.usdPerHour, 0);
  const mixedPerUsd = rate(m.objectives.goodputRps, m.usdPerHour);
  const poolsPerUsd = rate(rps, usd);
  lines.push(
    `| ${mix} | \`${m.id}\` | ${m.objectives.goodputRps.toFixed(3)} | ${m.usdPerHour.toFixed(2)} | ${mixedPerUsd.toFixed(1)} | ${rows.map((r) => `\`${r.id}\``).join(' + ')} | ${rps.toFixed(3)} | ${usd.toFixed(2)} | ${poolsPerUsd.toFixed(1)} | ${(mixedPerUsd / poolsPerUsd).toFixed(2)} |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
