import type { BlockId } from '../blocks/block-chain.js';
import type { BlockMeta } from './block-record.js';

/**
 * The port every KV tier's byte storage implements (one adapter per store kind in apps/kv-pool,
 * the kinds `@oicf/core` tier entries name; MemoryTierStore here as the in-memory fake). All of them pass
 * `runTierStoreContract` from `@oicf/kv/testing`.
 *
 * Contract:
 * - Bytes round-trip exactly. put copies its input (the caller may reuse its buffer). get may
 *   return a view of the stored bytes (no copy on the hot path): callers treat it as read-only;
 *   a write through it is caught by the checksum on the next read and never served.
 * - A miss is a value ({ kind: 'miss' }), never an exception.
 * - A corrupt or wrong block is a miss ('corrupt'), never wrong bytes: every read checks the
 *   record's block id, length and XXH32 checksum; a failed block is deleted and counted.
 * - The meta given to put comes back from list (a pool rebuilds its index from it).
 * - Capacity counts payload bytes (headers excluded); a put that would exceed it is refused
 *   with a value and changes nothing. Re-putting an id replaces the block.
 * - A malformed block id is a programming error at this layer: the call rejects with
 *   KvError INVALID_ARGUMENT (the service edge validates ids before they get here).
 */

export type GetResult =
  | {
      readonly kind: 'hit';
      readonly bytes: Uint8Array;
      /** XXH32 of `bytes`, as verified by the read (so senders need not recompute it). */
      readonly checksum: number;
    }
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
  /**
   * The caller hands `bytes` over and will never write to it again (e.g. a payload view into a
   * received frame): a memory store may keep it without copying. Default false (copy).
   */
  readonly adopt?: boolean;
  /** Chain position, parent and token count, kept with the block (default NO_META). */
  readonly meta?: BlockMeta;
}

/** One stored block as `list` reports it. */
export interface StoredBlockInfo {
  readonly blockId: BlockId;
  /** Payload bytes. */
  readonly numBytes: number;
  readonly meta: BlockMeta;
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
  /** Tier name: a tier id of `@oicf/core` (hardware/tiers.ts). */
  readonly name: string;
  readonly capacityBytes: number;
  put(blockId: BlockId, bytes: Uint8Array, options?: PutOptions): Promise<PutResult>;
  get(blockId: BlockId): Promise<GetResult>;
  has(blockId: BlockId): Promise<boolean>;
  /** True when a block was deleted, false when there was none. */
  delete(blockId: BlockId): Promise<boolean>;
  /** Every stored block with its size and meta, in no particular order (how a pool rebuilds its index). */
  list(): Promise<StoredBlockInfo[]>;
  stats(): Promise<TierStoreStats>;
  /** Releases resources; the store is unusable afterwards. */
  close(): Promise<void>;
}
