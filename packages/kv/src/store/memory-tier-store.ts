import { requireBlockId } from '../blocks/block-chain.js';
import { requireInteger } from '../errors.js';
import { BLOCK_RECORD_HEADER_BYTES, decodeBlockRecord, encodeBlockRecord } from './block-record.js';
import type { GetResult, PutOptions, PutResult, TierStore, TierStoreStats } from './tier-store.js';

/**
 * In-memory TierStore: each block is kept as its encoded record (header + payload), so reads
 * go through the same verification as disk. The fake for tests of code above the port, and
 * the byte store behind the pool's dram and paced tiers.
 */
export class MemoryTierStore implements TierStore {
  private readonly records = new Map<string, Uint8Array>();
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
    const previous = this.records.get(blockId);
    const previousBytes = previous === undefined ? 0 : previous.length - BLOCK_RECORD_HEADER_BYTES;
    const free = this.capacityBytes - (this.usedBytes - previousBytes);
    if (bytes.length > free) {
      return {
        ok: false,
        reason: 'capacity',
        message: `tier '${this.name}' has ${free} of ${this.capacityBytes} bytes free; block ${blockId} needs ${bytes.length}`,
      };
    }
    const record = encodeBlockRecord(blockId, bytes, options.knownChecksum);
    this.records.set(blockId, record);
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
    const decoded = decodeBlockRecord(record, blockId);
    if (!decoded.ok) {
      this.numChecksumFailures++;
      this.deleteSync(blockId);
      return { kind: 'miss', reason: 'corrupt' };
    }
    return { kind: 'hit', bytes: decoded.payload.slice() };
  }

  async has(blockId: string): Promise<boolean> {
    requireBlockId(blockId, 'blockId');
    return this.records.has(blockId);
  }

  async delete(blockId: string): Promise<boolean> {
    requireBlockId(blockId, 'blockId');
    return this.deleteSync(blockId);
  }

  async list(): Promise<string[]> {
    return [...this.records.keys()];
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
  rawRecord(blockId: string): Uint8Array | undefined {
    return this.records.get(blockId);
  }

  /** Test hook: store `record` under `blockId` as is (e.g. another block's record). */
  setRawRecord(blockId: string, record: Uint8Array): void {
    const previous = this.records.get(blockId);
    this.usedBytes +=
      record.length -
      BLOCK_RECORD_HEADER_BYTES -
      (previous === undefined ? 0 : previous.length - BLOCK_RECORD_HEADER_BYTES);
    this.records.set(blockId, record);
  }

  private deleteSync(blockId: string): boolean {
    const record = this.records.get(blockId);
    if (record === undefined) return false;
    this.records.delete(blockId);
    this.usedBytes -= record.length - BLOCK_RECORD_HEADER_BYTES;
    return true;
  }
}
