import { fstatSync, readSync } from 'node:fs';
import { type ShmNativeBinding, shmNative } from './native.js';

/** Pages are mapped into this process (populated) in chunks of this many bytes, each once. */
const CHUNK_BYTES = 64 * 1024;
/**
 * The file is mapped in windows of this many bytes, each on first use: a Node 20 Buffer holds at most 4 GiB, and a
 * pool's arena may be larger. An access that straddles two windows (rare: once per GiB of extents) goes through
 * pread / pwrite.
 */
const WINDOW_BYTES = 1024 * 1024 * 1024;

interface Window {
  readonly buffer: ArrayBuffer;
  readonly bytes: Buffer;
  /** One byte per chunk of this window: 1 once its pages are mapped into this process. */
  readonly touched: Uint8Array;
}

/**
 * A file of fixed size mapped into this process (a shared-memory segment, see @oicf/pool-client shm-segment.ts):
 * reads and writes are copies to and from the mapping, with no system call once its pages are mapped here.
 *
 * Rules that keep it safe:
 * - Bounds: every access is checked here, in JS, against the size mapped (never more than the file holds: a
 *   mapping past the end of a file raises SIGBUS, so `open` refuses a file shorter than `sizeBytes`).
 * - Pages: every access first maps its pages with one madvise(MADV_POPULATE_WRITE, or _READ when read-only) per
 *   64 KiB chunk never touched before, which fails with an error (never SIGBUS) when the tmpfs is full; that access
 *   then takes pread / pwrite on the descriptor (a write reports ENOSPC). Pages are never taken back (the owners
 *   never punch holes), so a populated chunk stays mapped and later accesses cannot fault for lack of room.
 * - Shrinking: any process of the same user may still ftruncate the file smaller (through /proc/<pid>/fd), and a
 *   page past its new end raises SIGBUS on access. `read`, `readHashed` and `write` copy (and `hashInPlace` reads)
 *   under the addon's SIGBUS guard and throw RangeError instead; `view` hands out bytes JS reads unguarded (see it).
 * - Views (`view`) are for reading now, synchronously: a caller copies out what it keeps before it yields or
 *   releases the extent. `close` detaches every window: a view kept past it reads as empty, never freed memory.
 */
export class MappedFile {
  private readonly windows: (Window | undefined)[];
  private closed = false;

  private constructor(
    private readonly native: ShmNativeBinding,
    private readonly fd: number,
    readonly sizeBytes: number,
    readonly writable: boolean,
    private readonly windowBytes: number,
  ) {
    this.windows = new Array(Math.ceil(sizeBytes / windowBytes)).fill(undefined);
  }

  /**
   * Maps [0, sizeBytes) of `fd` (window by window, on first use); a string says why not (the addon is off, the file
   * is short, the first window cannot be mapped). `windowBytes` (a multiple of 64 KiB) is for tests.
   */
  static open(
    fd: number,
    sizeBytes: number,
    writable: boolean,
    options: { windowBytes?: number } = {},
  ): MappedFile | string {
    const native = shmNative();
    if (native === undefined) return 'the native shared-memory addon is off';
    if (!Number.isSafeInteger(sizeBytes) || sizeBytes <= 0) return `cannot map ${sizeBytes} bytes`;
    const windowBytes = options.windowBytes ?? WINDOW_BYTES;
    if (windowBytes <= 0 || windowBytes % CHUNK_BYTES !== 0) return `bad window of ${windowBytes} bytes`;
    try {
      const size = fstatSync(fd).size;
      if (size < sizeBytes) return `the file holds ${size} bytes, fewer than the ${sizeBytes} to map`;
      const file = new MappedFile(native, fd, sizeBytes, writable, windowBytes);
      file.window(0); // fails now, not at the first access, when this process cannot map the file at all
      return file;
    } catch (err) {
      return String(err);
    }
  }

  /** Throws RangeError unless [offset, offset + length) lies inside the mapping and it is open. */
  check(offset: number, length: number): void {
    if (this.closed) throw new RangeError('the mapping was closed');
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new RangeError(`bad extent [${offset}, +${length})`);
    }
    if (offset + length > this.sizeBytes) {
      throw new RangeError(`extent [${offset}, ${offset + length}) is past the mapping's end ${this.sizeBytes}`);
    }
  }

  /** Copies [offset, offset + into.length) into `into` (guarded: a shrunk file throws RangeError, see `shrank`). */
  read(into: Uint8Array, offset: number): void {
    const from = this.view(offset, into.byteLength);
    if (from === undefined) this.pread(into, offset);
    else if (!this.native.copy(into, from)) throw this.shrank(offset, into.byteLength);
  }

  /**
   * Copies [offset, offset + into.length) into `into` and returns XXH32 (seed 0) of what `into` now holds, in one
   * pass over the mapping (the hash is of the copy, whatever a peer writes meanwhile).
   */
  readHashed(into: Uint8Array, offset: number): number {
    const from = this.view(offset, into.byteLength);
    if (from !== undefined) {
      const hash = this.native.copyXxh32(into, from, 0);
      if (hash < 0) throw this.shrank(offset, into.byteLength);
      return hash;
    }
    this.pread(into, offset);
    return this.native.xxh32(into, 0);
  }

  /**
   * XXH32 (seed 0) of [offset, offset + length) read in place, with no copy, under the SIGBUS guard (a shrunk file
   * throws RangeError, see `shrank`). Undefined when the bytes cannot be read through the mapping (see `view`): copy
   * them with `readHashed`. The hash is of the bytes as they were read: a peer may write them meanwhile.
   */
  hashInPlace(offset: number, length: number): number | undefined {
    const at = this.view(offset, length);
    if (at === undefined) return undefined;
    const hash = this.native.xxh32Guarded(at, 0);
    if (hash < 0) throw this.shrank(offset, length);
    return hash;
  }

  /**
   * Copies `bytes` to `offset`; false (nothing written) when its pages could not be mapped (a full tmpfs, a kernel
   * older than 5.14, an access across two windows): write through the file descriptor instead. Throws RangeError when
   * the file shrank under this process (see `shrank`): writing through the descriptor would grow it again.
   */
  write(bytes: Uint8Array, offset: number): boolean {
    this.check(offset, bytes.byteLength);
    if (!this.writable) throw new RangeError('the mapping is read-only');
    const to = this.mappedRange(offset, bytes.byteLength);
    if (to === undefined) return false;
    if (!this.native.copy(to, bytes)) throw this.shrank(offset, bytes.byteLength);
    return true;
  }

  /**
   * UNGUARDED: JS reads these bytes directly, so if the file shrinks under this process a read of them raises SIGBUS
   * and ends it. Only the pool's arena store uses it (mapped only with OICF_SHM_NATIVE=1, see the README), and its put
   * path hashes in place with `hashInPlace`, which is guarded, as are `read` / `readHashed` / `write`.
   *
   * The bytes at [offset, offset + length), in place: read them now, copy out what is kept (see the class). Undefined
   * when their pages could not be mapped (a full tmpfs: a hole read through the mapping would raise SIGBUS) or they
   * straddle two windows: read them with `read`, which then takes pread.
   */
  view(offset: number, length: number): Buffer | undefined {
    this.check(offset, length);
    return this.mappedRange(offset, length);
  }

  /**
   * Maps every page of the file into this process now, window by window (MADV_POPULATE_WRITE when writable, which on
   * a tmpfs also allocates the pages; _READ otherwise), so no later access takes a page fault. Returns the bytes
   * mapped: fewer than `sizeBytes` when the kernel refused (a full tmpfs): the rest stays as it was, mapped on first use
   * or read and written through the descriptor.
   */
  prefault(): number {
    if (this.closed) throw new RangeError('the mapping was closed');
    let done = 0;
    for (let w = 0; w < this.windows.length; w++) {
      const window = this.window(w);
      if (!this.populate(window, 0, window.bytes.byteLength)) return done;
      done += window.bytes.byteLength;
    }
    return done;
  }

  /** Unmaps now (views become empty); idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.windows) if (w !== undefined) this.native.unmap(w.buffer);
    this.windows.fill(undefined);
  }

  /** The bytes of a checked range in its window with their pages mapped, or undefined (see `view`). */
  private mappedRange(offset: number, length: number): Buffer | undefined {
    // Empty: no window to map (at the end of a file of whole windows, there is none: mapFd refuses length 0).
    if (length === 0) return Buffer.alloc(0);
    const w = Math.floor(offset / this.windowBytes);
    const start = offset - w * this.windowBytes;
    if (start + length > this.windowBytes) return undefined; // straddles two windows
    const window = this.window(w);
    if (!this.populate(window, start, length)) return undefined;
    return window.bytes.subarray(start, start + length);
  }

  private window(w: number): Window {
    const known = this.windows[w];
    if (known !== undefined) return known;
    const from = w * this.windowBytes;
    const length = Math.min(this.windowBytes, this.sizeBytes - from);
    const buffer = this.native.mapFd(this.fd, from, length, this.writable);
    const window = { buffer, bytes: Buffer.from(buffer), touched: new Uint8Array(Math.ceil(length / CHUNK_BYTES)) };
    this.windows[w] = window;
    return window;
  }

  /**
   * The error for a guarded copy that raised SIGBUS: a page of [offset, offset + length) is past the end of the file,
   * which some process shrank (ftruncate) after this one mapped it.
   */
  private shrank(offset: number, length: number): RangeError {
    let now = 'its size now unknown';
    try {
      now = `it now holds ${fstatSync(this.fd).size} bytes`;
    } catch {}
    return new RangeError(
      `the mapped file shrank under this process: extent [${offset}, ${offset + length}) of a mapping of ${this.sizeBytes} bytes is past its end (${now})`,
    );
  }

  private pread(into: Uint8Array, offset: number): void {
    for (let done = 0; done < into.byteLength; ) {
      const n = readSync(this.fd, into, done, into.byteLength - done, offset + done);
      if (n === 0) throw new RangeError(`read past the end of the file at ${offset + done}`);
      done += n;
    }
  }

  private populate(window: Window, offset: number, length: number): boolean {
    if (length === 0) return true;
    const first = Math.floor(offset / CHUNK_BYTES);
    const last = Math.floor((offset + length - 1) / CHUNK_BYTES);
    let from = -1;
    for (let c = first; c <= last + 1; c++) {
      if (c <= last && window.touched[c] === 0) {
        if (from < 0) from = c;
        continue;
      }
      if (from < 0) continue;
      // Chunks [from, c) are new to this process: map them in one call (clamped to the window).
      const start = from * CHUNK_BYTES;
      const end = Math.min(c * CHUNK_BYTES, window.bytes.byteLength);
      if (!this.native.populate(window.buffer, start, end - start, this.writable)) return false;
      window.touched.fill(1, from, c);
      from = -1;
    }
    return true;
  }
}
