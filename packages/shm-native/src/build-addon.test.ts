import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// build-addon.mjs run from a copy of the package in a temp folder (it builds next to itself), with a PATH of one empty
// folder: no C compiler, so it cannot rebuild, and must not leave an addon built from another source to load.
const PKG = fileURLToPath(new URL('..', import.meta.url));
const DIR = mkdtempSync(join(tmpdir(), 'oicf-build-addon-test-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

function packageCopy(name: string, stampSource: string): string {
  const root = join(DIR, name);
  mkdirSync(join(root, 'src'), { recursive: true });
  mkdirSync(join(root, 'build'));
  mkdirSync(join(root, 'bin'));
  copyFileSync(join(PKG, 'build-addon.mjs'), join(root, 'build-addon.mjs'));
  copyFileSync(join(PKG, 'src', 'shm_native.c'), join(root, 'src', 'shm_native.c'));
  writeFileSync(join(root, 'build', 'shm_native.node'), 'an earlier build');
  writeFileSync(join(root, 'build', 'stamp.json'), JSON.stringify({ key: 'an earlier key', source: stampSource }));
  return root;
}

function runWithoutCompiler(root: string): string {
  const r = spawnSync(process.execPath, [join(root, 'build-addon.mjs')], {
    env: { PATH: join(root, 'bin') },
    encoding: 'utf8',
  });
  return r.stderr;
}

describe('build-addon.mjs without a C compiler', () => {
  const source = createHash('sha256')
    .update(readFileSync(join(PKG, 'src', 'shm_native.c')))
    .digest('hex');

  it('removes an addon built from another source (it would load code older than the source)', () => {
    const root = packageCopy('stale', 'f'.repeat(64));
    expect(runWithoutCompiler(root)).toMatch(/native shared-memory path off: (no C compiler|no Node-API headers)/);
    expect(existsSync(join(root, 'build', 'shm_native.node'))).toBe(false);
  });

  it('keeps an addon built from this very source (the compiler is gone, the build is not stale)', () => {
    const root = packageCopy('same-source', source);
    expect(runWithoutCompiler(root)).toMatch(/native shared-memory path off/);
    expect(existsSync(join(root, 'build', 'shm_native.node'))).toBe(true);
  });
});
