import {
  computeTraceStats,
  DEFAULT_LRU_CAPACITY_BLOCKS,
  formatLineIssue,
  formatTraceStatsTable,
  parseWindow,
  type ScaledStatsOptions,
  TRACE_FORMATS,
  type TraceFormat,
  type TraceWindow,
  windowRequests,
} from '@oicf/traces';
import { openTraceFile } from '@oicf/traces/node';
import { type Command, type CommandIo, UsageError } from '../command.js';
import { integerFlag, optionalIntegerFlag, parseFlags, positiveNumberFlag } from '../flags.js';
import { traceErrorHint } from './trace-error-hint.js';

const USAGE = `Usage: oicf trace stats <file> [options]

Summarizes a request trace: request count, duration, rate, burstiness (CV of inter-arrival
times), input/output token percentiles, block-level prefix-reuse ceilings (unlimited cache and an
LRU cache) and the token-weighted reuse ceiling: prompt tokens an unlimited prefix cache could
serve ÷ prompt tokens sent, at the trace's block size. Reads Mooncake JSONL (with an optional
session_id), Azure LLM CSV, the native agent-session JSONL, kv-cache-tester (weka) Claude Code
conversations and GitHub Copilot coding-agent sessions (see docs/traces.md); the format is detected
from the content and extension, and .gz files are read transparently.

Options:
  --format <f>                auto (default), ${TRACE_FORMATS.join(', ')}
  --lru-blocks <n>            LRU capacity in blocks for the reuse ceiling (default ${DEFAULT_LRU_CAPACITY_BLOCKS})
  --window <a:b>              only requests arriving in [a, b) seconds (either side may be empty)
  --max-requests <n>          only the first n requests (after --window)
  --token-scale <f>           also describe the trace scaled as oicf replay --token-scale sends it
                              (blocks kept, each round(blockTokens × f) tokens), with its ceiling
  --output-token-scale <f>    output tokens scaled apart (default: the --token-scale factor)
  --block-tokens <n>          also give the ceiling at the cluster's KV block size n (after scaling)
  --skip-bad-lines            drop and count malformed lines instead of failing on the first one
  --json                      print a JSON object instead of the table
`;

export const traceStatsCommand: Command = {
  name: 'trace stats',
  summary: 'Request, rate, length and prefix-reuse statistics (and reuse ceilings) of a trace file',
  usage: USAGE,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const args = parseStatsArgs(argv);
    const opened = await openTraceFile(args.file, io.cwd, {
      format: args.format,
      badLines: args.skipBadLines ? 'skip' : 'error',
    });
    if (!opened.ok) throw new UsageError(opened.message);
    const { result } = opened;
    if (!result.ok) {
      io.stderr(`oicf trace stats: ${result.error.message}\n${traceErrorHint(result.error.code)}\n`);
      return 1;
    }
    const { summary } = result;
    for (const note of summary.notes ?? []) io.stderr(`note: ${note}\n`);
    for (const issue of summary.issues) io.stderr(`warning: skipped ${formatLineIssue(issue)}\n`);
    if (summary.numSkippedLines > summary.issues.length) {
      io.stderr(`warning: ... and ${summary.numSkippedLines - summary.issues.length} more skipped lines\n`);
    }
    const requests = args.window === undefined ? result.requests : windowRequests(result.requests, args.window);
    const stats = computeTraceStats(requests, {
      lruCapacityBlocks: args.lruBlocks,
      ...(args.scaled === undefined ? {} : { scaled: args.scaled }),
    });
    if (stats.scaled !== undefined && stats.scaled.numOutputsBecameOne > 0) {
      io.stderr(
        `note: ${stats.scaled.numOutputsBecameOne} of ${stats.numRequests} outputs became 1 token at × ${stats.scaled.outputFactor}; ` +
          'a TPOT measured on them rests on almost nothing (raise --output-token-scale)\n',
      );
    }
    if (args.json) {
      const report = {
        source: args.file,
        format: summary.format,
        numSkippedLines: summary.numSkippedLines,
        notes: summary.notes ?? [],
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
  scaled: ScaledStatsOptions | undefined;
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
  const input =
    values['token-scale'] === undefined ? undefined : positiveNumberFlag(values['token-scale'], '--token-scale');
  const output =
    values['output-token-scale'] === undefined
      ? undefined
      : positiveNumberFlag(values['output-token-scale'], '--output-token-scale');
  const blockTokens =
    values['block-tokens'] === undefined ? undefined : integerFlag(values['block-tokens'], '--block-tokens', 1);
  const scaled: ScaledStatsOptions | undefined =
    input === undefined && output === undefined && blockTokens === undefined
      ? undefined
      : {
          scaling: { input: input ?? 1, ...(output === undefined ? {} : { output }) },
          ...(blockTokens === undefined ? {} : { blockTokens }),
        };
  return {
    file: positionals[0] as string,
    format: format as TraceFormat | 'auto',
    lruBlocks: optionalIntegerFlag(values['lru-blocks'], '--lru-blocks', 1, DEFAULT_LRU_CAPACITY_BLOCKS),
    window,
    skipBadLines: values['skip-bad-lines'] ?? false,
    json: values.json ?? false,
    scaled,
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
      'token-scale': { type: 'string' },
      'output-token-scale': { type: 'string' },
      'block-tokens': { type: 'string' },
      'skip-bad-lines': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
}
