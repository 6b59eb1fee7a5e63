import { requireBlockId } from '../blocks/block-chain.js';
import { requireInteger } from '../errors.js';
import {
  blockChecksum,
  decodeBlockRecordHeader,
  encodeBlockRecordHeader,
  verifyBlockRecordParts,
} from './block-record.js';
import type { GetResult, PutOptions, PutResult, StoredBlockInfo, TierStore, TierStoreStats } from './tier-store.js';

/** A stored block: its 64-byte record header and its payload, held apart so adopted bytes need no copy. */
export interface MemoryRecord {
  header: Uint8Array;
  payload: Uint8Array;
}

/**
 * In-memory TierStore: each block is kept as a block record (header + payload, see
 * block-record.ts), so reads go through the same verification as disk. The fake for tests of
 * code above the port, and the byte store behind the pool's dram and paced tiers. Payloads put
 * with `adopt` are kept as given (no copy); others are copied.
 */
export class MemoryTierStore implements TierStore {
  private readonly records = new Map<string, MemoryRecord>();
  private usedBytes = 0;
  private numChecksumFailures = 0;

  constructor(
    readonly name: string,
    readonly capacityBytes: number,
  ) {
    if (capacityBytes !== Number.POSITIVE_INFINITY) requireInteger(capacityBytes, 'capacityBytes', 0);
  }

  async put(blockId: string, bytes: Uint8Array, options: PutOptions = {}): Promise<PutResult> {
    return this.putSync(blockId, bytes, options);
  }

  /** Synchronous put, for adapters that wrap this store. */
  putSync(blockId: string, bytes: Uint8Array, options: PutOptions = {}): PutResult {
    requireBlockId(blockId, 'blockId');
    const previousBytes = this.records.get(blockId)?.payload.length ?? 0;
    const free = this.capacityBytes - (this.usedBytes - previousBytes);
    if (bytes.length > free) {
      return {
        ok: false,
        reason: 'capacity',
        message: `tier '${this.name}' has ${free} of ${this.capacityBytes} bytes free; block ${blockId} needs ${bytes.length}`,
      };
    }
    const checksum = options.knownChecksum ?? blockChecksum(bytes);
    const header = encodeBlockRecordHeader(blockId, bytes.length, checksum, options.meta);
    this.records.set(blockId, { header, payload: options.adopt === true ? bytes : bytes.slice() });
    this.usedBytes += bytes.length - previousBytes;
    return { ok: true };
  }

  async get(blockId: string): Promise<GetResult> {
    return this.getSync(blockId);
  }

  /** Synchronous get, for adapters that wrap this store. */
  getSync(blockId: string): GetResult {
    requireBlockId(blockId, 'blockId');
    const record = this.records.get(blockId);
    if (record === undefined) return { kind: 'miss', reason: 'absent' };
    const verified = verifyBlockRecordParts(record.header, record.payload, blockId);
    if (!verified.ok) {
      this.numChecksumFailures++;
      this.deleteSync(blockId);
      return { kind: 'miss', reason: 'corrupt' };
    }
    // A view, not a copy (see the TierStore contract): a write through it shows up as corruption.
    return { kind: 'hit', bytes: verified.payload, checksum: verified.checksum };
  }

  async has(blockId: string): Promise<boolean> {
    requireBlockId(blockId, 'blockId');
    return this.records.has(blockId);
  }

  async delete(blockId: string): Promise<boolean> {
    requireBlockId(blockId, 'blockId');
    return this.deleteSync(blockId);
  }

  async list(): Promise<StoredBlockInfo[]> {
    const out: StoredBlockInfo[] = [];
    for (const [blockId, record] of this.records) {
      const header = decodeBlockRecordHeader(record.header);
      // A damaged header is reported by get (as a counted miss), not here.
      if (typeof header === 'string') continue;
      out.push({ blockId, numBytes: record.payload.length, meta: header.meta });
    }
    return out;
  }

  async stats(): Promise<TierStoreStats> {
    return {
      numBlocks: this.records.size,
      usedBytes: this.usedBytes,
      capacityBytes: this.capacityBytes,
      numChecksumFailures: this.numChecksumFailures,
    };
  }

  async close(): Promise<void> {
    this.records.clear();
    this.usedBytes = 0;
  }

  /** Test hook: the stored record itself (mutating it simulates memory corruption). */
  rawRecord(blockId: string): MemoryRecord | undefined {
    return this.records.get(blockId);
  }

  /** Test hook: store `record` under `blockId` as is (e.g. another block's record). */
  setRawRecord(blockId: string, record: MemoryRecord): void {
    const previous = this.records.get(blockId)?.payload.length ?? 0;
    this.usedBytes += record.payload.length - previous;
    this.records.set(blockId, record);
  }

  private deleteSync(blockId: string): boolean {
    const record = this.records.get(blockId);
    if (record === undefined) return false;
    this.records.delete(blockId);
    this.usedBytes -= record.payload.length;
    return true;
  }
}
