// A file shrunk (ftruncate, by any process of the same user) after this process mapped it: a page past its new end
// raises SIGBUS on access. MappedFile's copies (and in-place hash) run under the addon's SIGBUS guard and throw RangeError; the process
// lives on. Run in a child process, so that a missing guard kills the child (exit by SIGBUS), not the test runner.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shmNative } from './native.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const MAPPED_FILE = new URL('./mapped-file.ts', import.meta.url).href;
const KiB = 1024;

/**
 * The child: a 256 KiB unlinked tmpfs file, mapped writable, every page written through the mapping (so its pages are
 * mapped here and no later access populates them again), then shrunk to 64 KiB. Each access is tried and its outcome
 * printed as one JSON line; `view` mode then reads in-place bytes past the new end (unguarded, by design).
 */
const CHILD = `
import { ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { MappedFile } from ${JSON.stringify(MAPPED_FILE)};
const dir = mkdtempSync('/dev/shm/oicf-shrink-test-');
const fd = openSync(dir + '/f', 'w+');
rmSync(dir, { recursive: true, force: true });
ftruncateSync(fd, ${256 * KiB});
const m = MappedFile.open(fd, ${256 * KiB}, true);
if (typeof m === 'string') throw new Error(m);
if (!m.write(Buffer.alloc(${256 * KiB}, 7), 0)) throw new Error('the first write did not go through the mapping');
ftruncateSync(fd, ${64 * KiB});
const into = Buffer.alloc(${4 * KiB});
const out = {};
const attempt = (name, f) => {
  try { out[name] = { ok: f() }; } catch (e) { out[name] = { error: e.constructor.name, message: e.message }; }
};
attempt('read', () => { m.read(into, ${128 * KiB}); return true; });
attempt('readHashed', () => m.readHashed(into, ${128 * KiB}));
attempt('write', () => m.write(Buffer.alloc(${4 * KiB}, 1), ${200 * KiB}));
attempt('hashInPlace', () => m.hashInPlace(${128 * KiB}, ${4 * KiB}));
attempt('readInside', () => { m.read(into, ${4 * KiB}); return into[0]; });
if (process.argv.includes('view')) out.viewByte = m.view(${128 * KiB}, 16)[0];
console.log(JSON.stringify(out));
`;

function runChild(mode: 'copies' | 'view') {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, mode], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

const off =
  shmNative() === undefined
    ? ' (skipped: the shm-native addon did not load)'
    : existsSync('/dev/shm')
      ? ''
      : ' (skipped: no /dev/shm)';
describe.skipIf(off !== '')(`MappedFile over a file that shrank${off}`, () => {
  it('read, readHashed, write and hashInPlace past the new end throw RangeError naming the extent, and the process lives on', () => {
    const child = runChild('copies');
    // Without the guard the child dies at the first access: signal SIGBUS (shell exit code 135 = 128 + 7). Three faults
    // in a row: a guard that left SIGBUS blocked after catching one would have the kernel end the child at the second.
    expect(child.signal, child.stderr).toBeNull();
    expect(child.status, child.stderr).toBe(0);
    const out = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}');
    for (const name of ['read', 'readHashed', 'write', 'hashInPlace']) {
      expect(out[name].error, name).toBe('RangeError');
      expect(out[name].message, name).toMatch(/the mapped file shrank under this process/);
      expect(out[name].message, name).toMatch(/it now holds 65536 bytes/);
    }
    expect(out.read.message).toMatch(/\[131072, 135168\) of a mapping of 262144 bytes/); // 128 KiB, +4 KiB
    expect(out.write.message).toMatch(/\[204800, 208896\)/); // 200 KiB, +4 KiB
    expect(out.hashInPlace.message).toMatch(/\[131072, 135168\)/); // 128 KiB, +4 KiB (in place, no copy)
    // Below the new end the mapping still works: the byte written before the shrink.
    expect(out.readInside).toEqual({ ok: 7 });
  });

  // The handler is installed by then (the guarded copies ran first): a SIGBUS outside a guarded copy goes back to the
  // previous (default) action and ends the process as it did without the addon; and the scenario really faults.
  it('reading in-place bytes (view, unguarded) past the new end still kills the child by SIGBUS', () => {
    const child = runChild('view');
    expect(child.signal).toBe('SIGBUS');
  });
});
