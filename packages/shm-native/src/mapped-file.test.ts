import {
  closeSync,
  fstatSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MappedFile } from './mapped-file.js';
import { shmNative } from './native.js';

const dir = mkdtempSync(join('/dev/shm', 'shm-native-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An unlinked file of `size` bytes, open read-write. */
function file(size: number): number {
  const path = join(dir, `f-${Math.random().toString(36).slice(2)}`);
  const fd = openSync(path, 'w+');
  unlinkSync(path);
  ftruncateSync(fd, size);
  return fd;
}

const off = shmNative() === undefined ? ' (skipped: the shm-native addon did not load)' : '';
describe.skipIf(shmNative() === undefined)(`MappedFile${off}`, () => {
  it('shares bytes with the file both ways: a write through the mapping is read by pread, a pwrite is seen in it', () => {
    const fd = file(256 * 1024);
    const m = MappedFile.open(fd, 256 * 1024, true) as MappedFile;
    expect(m).toBeInstanceOf(MappedFile);
    expect(m.write(Buffer.from('hello'), 70_000)).toBe(true); // inside the second 64 KiB chunk
    const back = Buffer.alloc(5);
    readSync(fd, back, 0, 5, 70_000);
    expect(back.toString()).toBe('hello');
    writeSync(fd, Buffer.from('world'), 0, 5, 200_000);
    const into = Buffer.alloc(5);
    m.read(into, 200_000);
    expect(into.toString()).toBe('world');
    expect(m.view(70_000, 5)?.toString()).toBe('hello');
    m.close();
    closeSync(fd);
  });

  it('refuses extents outside the mapping before touching memory', () => {
    const fd = file(8192);
    const m = MappedFile.open(fd, 8192, true) as MappedFile;
    expect(() => m.read(Buffer.alloc(2), 8191)).toThrow(RangeError); // one byte past the end
    expect(() => m.write(Buffer.alloc(1), -1)).toThrow(RangeError);
    expect(() => m.view(0.5, 1)).toThrow(RangeError);
    expect(() => m.view(0, 8193)).toThrow(/past the mapping's end 8192/);
    expect(m.view(8191, 1)?.byteLength).toBe(1); // the last byte is inside
    m.close();
    closeSync(fd);
  });

  it('an empty extent at the very end of a file of whole windows is inside: nothing to map, nothing thrown', () => {
    // 128 KiB in 64 KiB windows: windows 0 and 1; an extent [131072, 131072) would fall in a window 2 that is not there.
    const fd = file(128 * 1024);
    const m = MappedFile.open(fd, 128 * 1024, true, { windowBytes: 64 * 1024 }) as MappedFile;
    expect(() => m.read(Buffer.alloc(0), 128 * 1024)).not.toThrow();
    expect(m.view(128 * 1024, 0)?.byteLength).toBe(0);
    expect(m.write(Buffer.alloc(0), 128 * 1024)).toBe(true);
    expect(m.readHashed(Buffer.alloc(0), 128 * 1024)).toBe(0x02cc5d05); // XXH32("", 0), the reference value
    m.close();
    closeSync(fd);
  });

  it('prefault maps (and on a tmpfs allocates) every page of every window at once; a closed mapping refuses', () => {
    const size = 3 * 65536 + 4096; // three whole 64 KiB windows and one page in a fourth
    const fd = file(size);
    expect(fstatSync(fd).blocks).toBe(0); // sparse: no page allocated yet
    const m = MappedFile.open(fd, size, true, { windowBytes: 65536 }) as MappedFile;
    expect(m.prefault()).toBe(size);
    // tmpfs counts allocated pages in st_blocks (512-byte units): every page of the file, 200,704 ÷ 512 = 392.
    expect(fstatSync(fd).blocks).toBe(size / 512);
    // Pages are zero until written, and writes after a prefault still land in the file.
    expect(m.view(size - 4096, 4096)?.every((b) => b === 0)).toBe(true);
    expect(m.write(Buffer.from('warm'), 2 * 65536 + 10)).toBe(true);
    const back = Buffer.alloc(4);
    readSync(fd, back, 0, 4, 2 * 65536 + 10);
    expect(back.toString()).toBe('warm');
    m.close();
    expect(() => m.prefault()).toThrow(/closed/);
    closeSync(fd);
  });

  it('never maps past the end of the file (that would raise SIGBUS)', () => {
    const fd = file(4096);
    expect(MappedFile.open(fd, 8192, true)).toMatch(/holds 4096 bytes, fewer than the 8192/);
    closeSync(fd);
  });

  it('a read-only mapping refuses writes (it would fault)', () => {
    const fd = file(4096);
    const m = MappedFile.open(fd, 4096, false) as MappedFile;
    expect(() => m.write(Buffer.from('x'), 0)).toThrow(/read-only/);
    m.close();
    closeSync(fd);
  });

  it('after close, every access is refused and views taken before read as empty (never freed memory)', () => {
    const fd = file(65536);
    const m = MappedFile.open(fd, 65536, true) as MappedFile;
    m.write(Buffer.from('kept'), 100);
    const view = m.view(100, 4) as Buffer;
    expect(view.toString()).toBe('kept');
    m.close();
    m.close(); // idempotent
    expect(view.byteLength).toBe(0);
    expect(() => m.read(Buffer.alloc(1), 0)).toThrow(/closed/);
    // The file itself is intact: the mapping was the only thing released.
    const back = Buffer.alloc(4);
    readSync(fd, back, 0, 4, 100);
    expect(back.toString()).toBe('kept');
    closeSync(fd);
  });

  it('maps a file over 4 GiB (more than one Node Buffer holds) window by window', () => {
    const size = 5 * 1024 ** 3; // sparse on tmpfs: only the pages written below take memory
    const fd = file(size);
    // One buffer over all of it is refused with an error (Node's limit), not a crash (its finalizer ran once).
    expect(() => shmNative()?.mapFd(fd, 0, size, true)).toThrow(/larger than|failed/);
    const m = MappedFile.open(fd, size, true) as MappedFile;
    expect(m).toBeInstanceOf(MappedFile);
    const at = 4.5 * 1024 ** 3;
    expect(m.write(Buffer.from('far'), at)).toBe(true);
    const back = Buffer.alloc(3);
    readSync(fd, back, 0, 3, at);
    expect(back.toString()).toBe('far');
    m.close();
    closeSync(fd);
  });

  it('an access across two windows takes pread / pwrite and still moves the right bytes', () => {
    const fd = file(4 * 65536);
    const m = MappedFile.open(fd, 4 * 65536, true, { windowBytes: 65536 }) as MappedFile;
    const bytes = Uint8Array.from({ length: 100 }, (_, i) => i + 1);
    const at = 65536 - 50; // 50 bytes in window 0, 50 in window 1
    expect(m.write(bytes, at)).toBe(false); // not through the mapping: the caller pwrites
    writeSync(fd, bytes, 0, 100, at);
    expect(m.view(at, 100)).toBeUndefined();
    const into = new Uint8Array(100);
    m.read(into, at);
    expect([...into]).toEqual([...bytes]);
    const hashed = new Uint8Array(100);
    expect(m.readHashed(hashed, at)).toBe(shmNative()?.xxh32(bytes, 0));
    expect([...hashed]).toEqual([...bytes]);
    // Inside one window, the mapping is used.
    expect(m.write(bytes, 2 * 65536)).toBe(true);
    expect([...(m.view(2 * 65536, 100) ?? [])]).toEqual([...bytes]);
    m.close();
    closeSync(fd);
  });
});
