import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  read,
  readSync,
  statfsSync,
  unlinkSync,
  write,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { MappedFile, shmNativeStatus } from '@oicf/shm-native';
import { OicfError } from '@oicf/transport';

/**
 * A shared-memory segment: one file on a tmpfs that its owner creates, sizes, stamps with a header, opens
 * and then unlinks. Peers on the same host open it through the owner's descriptor, `/proc/<pid>/fd/<fd>`,
 * and check the header's nonce. Because the name is gone, the kernel frees the memory when the last
 * process holding the file open exits: a crashed owner or reader cannot leak it (only an open descriptor
 * keeps it alive, and every holder closes its descriptors with the connection they came from).
 *
 *   offset 0    4       6       8         12            16             32            40        4096
 *          +----+-------+-------+---------+-------------+--------------+-------------+---------+----------
 *          |OKVS| u16 1 | u16 0 | u32 pid | u32 segment | 16-byte nonce| u64 size    | zero    | data area:
 *          |    |version|       | (owner) | id          | (random)     | (file bytes)| …       | extents
 *          +----+-------+-------+---------+-------------+--------------+-------------+---------+----------
 *   integers little-endian. Extents (ShmExtent: offset, length) lie in [4096, size).
 *
 * The data area holds no metadata: which extent holds which block lives in the owner's memory (and in the
 * frames that name extents), so no state in the segment can be left half-written by a crash.
 *
 * Copies: when mapped (@oicf/shm-native; `map`, by default `shmMapsByDefault` of the segment's use: handoff staging
 * whenever the addon loaded, the pool's arena only with OICF_SHM_NATIVE=1) each side maps the segment once and `read` /
 * `write` are memcpy to and from the mapping (no system call once its pages are mapped here), and `view` hands out the
 * bytes in place for a check that runs now (see MappedFile's rules: read a view synchronously, copy out what is kept
 * before the extent is released). Without it (the arena's default, no compiler, a mapping refused) they are pread /
 * pwrite on the descriptor and `view` is undefined. The segment's size never changes after `create`, and nothing maps
 * past it (open checks the size with fstat). The owner, a writable peer or any process of the same user (through
 * /proc/<pid>/fd) could still truncate it (none of ours does), and an access through a mapping past the new end raises
 * SIGBUS: `read`, `readHashed` and `write` copy under the addon's guard and throw RangeError instead (the process lives
 * on; a PeerSegment's reads answer INVALID_ARGUMENT, as through pread, see `pastEnd`); bytes from `view` are read
 * unguarded (`xxh32InPlace` reads in place guarded: the opt-in arena store's put check) (docs/architecture.md "KV
 * bytes").
 */
export const SEGMENT_MAGIC = 0x53564b4f; // "OKVS" little-endian
export const SEGMENT_VERSION = 1;
/** Bytes reserved for the header; extents start here (one page). */
export const SEGMENT_HEADER_BYTES = 4096;
/** Where segments are created unless configured otherwise. */
export const DEFAULT_SHM_DIR = '/dev/shm/oicf';

/** What a peer needs to open a segment (the ShmSegment message). */
export interface SegmentDescriptor {
  readonly segmentId: number;
  readonly path: string;
  readonly nonce: string;
  readonly sizeBytes: number;
}

let nextSegmentId = 1;

function encodeHeader(segmentId: number, nonce: Buffer, sizeBytes: number): Buffer {
  const h = Buffer.alloc(SEGMENT_HEADER_BYTES);
  h.writeUInt32LE(SEGMENT_MAGIC, 0);
  h.writeUInt16LE(SEGMENT_VERSION, 4);
  h.writeUInt32LE(process.pid, 8);
  h.writeUInt32LE(segmentId, 12);
  nonce.copy(h, 16);
  h.writeBigUInt64LE(BigInt(sizeBytes), 32);
  return h;
}

/** Reads exactly `length` bytes at `position` into `into` (regular files return short reads only at EOF). */
export function readExactly(fd: number, into: Uint8Array, position: number): void {
  let done = 0;
  while (done < into.byteLength) {
    const n = readSync(fd, into, done, into.byteLength - done, position + done);
    if (n === 0) throw new OicfError('INVALID_ARGUMENT', `shared-memory read past the end at ${position + done}`);
    done += n;
  }
}

/** Writes all of `bytes` at `position`. */
export function writeExactly(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done, position + done);
}

/**
 * The same as readExactly / writeExactly, run on libuv's thread pool: the copy leaves the event loop, so
 * several transfers in flight copy in parallel with the JS thread's own work (hashing the previous block).
 */
export function readExactlyAsync(fd: number, into: Uint8Array, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (done: number) =>
      read(fd, into, done, into.byteLength - done, position + done, (err, n) => {
        if (err !== null) return reject(err);
        if (n === 0)
          return reject(new OicfError('INVALID_ARGUMENT', `shared-memory read past the end at ${position + done}`));
        if (done + n < into.byteLength) step(done + n);
        else resolve();
      });
    if (into.byteLength === 0) resolve();
    else step(0);
  });
}

export function writeExactlyAsync(fd: number, bytes: Uint8Array, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (done: number) =>
      write(fd, bytes, done, bytes.byteLength - done, position + done, (err, n) => {
        if (err !== null) return reject(err);
        if (done + n < bytes.byteLength) step(done + n);
        else resolve();
      });
    if (bytes.byteLength === 0) resolve();
    else step(0);
  });
}

/** A segment this process owns. */
export class OwnedSegment {
  private closed = false;

  private constructor(
    readonly segmentId: number,
    readonly fd: number,
    readonly nonce: string,
    readonly sizeBytes: number,
    private readonly mapped: MappedFile | undefined,
  ) {}

  /**
   * Creates a segment of `dataBytes` (plus the header page) in `dir`. Pages cost memory only once written
   * (tmpfs files are sparse). Throws UNAVAILABLE when the directory cannot hold it (no /dev/shm). Mapped when the
   * arena's native path is on (shmNativeStatus) unless `map` says otherwise (ShmStaging passes the staging default).
   */
  static create(dir: string, dataBytes: number, kind: string, options: { map?: boolean } = {}): OwnedSegment {
    const segmentId = nextSegmentId++;
    const nonce = randomBytes(16);
    const sizeBytes = SEGMENT_HEADER_BYTES + dataBytes;
    const path = join(dir, `${kind}-${process.pid}-${segmentId}-${nonce.toString('hex').slice(0, 8)}`);
    let fd: number | undefined;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // A tmpfs smaller than the segment (a container's 64 MiB /dev/shm) would fail writes later, mid-put:
      // refuse up front, so the owner falls back to bytes in frames (or process memory) from the start.
      const fsInfo = statfsSync(dir);
      if (fsInfo.bavail * fsInfo.bsize < sizeBytes) {
        throw new Error(`${dir} has ${fsInfo.bavail * fsInfo.bsize} bytes free, the segment needs ${sizeBytes}`);
      }
      fd = openSync(path, 'wx+', 0o600);
      ftruncateSync(fd, sizeBytes);
      writeExactly(fd, encodeHeader(segmentId, nonce, sizeBytes), 0);
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      throw new OicfError('UNAVAILABLE', `cannot create a shared-memory segment in ${dir}: ${String(err)}`, {
        cause: err,
      });
    } finally {
      // Unlinked at once: only open descriptors keep it alive (see the class comment).
      try {
        unlinkSync(path);
      } catch {}
    }
    const mapped = (options.map ?? shmNativeStatus().on) ? MappedFile.open(fd, sizeBytes, true) : undefined;
    return new OwnedSegment(
      segmentId,
      fd,
      nonce.toString('hex'),
      sizeBytes,
      typeof mapped === 'string' ? undefined : mapped,
    );
  }

  /** Whether reads and writes go through a mapping (the native path). */
  get isMapped(): boolean {
    return this.mapped !== undefined;
  }

  /**
   * Maps (and on a tmpfs allocates) every page of a mapped segment now, so no later access faults (MappedFile.prefault);
   * the bytes done, 0 without a mapping.
   */
  prefault(): number {
    return this.mapped?.prefault() ?? 0;
  }

  /** How a peer on this host opens it. */
  descriptor(): SegmentDescriptor {
    return {
      segmentId: this.segmentId,
      path: `/proc/${process.pid}/fd/${this.fd}`,
      nonce: this.nonce,
      sizeBytes: this.sizeBytes,
    };
  }

  write(bytes: Uint8Array, offset: number): void {
    // A mapping that cannot take the bytes (a full tmpfs) says so, and pwrite then reports the error.
    if (this.mapped?.write(bytes, offset) !== true) writeExactly(this.fd, bytes, offset);
  }

  read(into: Uint8Array, offset: number): void {
    if (this.mapped !== undefined) this.mapped.read(into, offset);
    else readExactly(this.fd, into, offset);
  }

  /**
   * The bytes at [offset, offset + length) in place, to check now (undefined without a mapping, or when its pages
   * cannot be mapped: read a copy).
   */
  view(offset: number, length: number): Uint8Array | undefined {
    return this.mapped?.view(offset, length);
  }

  /**
   * XXH32 (seed 0) of [offset, offset + length) read in place under the addon's SIGBUS guard (MappedFile.hashInPlace:
   * RangeError when the file shrank); undefined without a mapping, or when its pages cannot be mapped: hash a copy.
   */
  xxh32InPlace(offset: number, length: number): number | undefined {
    return this.mapped?.hashInPlace(offset, length);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.mapped?.close();
    closeSync(this.fd);
  }
}

/**
 * A peer's segment, opened from its descriptor and checked: magic, version, size and nonce must match what
 * the peer announced, so a recycled pid or fd number can never be mistaken for the segment.
 */
export class PeerSegment {
  private closed = false;

  private constructor(
    readonly descriptor: SegmentDescriptor,
    private readonly fd: number,
    private readonly mapped: MappedFile | undefined,
  ) {}

  /** Opens and checks; a string says why it cannot be used (another host, another pid namespace, …). */
  static open(d: SegmentDescriptor, options: { writable: boolean; map?: boolean }): PeerSegment | string {
    if (!/^\/proc\/\d+\/fd\/\d+$/.test(d.path))
      return `segment path ${JSON.stringify(d.path)} is not /proc/<pid>/fd/<n>`;
    let fd: number;
    try {
      fd = openSync(d.path, options.writable ? 'r+' : 'r');
    } catch (err) {
      return `cannot open ${d.path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
    }
    const header = Buffer.alloc(48);
    try {
      readExactly(fd, header, 0);
    } catch {
      closeSync(fd);
      return `${d.path} is shorter than a segment header`;
    }
    const problem =
      header.readUInt32LE(0) !== SEGMENT_MAGIC
        ? 'bad magic'
        : header.readUInt16LE(4) !== SEGMENT_VERSION
          ? `unsupported version ${header.readUInt16LE(4)}`
          : header.subarray(16, 32).toString('hex') !== d.nonce
            ? 'nonce mismatch (not the announced segment)'
            : Number(header.readBigUInt64LE(32)) !== d.sizeBytes
              ? 'size mismatch'
              : undefined;
    if (problem !== undefined) {
      closeSync(fd);
      return `${d.path}: ${problem}`;
    }
    // The header's size was checked against the announced one; MappedFile also checks the file holds it.
    const mapped =
      (options.map ?? shmNativeStatus().on) ? MappedFile.open(fd, d.sizeBytes, options.writable) : undefined;
    return new PeerSegment(d, fd, mapped instanceof MappedFile ? mapped : undefined);
  }

  /** Whether reads and writes go through a mapping (the native path). */
  get isMapped(): boolean {
    return this.mapped !== undefined;
  }

  /** Throws OUT_OF_RANGE unless [offset, offset + length) lies in the data area (UNAVAILABLE once closed). */
  check(offset: number, length: number): void {
    // After close the fd number is free, and the next open in this process reuses it: never touch it.
    if (this.closed) {
      throw new OicfError(
        'UNAVAILABLE',
        `segment ${this.descriptor.segmentId} was closed with its connection: reconnect and retry`,
      );
    }
    if (!Number.isInteger(offset) || offset < SEGMENT_HEADER_BYTES || offset + length > this.descriptor.sizeBytes) {
      throw new OicfError(
        'INVALID_ARGUMENT',
        `extent [${offset}, ${offset + length}) is outside segment ${this.descriptor.segmentId}'s data area [${SEGMENT_HEADER_BYTES}, ${this.descriptor.sizeBytes})`,
        { field: 'body.shm' },
      );
    }
  }

  read(into: Uint8Array, offset: number): void {
    this.check(offset, into.byteLength);
    try {
      if (this.mapped !== undefined) this.mapped.read(into, offset);
      else readExactly(this.fd, into, offset);
    } catch (err) {
      throw this.pastEnd(err, offset, into.byteLength);
    }
  }

  write(bytes: Uint8Array, offset: number): void {
    this.check(offset, bytes.byteLength);
    if (this.mapped?.write(bytes, offset) !== true) writeExactly(this.fd, bytes, offset);
  }

  /**
   * `read`, and XXH32 (seed 0) of the bytes now in `into` computed during the copy (one pass) when mapped; undefined
   * without a mapping (the caller hashes `into` itself).
   */
  readHashed(into: Uint8Array, offset: number): number | undefined {
    this.check(offset, into.byteLength);
    try {
      if (this.mapped !== undefined) return this.mapped.readHashed(into, offset);
      readExactly(this.fd, into, offset);
      return undefined;
    } catch (err) {
      throw this.pastEnd(err, offset, into.byteLength);
    }
  }

  /**
   * A read of a checked extent that ran past the end of the file, which the peer (or any process of the same user)
   * shrank after the handshake: one INVALID_ARGUMENT with the extent and the file's size whichever path read it (the
   * mapping's guarded copy throws RangeError, pread finds EOF: readExactly's INVALID_ARGUMENT). Anything else as is.
   */
  private pastEnd(err: unknown, offset: number, length: number): unknown {
    const ours = err instanceof RangeError || (err instanceof OicfError && err.code === 'INVALID_ARGUMENT');
    if (!ours) return err;
    let now = 'its size now unknown';
    try {
      now = `it now holds ${fstatSync(this.fd).size} bytes`;
    } catch {}
    return new OicfError(
      'INVALID_ARGUMENT',
      `extent [${offset}, ${offset + length}) of segment ${this.descriptor.segmentId} is past the end of its file, which shrank after the peer offered it (${this.descriptor.sizeBytes} bytes offered, ${now})`,
      { field: 'body.shm', cause: err },
    );
  }

  /** `read` on the thread pool (see readExactlyAsync). */
  readAsync(into: Uint8Array, offset: number): Promise<void> {
    this.check(offset, into.byteLength);
    return readExactlyAsync(this.fd, into, offset);
  }

  /** `write` on the thread pool. */
  writeAsync(bytes: Uint8Array, offset: number): Promise<void> {
    this.check(offset, bytes.byteLength);
    return writeExactlyAsync(this.fd, bytes, offset);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.mapped?.close();
    closeSync(this.fd);
  }
}
