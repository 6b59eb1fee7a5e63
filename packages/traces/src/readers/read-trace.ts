import { TraceError } from '../trace-error.js';
import type { TraceRequest } from '../types.js';
import { type ReadTraceOptions, TraceLineReader, type TraceReadSummary } from './trace-line-reader.js';

/** Whole text, or physical lines without their newline (CR before LF is tolerated). */
export type LineSource = string | Iterable<string> | AsyncIterable<string>;

export type ReadTraceResult =
  | { readonly ok: true; readonly requests: TraceRequest[]; readonly summary: TraceReadSummary }
  | { readonly ok: false; readonly error: TraceError };

/**
 * Reads a whole trace held in memory. Bad input comes back as `{ ok: false, error }` whose message
 * names the source, line number and field; anything else thrown is a bug.
 */
export function readTraceText(text: string, options: ReadTraceOptions = {}): ReadTraceResult {
  return captureErrors(() => {
    const reader = new TraceLineReader(options);
    const requests: TraceRequest[] = [];
    for (const line of splitLines(text)) append(requests, reader.push(line));
    append(requests, reader.end());
    return { ok: true, requests, summary: reader.finish() };
  });
}

/** Reads a whole trace from any line source (the node adapter passes a file's lines). */
export async function readTrace(lines: LineSource, options: ReadTraceOptions = {}): Promise<ReadTraceResult> {
  const requests: TraceRequest[] = [];
  try {
    const iterator = iterateTrace(lines, options);
    for (;;) {
      const next = await iterator.next();
      if (next.done) return { ok: true, requests, summary: next.value };
      requests.push(next.value);
    }
  } catch (err) {
    if (err instanceof TraceError) return { ok: false, error: err };
    throw err;
  }
}

/**
 * Streams requests in file order without holding the trace; the generator's return value is the
 * summary. Throws TraceError on bad input (strict mode), so wrap it or use readTrace for a value.
 */
export async function* iterateTrace(
  lines: LineSource,
  options: ReadTraceOptions = {},
): AsyncGenerator<TraceRequest, TraceReadSummary> {
  const reader = new TraceLineReader(options);
  const source = typeof lines === 'string' ? splitLines(lines) : lines;
  for await (const line of source) yield* reader.push(line);
  yield* reader.end();
  return reader.finish();
}

/** Splits on LF; a final newline does not make an extra line. CRs are left for the parsers. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** push() without spreading: a Copilot session or a kv-cache-tester conversation can hold 10^4+ requests. */
function append(into: TraceRequest[], from: readonly TraceRequest[]): void {
  for (const r of from) into.push(r);
}

function captureErrors(run: () => ReadTraceResult): ReadTraceResult {
  try {
    return run();
  } catch (err) {
    if (err instanceof TraceError) return { ok: false, error: err };
    throw err;
  }
}
