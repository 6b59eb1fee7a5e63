import { isAbsolute, resolve } from 'node:path';
import {
  computeTraceStats,
  DEFAULT_LRU_CAPACITY_BLOCKS,
  formatLineIssue,
  formatTraceStatsTable,
  parseWindow,
  TRACE_FORMATS,
  type TraceFormat,
  type TraceWindow,
  windowRequests,
} from '@oicf/traces';
import { readTraceFile } from '@oicf/traces/node';
import { type Command, type CommandIo, UsageError } from '../command.js';
import { integerFlag, optionalIntegerFlag, parseFlags } from '../flags.js';
import { traceErrorHint } from './trace-error-hint.js';

const USAGE = `Usage: oicf trace stats <file> [options]

Summarizes a request trace: request count, duration, rate, burstiness (CV of inter-arrival
times), input/output token percentiles, and block-level prefix-reuse ceilings (unlimited cache
and an LRU cache). Reads Mooncake JSONL, Azure LLM CSV and the native agent-session JSONL
(see docs/traces.md); the format is detected from the content and extension.

Options:
  --format <f>          auto (default), ${TRACE_FORMATS.join(', ')}
  --lru-blocks <n>      LRU capacity in blocks for the reuse ceiling (default ${DEFAULT_LRU_CAPACITY_BLOCKS})
  --window <a:b>        only requests arriving in [a, b) seconds (either side may be empty)
  --max-requests <n>    only the first n requests (after --window)
  --skip-bad-lines      drop and count malformed lines instead of failing on the first one
  --json                print a JSON object instead of the table
`;

export const traceStatsCommand: Command = {
  name: 'trace stats',
  summary: 'Request, rate, length and prefix-reuse statistics of a trace file',
  usage: USAGE,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const args = parseStatsArgs(argv);
    const path = isAbsolute(args.file) ? args.file : resolve(io.cwd, args.file);
    let result: Awaited<ReturnType<typeof readTraceFile>>;
    try {
      result = await readTraceFile(path, {
        format: args.format,
        badLines: args.skipBadLines ? 'skip' : 'error',
        source: args.file,
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
        throw new UsageError(`cannot read '${args.file}' (${code})`);
      }
      throw err;
    }
    if (!result.ok) {
      io.stderr(`oicf trace stats: ${result.error.message}\n${traceErrorHint(result.error.code)}\n`);
      return 1;
    }
    const { summary } = result;
    for (const issue of summary.issues) io.stderr(`warning: skipped ${formatLineIssue(issue)}\n`);
    if (summary.numSkippedLines > summary.issues.length) {
      io.stderr(`warning: ... and ${summary.numSkippedLines - summary.issues.length} more skipped lines\n`);
    }
    const requests = args.window === undefined ? result.requests : windowRequests(result.requests, args.window);
    const stats = computeTraceStats(requests, { lruCapacityBlocks: args.lruBlocks });
    if (args.json) {
      const report = {
        source: args.file,
        format: summary.format,
        numSkippedLines: summary.numSkippedLines,
        window: args.window ?? null,
        ...stats,
      };
      // undefined → null so every field is present in the JSON.
      io.stdout(`${JSON.stringify(report, (_k, v: unknown) => (v === undefined ? null : v), 2)}\n`);
    } else {
      io.stdout(
        formatTraceStatsTable(stats, {
          source: args.file,
          format: summary.format,
          numSkippedLines: summary.numSkippedLines,
        }),
      );
    }
    return 0;
  },
};

interface StatsArgs {
  file: string;
  format: TraceFormat | 'auto';
  lruBlocks: number;
  window: TraceWindow | undefined;
  skipBadLines: boolean;
  json: boolean;
}

function parseStatsArgs(argv: string[]): StatsArgs {
  const { values, positionals } = parse(argv);
  if (positionals.length !== 1) {
    throw new UsageError(
      `expected exactly one trace file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`,
    );
  }
  const format = values.format ?? 'auto';
  if (format !== 'auto' && !(TRACE_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of auto, ${TRACE_FORMATS.join(', ')}; got '${format}'`);
  }
  let window: TraceWindow | undefined;
  if (values.window !== undefined) {
    const w = parseWindow(values.window);
    if (!w.ok) throw new UsageError(`--window: ${w.error}`);
    window = w.window;
  }
  if (values['max-requests'] !== undefined) {
    window = { ...window, maxRequests: integerFlag(values['max-requests'], '--max-requests', 1) };
  }
  return {
    file: positionals[0] as string,
    format: format as TraceFormat | 'auto',
    lruBlocks: optionalIntegerFlag(values['lru-blocks'], '--lru-blocks', 1, DEFAULT_LRU_CAPACITY_BLOCKS),
    window,
    skipBadLines: values['skip-bad-lines'] ?? false,
    json: values.json ?? false,
  };
}

function parse(argv: string[]) {
  return parseFlags({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string' },
      'lru-blocks': { type: 'string' },
      window: { type: 'string' },
      'max-requests': { type: 'string' },
      'skip-bad-lines': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
}
