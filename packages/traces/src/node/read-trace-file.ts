import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { type ReadTraceResult, readTrace } from '../readers/read-trace.js';
import type { ReadTraceOptions } from '../readers/trace-line-reader.js';

/**
 * The file-reading adapter (with open-trace-file.ts, the only node:* code in this package): streams a trace file's lines
 * into the pure readers, gunzipping transparently (the Copilot shards are `.jsonl.gz`). Trace problems
 * come back as a value; I/O failures (missing file, permission, a corrupt gzip stream) throw the usual
 * Node error (ENOENT, EACCES, Z_DATA_ERROR) for the caller to report.
 */
export async function readTraceFile(path: string, options: ReadTraceOptions = {}): Promise<ReadTraceResult> {
  return readTrace(traceFileLines(path), { source: path, ...options });
}

/** The gzip magic number (RFC 1952): files starting with it are gunzipped whatever their name. */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** A file's lines without line ends (LF or CRLF), streamed. Opening happens first so ENOENT rejects. */
export async function* traceFileLines(path: string): AsyncGenerator<string> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    const gzipped = bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
    const raw = handle.createReadStream({ start: 0, autoClose: false });
    const input: Readable = gzipped ? raw.pipe(createGunzip()) : raw;
    if (gzipped) raw.on('error', (err) => input.destroy(err));
    input.setEncoding('utf8');
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    yield* lines;
  } finally {
    await handle.close();
  }
}
