import { decodeBlockRecordHeader, type GetResult, MemoryTierStore, requireBlockId } from '@oicf/kv';

/**
 * The byte store behind the pool's memory tiers (dram, and cxl / optical-pool under their pacers):
 * a MemoryTierStore whose reads check the block record header (magic, version, header XXH32, block
 * id, payload length) but do not hash the payload again.
 *
 * Why that is enough here: a payload reaches a memory tier only after its XXH32 was verified (on
 * receipt by `KvPool.put`, or by the disk read it was promoted from), and it never leaves this
 * process's memory. The checksum recorded at put goes out with every `kv.block` and the client
 * verifies it, so a payload damaged in memory is still never accepted: it is caught end to end (and
 * on the next disk read if it was demoted) rather than here. Skipping the pass saves one full read of
 * every block served, the largest per-byte cost of a get after the socket write.
 *
 * This relaxes the TierStore contract's "every read checks the XXH32 checksum" for payload damage
 * only; a wrong or damaged header is still a counted miss and the block is dropped (the base class
 * does that). Disk keeps verifying everything, since its bytes come back from a device.
 */
export class TrustedMemoryTierStore extends MemoryTierStore {
  /** Bytes live only in this process's memory: no other process can change them (see holdsBytesPrivately). */
  readonly privateMemory = true;

  override getSync(blockId: string): GetResult {
    requireBlockId(blockId, 'blockId');
    const record = this.rawRecord(blockId);
    if (record === undefined) return { kind: 'miss', reason: 'absent' };
    const header = decodeBlockRecordHeader(record.header);
    if (typeof header === 'string' || header.blockId !== blockId || header.numPayloadBytes !== record.payload.length) {
      return super.getSync(blockId); // fails the full check: counted, dropped, a miss
    }
    return { kind: 'hit', bytes: record.payload, checksum: header.checksum };
  }
}

/**
 * True when `store` keeps its bytes in this process's own memory (a TrustedMemoryTierStore, under a pacer or
 * not): bytes the pool verified when they entered it cannot change there. Disk (bytes at rest) and the
 * shared-memory arena (writable by every same-host member) are not.
 */
export function holdsBytesPrivately(store: object): boolean {
  return (store as { privateMemory?: unknown }).privateMemory === true;
}
