// populate and mapFd align to this system's page, read from the system (getconf PAGESIZE: sysconf(_SC_PAGESIZE)),
// never an assumed 4 KiB: on a 16 or 64 KiB-page kernel a 4 KiB-aligned madvise is refused (EINVAL).
import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, ftruncateSync, mkdtempSync, openSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shmNative } from './native.js';

const native = shmNative();
const pageBytes = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim());
const off = native === undefined ? ' (skipped: the shm-native addon did not load)' : '';

describe.skipIf(native === undefined)(`the addon's page size${off}`, () => {
  const dir = mkdtempSync(join('/dev/shm', 'shm-native-page-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the system page size', () => {
    expect(native?.pageBytes).toBe(pageBytes);
  });

  it('populate maps exactly the system pages an unaligned extent touches', () => {
    if (native === undefined) return;
    const path = join(dir, 'f');
    const fd = openSync(path, 'w+');
    unlinkSync(path);
    ftruncateSync(fd, 4 * pageBytes);
    const buffer = native.mapFd(fd, 0, 4 * pageBytes, true);
    try {
      expect(fstatSync(fd).blocks).toBe(0); // sparse
      // One byte inside page 1, its start not page-aligned: page 1 only (tmpfs counts 512-byte blocks).
      expect(native.populate(buffer, pageBytes + 1, 1, true)).toBe(true);
      expect(fstatSync(fd).blocks).toBe(pageBytes / 512);
      // Two bytes across the end of page 2 into page 3: pages 2 and 3 too, so 3 pages in all.
      expect(native.populate(buffer, 3 * pageBytes - 1, 2, true)).toBe(true);
      expect(fstatSync(fd).blocks).toBe((3 * pageBytes) / 512);
      // mapFd refuses an offset that is not a whole number of pages, naming the page size.
      expect(() => native.mapFd(fd, pageBytes / 2, pageBytes, true)).toThrow(
        `mapFd: offset must be a non-negative multiple of the page size, ${pageBytes} bytes`,
      );
    } finally {
      native.unmap(buffer);
      closeSync(fd);
    }
  });
});
