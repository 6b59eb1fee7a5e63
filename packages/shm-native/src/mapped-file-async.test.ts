// MappedFile.readHashedAsync: the copy and XXH32 of readHashed as one job on libuv's thread pool, and the rule that keeps
// it safe: a mapping closed while a job reads it stays mapped until that job ends.
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MappedFile } from './mapped-file.js';
import { shmNative } from './native.js';

const dir = mkdtempSync(join('/dev/shm', 'shm-native-async-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An unlinked file of `size` bytes, open read-write. */
function file(size: number): number {
  const path = join(dir, `f-${Math.random().toString(36).slice(2)}`);
  const fd = openSync(path, 'w+');
  unlinkSync(path);
  ftruncateSync(fd, size);
  return fd;
}

// XXH32("abc", seed 0) = 0x32D153FF (xxHash's published test value, as in native.test.ts).
const XXH32_ABC = 0x32d153ff;

const off = shmNative() === undefined ? ' (skipped: the shm-native addon did not load)' : '';
describe.skipIf(shmNative() === undefined)(`MappedFile.readHashedAsync${off}`, () => {
  it('copies the extent and resolves XXH32 of the copy, like readHashed', async () => {
    const fd = file(256 * 1024);
    writeSync(fd, Buffer.from('abc'), 0, 3, 70_000); // inside the second 64 KiB chunk
    const m = MappedFile.open(fd, 256 * 1024, false) as MappedFile;
    const into = Buffer.alloc(3);
    const pending = m.readHashedAsync(into, 70_000);
    expect(m.jobsRunning).toBe(1);
    await expect(pending).resolves.toBe(XXH32_ABC);
    expect(into.toString()).toBe('abc');
    expect(m.jobsRunning).toBe(0);
    expect(m.readHashed(Buffer.alloc(3), 70_000)).toBe(XXH32_ABC);
    m.close();
    closeSync(fd);
  });

  it('refuses an extent past the mapping with RangeError, before any job', async () => {
    const fd = file(8192);
    const m = MappedFile.open(fd, 8192, false) as MappedFile;
    await expect(m.readHashedAsync(Buffer.alloc(16), 8190)).rejects.toThrow(RangeError);
    expect(m.jobsRunning).toBe(0);
    m.close();
    closeSync(fd);
  });

  it('close while a job reads the mapping: unmapped only once the job ends; later accesses are refused', async () => {
    const fd = file(128 * 1024);
    writeSync(fd, Buffer.from('abc'), 0, 3, 4096);
    const m = MappedFile.open(fd, 128 * 1024, false) as MappedFile;
    const before = m.view(0, 16) as Buffer; // a view of the same window: detached exactly when the window is unmapped
    const into = Buffer.alloc(3);
    const pending = m.readHashedAsync(into, 4096);
    m.close();
    // Still mapped: the job reads it (unmapping now would let the copy touch freed memory).
    expect(before.byteLength).toBe(16);
    await expect(pending).resolves.toBe(XXH32_ABC);
    expect(into.toString()).toBe('abc');
    expect(before.byteLength).toBe(0); // the last job's end unmapped it
    await expect(m.readHashedAsync(Buffer.alloc(3), 4096)).rejects.toThrow(/closed/);
    closeSync(fd);
  });
});
