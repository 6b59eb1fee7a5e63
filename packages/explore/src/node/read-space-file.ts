import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Result } from '@oicf/core';
import { parseSpace } from '../space/resolve-space.js';
import type { ExploreSpace } from '../space/space-types.js';

export interface SpaceFileRead {
  readonly path: string;
  /** The JSON as read (worker threads and fingerprints take it). */
  readonly json: unknown;
  readonly space: Result<ExploreSpace>;
}

/** Reads and parses a space file; an unreadable file or bad JSON throws an Error naming the path. */
export async function readSpaceFile(file: string, cwd: string): Promise<SpaceFileRead> {
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(
      `cannot read space file '${file}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`space file '${file}' is not JSON: ${(err as Error).message}`);
  }
  return { path, json, space: parseSpace(json) };
}

/** The space `oicf explore` searches without --space (spaces/default.json in this package). */
export const DEFAULT_SPACE_FILE = new URL('../../spaces/default.json', import.meta.url).pathname;
