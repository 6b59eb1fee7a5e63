import type { BlockId } from '../blocks/block-chain.js';

/**
 * The port every KV tier's byte storage implements (dram, cxl, optical-pool, disk in
 * apps/kv-pool; MemoryTierStore here as the in-memory fake). All of them pass
 * `runTierStoreContract` from `@oicf/kv/testing`.
 *
 * Contract:
 * - Bytes round-trip exactly. put copies its input; get returns bytes the caller owns.
 * - A miss is a value ({ kind: 'miss' }), never an exception.
 * - A corrupt or wrong block is a miss ('corrupt'), never wrong bytes: every read checks the
 *   record's block id, length and XXH32 checksum; a failed block is deleted and counted.
 * - Capacity counts payload bytes (headers excluded); a put that would exceed it is refused
 *   with a value and changes nothing. Re-putting an id replaces the block.
 * - A malformed block id is a programming error at this layer: the call rejects with
 *   KvError INVALID_ARGUMENT (the service edge validates ids before they get here).
 */

export type GetResult =
  | { readonly kind: 'hit'; readonly bytes: Uint8Array }
  | { readonly kind: 'miss'; readonly reason: 'absent' | 'corrupt' };

export type PutResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'capacity';
      /** Says how many bytes were asked for and how many are free. */
      readonly message: string;
    };

export interface PutOptions {
  /**
   * XXH32 of `bytes` when the caller has already verified it (e.g. on receipt), saving a
   * pass. A wrong value only makes the block unreadable (a miss), never wrong bytes.
   */
  readonly knownChecksum?: number;
}

export interface TierStoreStats {
  readonly numBlocks: number;
  /** Payload bytes held. */
  readonly usedBytes: number;
  readonly capacityBytes: number;
  /** Reads that failed verification since the store was opened. */
  readonly numChecksumFailures: number;
}

export interface TierStore {
  /** Tier name, e.g. 'dram'. */
  readonly name: string;
  readonly capacityBytes: number;
  put(blockId: BlockId, bytes: Uint8Array, options?: PutOptions): Promise<PutResult>;
  get(blockId: BlockId): Promise<GetResult>;
  has(blockId: BlockId): Promise<boolean>;
  /** True when a block was deleted, false when there was none. */
  delete(blockId: BlockId): Promise<boolean>;
  /** Ids of every stored block, in no particular order. */
  list(): Promise<BlockId[]>;
  stats(): Promise<TierStoreStats>;
  /** Releases resources; the store is unusable afterwards. */
  close(): Promise<void>;
}
