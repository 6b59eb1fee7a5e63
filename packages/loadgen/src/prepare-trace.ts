import { isAbsolute, resolve } from 'node:path';
import {
  formatLineIssue,
  scaleTraceTokens,
  type TraceErrorCode,
  type TraceFormat,
  type TraceRequest,
  type TraceWindow,
  windowRequests,
} from '@oicf/traces';
import { readTraceFile } from '@oicf/traces/node';
import { scaleBlocks } from './scale-blocks.js';

/** What to read and how to shape it (the trace options of `oicf replay`). */
export interface TraceOptions {
  /** As the user gave it (relative paths resolve against `cwd`); named in messages. */
  readonly traceFile: string;
  readonly format: TraceFormat | 'auto';
  /** Drop malformed lines (listed as warnings) instead of failing. */
  readonly skipBadLines: boolean;
  readonly window: TraceWindow | undefined;
  /** Token scale factor > 0; 1 leaves lengths as they are. */
  readonly tokenScale: number;
  /** `blocks`: shrink each trace block, keep its id (scale-blocks.ts); `remap`: @oicf/traces scaleTokens. */
  readonly tokenScaleMode: 'blocks' | 'remap';
  readonly loop: 'open' | 'closed' | 'auto';
}

/** The requests a replay sends: read, windowed (arrivals rebased to the window start), token-scaled. */
export interface PreparedTrace {
  readonly path: string;
  readonly requests: TraceRequest[];
  readonly loop: 'open' | 'closed';
  readonly warnings: string[];
}

export type PrepareTraceResult =
  | ({ readonly ok: true } & PreparedTrace)
  /** The file cannot be opened (`errno`: ENOENT, EISDIR, EACCES). */
  | { readonly ok: false; readonly kind: 'unreadable'; readonly errno: string; readonly message: string }
  /** The file reads but is not a usable trace (`code` set when the reader said why), or the window is empty. */
  | { readonly ok: false; readonly kind: 'invalid'; readonly code: TraceErrorCode | null; readonly message: string };

/**
 * Reads the trace and applies the window and the token scale. `loop: 'auto'` picks closed when the
 * trace has multi-turn sessions (the native agent format) and open otherwise. Expected failures come
 * back as values; anything else (a bug, a disk error) is thrown.
 */
export async function prepareTrace(options: TraceOptions, cwd: string): Promise<PrepareTraceResult> {
  const path = isAbsolute(options.traceFile) ? options.traceFile : resolve(cwd, options.traceFile);
  let result: Awaited<ReturnType<typeof readTraceFile>>;
  try {
    result = await readTraceFile(path, {
      format: options.format,
      badLines: options.skipBadLines ? 'skip' : 'error',
      source: options.traceFile,
    });
  } catch (err) {
    const errno = (err as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT' || errno === 'EISDIR' || errno === 'EACCES') {
      return { ok: false, kind: 'unreadable', errno, message: `cannot read '${options.traceFile}' (${errno})` };
    }
    throw err;
  }
  if (!result.ok) return { ok: false, kind: 'invalid', code: result.error.code, message: result.error.message };
  const warnings = result.summary.issues.map((i) => `skipped ${formatLineIssue(i)}`);
  const windowed = windowRequests(result.requests, { ...options.window, rebase: true });
  if (windowed.length === 0) {
    return {
      ok: false,
      kind: 'invalid',
      code: null,
      message: `no requests left in ${options.traceFile} after --window/--max-requests`,
    };
  }
  const requests =
    options.tokenScale === 1
      ? windowed
      : options.tokenScaleMode === 'blocks'
        ? windowed.map((r) => scaleBlocks(r, options.tokenScale))
        : scaleTraceTokens(windowed, options.tokenScale);
  const loop = options.loop === 'auto' ? (hasMultiTurnSession(requests) ? 'closed' : 'open') : options.loop;
  return { ok: true, path, requests, loop, warnings };
}

function hasMultiTurnSession(requests: readonly TraceRequest[]): boolean {
  const sessions = new Map<string, number>();
  for (const r of requests) {
    if (r.sessionId === undefined) continue;
    const n = (sessions.get(r.sessionId) ?? 0) + 1;
    if (n > 1) return true;
    sessions.set(r.sessionId, n);
  }
  return false;
}
