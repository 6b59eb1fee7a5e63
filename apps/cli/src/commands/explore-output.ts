// Writing an explore result: explore.json (the result file shards merge), explore.csv (every configuration),
// explore.html (self-contained page) and explore-pareto.svg (the goodput per $ / per kW frontier alone), then
// the terminal table, or JSON / CSV on stdout.
import { join } from 'node:path';
import {
  costPowerFrontier,
  type ExploreResultFile,
  rankedRows,
  renderCsv,
  renderExploreHtml,
  renderTable,
} from '@oicf/explore';
import { writeReportFiles } from '../analyze/write-files.js';
import type { CommandIo } from '../command.js';

/** Default output folder: out/explore/<UTC timestamp>/. */
export function defaultExploreDir(now: Date = new Date()): string {
  return join('out', 'explore', now.toISOString().replace(/[:.]/g, '-'));
}

/** `explore.json`, or `shard-<i>-of-<n>.json` for a shard (so shards may share one folder). */
export function resultFileName(file: ExploreResultFile): string {
  return file.shard === null ? 'explore.json' : `shard-${file.shard.index}-of-${file.shard.count}.json`;
}

export interface OutputOptions {
  readonly json: boolean;
  readonly csv: boolean;
  readonly top: number;
}

export function writeExplore(io: CommandIo, dir: string, file: ExploreResultFile, options: OutputOptions): void {
  const base = file.shard === null ? 'explore' : `shard-${file.shard.index}-of-${file.shard.count}`;
  const rows = rankedRows(file);
  const paths = writeReportFiles(io.cwd, dir, [
    { name: resultFileName(file), content: `${JSON.stringify(file)}\n` },
    { name: `${base}.csv`, content: renderCsv(rows) },
    { name: `${base}.html`, content: renderExploreHtml(file) },
    { name: `${base}-pareto.svg`, content: costPowerFrontier(rows, `${base}-pareto`).svg },
  ]);
  if (options.json) {
    const { screened: _s, simulated: _m, ...meta } = file;
    io.stdout(`${JSON.stringify({ ...meta, ranking: rows }, null, 1)}\n`);
  } else if (options.csv) io.stdout(renderCsv(rows));
  else io.stdout(renderTable(file, options.top));
  io.stderr(`wrote ${paths.join(', ')}\n`);
}
