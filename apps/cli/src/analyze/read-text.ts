import { resolve } from 'node:path';
import { UsageError } from '../command.js';

/** Reads a UTF-8 file; injected so tests can use real files or not. Throws Node errors (ENOENT, …). */
export type ReadText = (absolutePath: string) => string;

/** The text of a file a flag names (relative to `cwd`), or a UsageError naming the flag, the file and the errno. */
export function readFlagFile(path: string, flag: string, readText: ReadText, cwd: string): string {
  try {
    return readText(resolve(cwd, path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new UsageError(`${flag}: cannot read '${path}' (${code})`);
  }
}

/** JSON.parse, or a UsageError naming the flag and the file. */
export function parseFlagJson(text: string, path: string, flag: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${flag}: '${path}' is not valid JSON (${(err as Error).message})`);
  }
}
