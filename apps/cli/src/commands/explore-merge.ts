import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { EXPLORE_FORMAT, type ExploreResultFile, mergeShards } from '@oicf/explore';
import { type Command, type CommandIo, UsageError } from '../command.js';
import { parseFlags } from '../flags.js';
import { writeExplore } from './explore-output.js';

const USAGE = `Usage: oicf explore merge <shard.json>... --out <dir> [--json | --csv] [--top <n>]

Joins the result files of 'oicf explore --shard i/N' runs (one per shard, any order) into the result an
unsharded run writes: every screened configuration, the twin runs of the best --simulate-top overall,
the ranking, explore.csv and explore.html. Refuses shards of different spaces, workloads or settings,
a missing or repeated shard, and a configuration in two shards.
`;

export const exploreMergeCommand: Command = {
  name: 'explore merge',
  summary: "Merge 'oicf explore --shard' results into one ranking",
  usage: USAGE,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const { values: v, positionals } = parseFlags({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        json: { type: 'boolean' },
        csv: { type: 'boolean' },
        top: { type: 'string' },
      },
    });
    if (positionals.length === 0) throw new UsageError('give the shard result files (shard-<i>-of-<n>.json)');
    if (v.out === undefined) throw new UsageError('--out <dir> is required');
    const top = v.top === undefined ? 20 : Number(v.top);
    if (!(Number.isInteger(top) && top >= 1)) throw new UsageError(`--top must be an integer ≥ 1, got '${v.top}'`);
    const files: ExploreResultFile[] = [];
    for (const f of positionals) {
      const path = isAbsolute(f) ? f : resolve(io.cwd, f);
      let json: unknown;
      try {
        json = JSON.parse(await readFile(path, 'utf8'));
      } catch (err) {
        throw new UsageError(`cannot read '${f}' as JSON: ${(err as Error).message}`);
      }
      if ((json as { format?: unknown }).format !== EXPLORE_FORMAT) {
        throw new UsageError(`'${f}' is not an oicf explore result (format ${EXPLORE_FORMAT})`);
      }
      files.push(json as ExploreResultFile);
    }
    const merged = mergeShards(files, ['oicf', 'explore', 'merge', ...argv].join(' '));
    if (!merged.ok) {
      io.stderr(`oicf explore merge: ${merged.error}\n`);
      return 1;
    }
    writeExplore(io, v.out, merged.file, { json: v.json ?? false, csv: v.csv ?? false, top });
    return merged.file.interrupted ? 130 : 0;
  },
};
