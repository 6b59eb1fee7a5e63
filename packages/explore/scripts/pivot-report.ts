// One run's twin results as a grid: a row per value of one part of the design id, a column per value of
// another, each cell the best twin-run design there by goodput per $ ("req/$ · attainment"; "—" where the twin
// ran none). H3 of docs/hypotheses.md reads the KV tier against the decode shape this way.
//
//   node --import tsx packages/explore/scripts/pivot-report.ts --rows 'kv=(\S+)' --columns 'd=(\S+ tp\d+)' \
//     out/hypotheses/h3/explore.json
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type ExploreResultFile, rankedRows } from '../src/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rows: { type: 'string' }, columns: { type: 'string' } },
});
const [path] = positionals;
if (path === undefined || values.rows === undefined || values.columns === undefined) {
  throw new Error('usage: pivot-report.ts --rows <regex> --columns <regex> <explore.json>');
}
const rowRe = new RegExp(values.rows);
const colRe = new RegExp(values.columns);
const file = JSON.parse(readFileSync(path, 'utf8')) as ExploreResultFile;
const rows = rankedRows(file)
  .filter((r) => r.rank !== null && r.stage === 'simulated')
  .sort((a, b) => a.index - b.index);
const part = (re: RegExp, id: string) => re.exec(id)?.[1] ?? '?';
const allByIndex = [...file.screened].sort((a, b) => a.index - b.index);
const rowKeys = [...new Set(allByIndex.map((s) => part(rowRe, s.id)))];
const colKeys = [...new Set(allByIndex.map((s) => part(colRe, s.id)))];
const attainment = new Map(file.simulated.map((s) => [s.index, s.attainment]));

const lines = [`| | ${colKeys.join(' | ')} |`, `| --- | ${colKeys.map(() => '---:').join(' | ')} |`];
for (const rk of rowKeys) {
  const cells = colKeys.map((ck) => {
    const best = rows
      .filter((r) => part(rowRe, r.id) === rk && part(colRe, r.id) === ck)
      .sort((a, b) => b.objectives.goodputPerUsd - a.objectives.goodputPerUsd || a.index - b.index)[0];
    if (best === undefined) return '—';
    return `${best.objectives.goodputPerUsd.toFixed(1)} · ${Math.round((attainment.get(best.index) ?? 0) * 100)}%`;
  });
  lines.push(`| ${rk} | ${cells.join(' | ')} |`);
}
process.stdout.write(
  `${lines.join('\n')}\n\nCells: the best twin-run design's goodput per $ (req/$) · its SLO attainment.\n`,
);
