import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { type ReadTraceResult, readTrace } from '../readers/read-trace.js';
import type { ReadTraceOptions } from '../readers/trace-line-reader.js';

/**
 * The file-reading adapter (the only node:* code in this package): streams a trace file's lines
 * into the pure readers. Trace problems come back as a value; I/O failures (missing file,
 * permission) throw the usual Node error (ENOENT, EACCES) for the caller to report.
 */
export async function readTraceFile(path: string, options: ReadTraceOptions = {}): Promise<ReadTraceResult> {
  return readTrace(traceFileLines(path), { source: path, ...options });
}

/** A file's lines without line ends (LF or CRLF), streamed. Opening happens first so ENOENT rejects. */
export async function* traceFileLines(path: string): AsyncGenerator<string> {
  const handle = await open(path, 'r');
  try {
    const lines = createInterface({
      input: handle.createReadStream({ encoding: 'utf8', autoClose: false }),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    yield* lines;
  } finally {
    await handle.close();
  }
}
