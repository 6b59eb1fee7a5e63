import { isAbsolute, resolve } from 'node:path';
import type { ReadTraceResult } from '../readers/read-trace.js';
import type { ReadTraceOptions } from '../readers/trace-line-reader.js';
import { readTraceFile } from './read-trace-file.js';

/** A trace file as a command reads it: the result, or why the file itself could not be read. */
export type OpenTraceResult =
  | { readonly ok: true; readonly path: string; readonly result: ReadTraceResult }
  /** `errno`: ENOENT, EACCES, EISDIR, or a zlib code (Z_DATA_ERROR, …) for a corrupt gzip stream. */
  | { readonly ok: false; readonly errno: string; readonly message: string };

/**
 * Reads the trace `file` as a user named it (relative to `cwd`), for `oicf trace stats` and `oicf replay`
 * alike: the usual I/O failures come back as a message naming the file and what to do; anything else
 * (a bug, a disk error) is thrown. Trace problems inside a readable file are `result`'s to report.
 */
export async function openTraceFile(
  file: string,
  cwd: string,
  options: Omit<ReadTraceOptions, 'source'> = {},
): Promise<OpenTraceResult> {
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  try {
    return { ok: true, path, result: await readTraceFile(path, { ...options, source: file }) };
  } catch (err) {
    const errno = (err as NodeJS.ErrnoException).code;
    if (errno === 'EISDIR') {
      // kv-cache-tester ships a directory of one-conversation .json files.
      const message =
        `cannot read '${file}' (EISDIR): it is a directory; concatenate its trace files one per line ` +
        `(for f in ${file}/*.json; do cat "$f"; echo; done > all.jsonl) and read that`;
      return { ok: false, errno, message };
    }
    if (errno === 'ENOENT' || errno === 'EACCES')
      return { ok: false, errno, message: `cannot read '${file}' (${errno})` };
    if (typeof errno === 'string' && errno.startsWith('Z_')) {
      return { ok: false, errno, message: `cannot read '${file}': its gzip stream is corrupt (${errno})` };
    }
    throw err;
  }
}
