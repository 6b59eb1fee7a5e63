import {
  formatLineIssue,
  scaleTrace,
  type TokenScaleMode,
  type TraceErrorCode,
  type TraceFormat,
  type TraceRequest,
  type TraceWindow,
  windowRequests,
} from '@oicf/traces';
import { openTraceFile } from '@oicf/traces/node';

/** What to read and how to shape it (the trace options of `oicf replay`). */
export interface TraceOptions {
  /** As the user gave it (relative paths resolve against `cwd`); named in messages. */
  readonly traceFile: string;
  readonly format: TraceFormat | 'auto';
  /** Drop malformed lines (listed as warnings) instead of failing. */
  readonly skipBadLines: boolean;
  readonly window: TraceWindow | undefined;
  /** Input token scale factor > 0 (prompt lengths and their blocks); 1 leaves them as they are. */
  readonly tokenScale: number;
  /** Output token scale factor > 0; absent = `tokenScale`. */
  readonly outputTokenScale?: number;
  /** `blocks`: shrink each trace block, keep its id; `remap`: keep the block size, rename blocks (@oicf/traces scaleTrace). */
  readonly tokenScaleMode: TokenScaleMode;
  readonly loop: 'open' | 'closed' | 'auto';
}

/** The requests a replay sends: read, windowed (arrivals rebased to the window start), token-scaled. */
export interface PreparedTrace {
  readonly path: string;
  readonly requests: TraceRequest[];
  readonly loop: 'open' | 'closed';
  /** The output scale applied (the input scale unless given apart). */
  readonly outputTokenScale: number;
  /** Requests whose output became 1 token though the trace asked for more (their TPOT rests on nothing). */
  readonly numOutputsBecameOne: number;
  readonly warnings: string[];
}

export type PrepareTraceResult =
  | ({ readonly ok: true } & PreparedTrace)
  /** The file cannot be read (`errno`: ENOENT, EISDIR, EACCES, or Z_… for a corrupt gzip stream). */
  | { readonly ok: false; readonly kind: 'unreadable'; readonly errno: string; readonly message: string }
  /** The file reads but is not a usable trace (`code` set when the reader said why), or the window is empty. */
  | { readonly ok: false; readonly kind: 'invalid'; readonly code: TraceErrorCode | null; readonly message: string };

/**
 * Reads the trace and applies the window and the token scale. `loop: 'auto'` picks closed when the
 * trace has multi-turn sessions (the native agent format) and open otherwise. Expected failures come
 * back as values; anything else (a bug, a disk error) is thrown.
 */
export async function prepareTrace(options: TraceOptions, cwd: string): Promise<PrepareTraceResult> {
  const opened = await openTraceFile(options.traceFile, cwd, {
    format: options.format,
    badLines: options.skipBadLines ? 'skip' : 'error',
  });
  if (!opened.ok) return { ok: false, kind: 'unreadable', errno: opened.errno, message: opened.message };
  const { path, result } = opened;
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
  const outputTokenScale = options.outputTokenScale ?? options.tokenScale;
  const scaled =
    options.tokenScale === 1 && outputTokenScale === 1
      ? { requests: windowed, numOutputsBecameOne: 0 }
      : scaleTrace(windowed, { input: options.tokenScale, output: outputTokenScale, mode: options.tokenScaleMode });
  const { requests, numOutputsBecameOne } = scaled;
  if (numOutputsBecameOne > 0)
    warnings.push(outputsBecameOneWarning(numOutputsBecameOne, requests.length, outputTokenScale));
  const loop = options.loop === 'auto' ? (hasMultiTurnSession(requests) ? 'closed' : 'open') : options.loop;
  return { ok: true, path, requests, loop, outputTokenScale, numOutputsBecameOne, warnings };
}

function outputsBecameOneWarning(n: number, total: number, factor: number): string {
  return `${n} of ${total} outputs became 1 token at output token scale ×${factor} (the trace asked for more): their TPOT rests on almost nothing; a larger --output-token-scale keeps them longer`;
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
