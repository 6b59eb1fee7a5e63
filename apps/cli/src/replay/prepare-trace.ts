import { isAbsolute, resolve } from 'node:path';
import { formatLineIssue, scaleTraceTokens, type TraceRequest, windowRequests } from '@oicf/traces';
import { readTraceFile } from '@oicf/traces/node';
import { UsageError } from '../command.js';
import { traceErrorHint } from '../commands/trace-error-hint.js';
import type { ReplayArgs } from './replay-args.js';
import { scaleBlocks } from './scale-blocks.js';

/** The requests a replay sends: read, windowed (arrivals rebased to the window start), token-scaled. */
export interface PreparedTrace {
  readonly path: string;
  readonly requests: TraceRequest[];
  readonly loop: 'open' | 'closed';
  readonly warnings: string[];
}

/**
 * Reads the trace and applies --window/--max-requests and --token-scale. `--loop auto` picks closed
 * when the trace has multi-turn sessions (the native agent format) and open otherwise. Throws
 * UsageError for an unreadable file; a malformed trace comes back as `{ error }`.
 */
export async function prepareTrace(args: ReplayArgs, cwd: string): Promise<PreparedTrace | { error: string }> {
  const path = isAbsolute(args.traceFile) ? args.traceFile : resolve(cwd, args.traceFile);
  let result: Awaited<ReturnType<typeof readTraceFile>>;
  try {
    result = await readTraceFile(path, {
      format: args.format,
      badLines: args.skipBadLines ? 'skip' : 'error',
      source: args.traceFile,
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES')
      throw new UsageError(`cannot read '${args.traceFile}' (${code})`);
    throw err;
  }
  if (!result.ok) return { error: `${result.error.message}\n${traceErrorHint(result.error.code)}` };
  const warnings = result.summary.issues.map((i) => `skipped ${formatLineIssue(i)}`);
  const windowed = windowRequests(result.requests, { ...args.window, rebase: true });
  if (windowed.length === 0) return { error: `no requests left in ${args.traceFile} after --window/--max-requests` };
  const requests =
    args.tokenScale === 1
      ? windowed
      : args.tokenScaleMode === 'blocks'
        ? windowed.map((r) => scaleBlocks(r, args.tokenScale))
        : scaleTraceTokens(windowed, args.tokenScale);
  const sessions = new Map<string, number>();
  for (const r of requests)
    if (r.sessionId !== undefined) sessions.set(r.sessionId, (sessions.get(r.sessionId) ?? 0) + 1);
  const multiTurn = [...sessions.values()].some((n) => n > 1);
  const loop = args.loop === 'auto' ? (multiTurn ? 'closed' : 'open') : args.loop;
  return { path, requests, loop, warnings };
}
