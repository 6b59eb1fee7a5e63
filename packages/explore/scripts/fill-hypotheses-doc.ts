// Refreshes the tables of docs/hypotheses.md from the report files of the last `hypotheses.sh` run: every block
//   <!-- from: out/hypotheses/x.md -->  …  <!-- end -->
// is replaced by that file's table, its "Why" lines kept unless the marker says "(no why lines)". A "best by kW"
// row that names the same design as the "best by $" row above it is dropped (the same design, said twice).
// The prose around the tables is written by hand: reread it after a rerun.
//
//   node --import tsx packages/explore/scripts/fill-hypotheses-doc.ts [docs/hypotheses.md]
import { readFileSync, writeFileSync } from 'node:fs';

const docPath = process.argv[2] ?? 'docs/hypotheses.md';

function block(path: string, withWhy: boolean): string {
  const out: string[] = [];
  let lastUsd: string[] | undefined;
  for (const line of readFileSync(path, 'utf8').trimEnd().split('\n')) {
    const cells = line.split(' | ');
    if (line.startsWith('| ') && cells[1] === 'kW' && lastUsd?.[0] === cells[0] && lastUsd?.[2] === cells[2]) continue;
    if (line.startsWith('| ') && cells[1] === '$') lastUsd = cells;
    out.push(line);
  }
  const text = out.join('\n');
  return withWhy ? text : (text.split('\n\nWhy')[0] ?? text);
}

const doc = readFileSync(docPath, 'utf8');
let count = 0;
const filled = doc.replace(
  /<!-- from: (\S+)([^>]*)-->\n[\s\S]*?\n<!-- end -->/g,
  (_all, path: string, rest: string) => {
    count++;
    return `<!-- from: ${path}${rest}-->\n${block(path, !rest.includes('(no why lines)'))}\n<!-- end -->`;
  },
);
writeFileSync(docPath, filled);
process.stdout.write(`${docPath}: ${count} tables refreshed\n`);
