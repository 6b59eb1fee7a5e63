import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BLOCK_RECORD_HEADER_BYTES,
  type BlockMeta,
  blockChecksum,
  decodeBlockRecord,
  decodeBlockRecordHeader,
  encodeBlockRecordHeader,
  type GetResult,
  isBlockId,
  NO_META,
  type PutOptions,
  type PutResult,
  requireBlockId,
  type StoredBlockInfo,
  type TierStore,
  type TierStoreStats,
} from '@oicf/kv';

/**
 * The disk tier: one file per block under `<dataDir>/blocks/<first two hex chars>/<id>.okvb`,
 * holding the block record (64-byte OKVB header with id, parent, position, token count,
 * length and XXH32 checksums, then the payload; see packages/kv block-record.ts).
 *
 * - Writes are atomic: the record goes to a temp file in the same directory, then rename(2)
 *   replaces the target, so a reader or a restart sees the old block or the new one, never a
 *   torn one. With `durable`, the file is fsynced before the rename (power-loss safety; a
 *   killed process needs no fsync since the page cache survives it).
 * - The index (id → size, meta) is rebuilt at open by scanning: each file's header is read and
 *   checked (magic, header checksum, id = file name, size = header + length); temp files and
 *   files that fail are deleted and counted in `numDiscardedAtOpen`.
 * - Every read verifies the whole record (id and payload checksum); a failure deletes the file
 *   and is a counted miss.
 */

export interface DiskTierStoreOptions {
  /** The tier's id (@oicf/core), for errors and stats. */
  readonly name: string;
  readonly dataDir: string;
  readonly capacityBytes: number;
  readonly durable?: boolean;
}

const FILE_SUFFIX = '.okvb';
const TEMP_MARK = '.tmp-';

export class DiskTierStore implements TierStore {
  readonly name: string;
  readonly capacityBytes: number;
  private readonly blocksDir: string;
  private readonly index = new Map<string, { numBytes: number; meta: BlockMeta }>();
  private usedBytes = 0;
  /** Bytes of puts in flight (reserved before their write so concurrent puts cannot overfill). */
  private pendingBytes = 0;
  private numChecksumFailures = 0;
  private nextTemp = 0;
  /** Files dropped while rebuilding the index at open (temp files, bad headers, wrong sizes). */
  numDiscardedAtOpen = 0;

  private constructor(private readonly options: DiskTierStoreOptions) {
    this.name = options.name;
    this.capacityBytes = options.capacityBytes;
    this.blocksDir = join(options.dataDir, 'blocks');
  }

  static async open(options: DiskTierStoreOptions): Promise<DiskTierStore> {
    const store = new DiskTierStore(options);
    await mkdir(store.blocksDir, { recursive: true });
    await store.rebuildIndex();
    return store;
  }

  /** Path of a block's file (for tests and tooling). */
  pathOf(blockId: string): string {
    return join(this.blocksDir, blockId.slice(0, 2), `${blockId}${FILE_SUFFIX}`);
  }

  async put(blockId: string, bytes: Uint8Array, options: PutOptions = {}): Promise<PutResult> {
    requireBlockId(blockId, 'blockId');
    const previous = this.index.get(blockId)?.numBytes ?? 0;
    const free = this.capacityBytes - this.usedBytes - this.pendingBytes + previous;
    if (bytes.length > free) {
      return {
        ok: false,
        reason: 'capacity',
        message: `tier '${this.name}' has ${free} of ${this.capacityBytes} bytes free; block ${blockId} needs ${bytes.length}`,
      };
    }
    this.pendingBytes += bytes.length;
    const target = this.pathOf(blockId);
    const temp = `${target}${TEMP_MARK}${process.pid}-${this.nextTemp++}`;
    const meta = options.meta ?? NO_META;
    try {
      await mkdir(join(this.blocksDir, blockId.slice(0, 2)), { recursive: true });
      const header = encodeBlockRecordHeader(
        blockId,
        bytes.length,
        options.knownChecksum ?? blockChecksum(bytes),
        meta,
      );
      const file = await open(temp, 'wx');
      try {
        await file.writev([header, bytes]);
        if (this.options.durable === true) await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, target);
    } catch (err) {
      await unlink(temp).catch(() => {});
      throw err;
    } finally {
      this.pendingBytes -= bytes.length;
    }
    const before = this.index.get(blockId)?.numBytes ?? 0;
    this.index.set(blockId, { numBytes: bytes.length, meta });
    this.usedBytes += bytes.length - before;
    return { ok: true };
  }

  async get(blockId: string): Promise<GetResult> {
    requireBlockId(blockId, 'blockId');
    if (!this.index.has(blockId)) return { kind: 'miss', reason: 'absent' };
    let record: Buffer;
    try {
      record = await readFile(this.pathOf(blockId));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.forget(blockId); // deleted behind our back
      return { kind: 'miss', reason: 'absent' };
    }
    const decoded = decodeBlockRecord(record, blockId);
    if (!decoded.ok) {
      this.numChecksumFailures++;
      await this.delete(blockId);
      return { kind: 'miss', reason: 'corrupt' };
    }
    return { kind: 'hit', bytes: decoded.payload, checksum: decoded.checksum };
  }

  async has(blockId: string): Promise<boolean> {
    requireBlockId(blockId, 'blockId');
    return this.index.has(blockId);
  }

  async delete(blockId: string): Promise<boolean> {
    requireBlockId(blockId, 'blockId');
    if (!this.index.has(blockId)) return false;
    this.forget(blockId);
    await unlink(this.pathOf(blockId)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    return true;
  }

  async list(): Promise<StoredBlockInfo[]> {
    return [...this.index].map(([blockId, { numBytes, meta }]) => ({ blockId, numBytes, meta }));
  }

  async stats(): Promise<TierStoreStats> {
    return {
      numBlocks: this.index.size,
      usedBytes: this.usedBytes,
      capacityBytes: this.capacityBytes,
      numChecksumFailures: this.numChecksumFailures,
    };
  }

  async close(): Promise<void> {
    this.index.clear();
    this.usedBytes = 0;
  }

  private forget(blockId: string): void {
    const entry = this.index.get(blockId);
    if (entry === undefined) return;
    this.index.delete(blockId);
    this.usedBytes -= entry.numBytes;
  }

  private async rebuildIndex(): Promise<void> {
    for (const dir of await readdir(this.blocksDir)) {
      const dirPath = join(this.blocksDir, dir);
      let names: string[];
      try {
        names = await readdir(dirPath);
      } catch {
        continue; // not a directory
      }
      for (const name of names) {
        const path = join(dirPath, name);
        const blockId = name.endsWith(FILE_SUFFIX) ? name.slice(0, -FILE_SUFFIX.length) : '';
        const entry = isBlockId(blockId) && blockId.startsWith(dir) ? await readEntry(path, blockId) : undefined;
        if (entry === undefined) {
          this.numDiscardedAtOpen++;
          await unlink(path).catch(() => {});
          continue;
        }
        this.index.set(blockId, entry);
        this.usedBytes += entry.numBytes;
      }
    }
  }
}

/** Reads and checks a file's header; undefined when the file is not a sound record of `blockId`. */
async function readEntry(path: string, blockId: string): Promise<{ numBytes: number; meta: BlockMeta } | undefined> {
  const file = await open(path, 'r');
  try {
    const header = Buffer.alloc(BLOCK_RECORD_HEADER_BYTES);
    const { bytesRead } = await file.read(header, 0, BLOCK_RECORD_HEADER_BYTES, 0);
    const decoded = decodeBlockRecordHeader(header.subarray(0, bytesRead));
    if (typeof decoded === 'string' || decoded.blockId !== blockId) return undefined;
    const { size } = await file.stat();
    if (size !== BLOCK_RECORD_HEADER_BYTES + decoded.numPayloadBytes) return undefined;
    return { numBytes: decoded.numPayloadBytes, meta: decoded.meta };
  } finally {
    await file.close();
  }
}
