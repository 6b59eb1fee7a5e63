import type { PoolTierId } from '@oicf/core';
import type { OicfError } from '@oicf/transport';
import type { LocatedBlock } from '../stores/shm-arena-store.js';

/**
 * A put whose bytes a same-host writer already placed in an arena slot (kv.put.alloc → kv.put with an
 * extent) instead of sending them in the frame. The pool verifies them from the slot, and the slot
 * becomes the block's storage when the block is placed in the arena; otherwise they are copied to the
 * tier that takes the block and the slot is freed. Either way the caller gives up the slot.
 */
export interface SlotPayload {
  readonly extent: { readonly offset: number; readonly length: number };
  readonly numBytes: number;
}

/** One item of a get stream. */
export type GetItem =
  | {
      kind: 'block';
      blockId: string;
      payload: Uint8Array;
      checksum: number;
      numTokens: number;
      tier: PoolTierId;
      /** The writer's keyed digest, checked against these bytes before they are served (block-digests.ts). */
      digest?: Uint8Array;
    }
  | {
      kind: 'extent';
      blockId: string;
      /** Where a same-host reader copies the block from; pinned until `located.release()`. */
      located: LocatedBlock;
      numTokens: number;
      tier: PoolTierId;
      /**
       * The writer's keyed digest: the pool does not read extent bytes, so the reader checks its copy against
       * it (the arena is writable by every same-host member; shm-block-channel.ts).
       */
      digest?: Uint8Array;
    }
  | { kind: 'missing'; blockId: string }
  | { kind: 'error'; blockId: string; error: OicfError };
