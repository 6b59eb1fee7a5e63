import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the public sample traces live (see /work/shared/traces/README.md): $OICF_SHARED_TRACES, or
 * `shared/traces` beside the repository root. Tests use this to find them and skip when absent.
 */
export function sharedTracesDir(): string {
  const fromEnv = process.env.OICF_SHARED_TRACES;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
  return join(repoRoot, '..', 'shared', 'traces');
}

/** Absolute path of a shared trace, and whether it exists. */
export function sharedTrace(relativePath: string): { path: string; exists: boolean } {
  const path = join(sharedTracesDir(), relativePath);
  return { path, exists: existsSync(path) };
}

/** The packages/traces/fixtures directory (generated fixtures, see src/testing/fixtures.ts). */
export function fixturesDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
}
