import type { KvHandoff__Output, ShmExtent__Output } from '@oicf/proto';
import { OicfError } from '@oicf/transport';

/**
 * Most blocks one kv.handoff frame may carry (the block in its own fields plus `batch`). The receiver refuses a
 * frame with more, so what one frame makes it read and hold is bounded. 32 blocks of 256 KiB = one 8 MiB handoff.
 */
export const MAX_HANDOFF_BATCH_BLOCKS = 32;

/** One block of a kv.handoff frame: its token range, checksum, and bytes (inline) or extent (same host). */
export interface HandoffBlockRef {
  readonly blockId: string;
  readonly firstToken: number;
  readonly numTokens: number;
  readonly checksum: number;
  /** Inline bytes (empty when `shm` is set). */
  readonly payload: Uint8Array;
  readonly shm: ShmExtent__Output | null;
  /** The field path of this block in the frame, for errors: `body` or `body.batch[i]`. */
  readonly field: string;
}

const EMPTY = new Uint8Array(0);

/**
 * The blocks of a kv.handoff frame in order: the block in its own fields, then each of `batch`. Throws
 * INVALID_ARGUMENT (naming the field) for more than `maxBlocks` blocks, a batch on a frame without an extent
 * (a batch is same-host only), or a batched block without its extent.
 */
export function handoffFrameBlocks(
  body: KvHandoff__Output,
  maxBlocks: number = MAX_HANDOFF_BATCH_BLOCKS,
): HandoffBlockRef[] {
  const first: HandoffBlockRef = {
    blockId: body.blockId,
    firstToken: body.firstToken,
    numTokens: body.numTokens,
    checksum: body.checksum,
    payload: body.payload,
    shm: body.shm,
    field: 'body',
  };
  const batch = body.batch;
  if (batch.length === 0) return [first];
  if (batch.length + 1 > maxBlocks) {
    throw new OicfError(
      'INVALID_ARGUMENT',
      `kv.handoff for ${body.requestId} carries ${batch.length + 1} blocks; a frame may carry at most ${maxBlocks}`,
      { field: 'body.batch' },
    );
  }
  if (body.shm === null) {
    throw new OicfError(
      'INVALID_ARGUMENT',
      `kv.handoff for ${body.requestId} has a batch but no extent: only same-host frames (body.shm set) may batch blocks`,
      { field: 'body.batch' },
    );
  }
  const blocks = [first];
  for (let i = 0; i < batch.length; i++) {
    const b = batch[i] as (typeof batch)[number];
    const field = `body.batch[${i}]`;
    if (b.shm === null) {
      throw new OicfError('INVALID_ARGUMENT', `kv.handoff for ${body.requestId}: ${field} has no extent (shm)`, {
        field: `${field}.shm`,
      });
    }
    const { blockId, firstToken, numTokens, checksum, shm } = b;
    blocks.push({ blockId, firstToken, numTokens, checksum, payload: EMPTY, shm, field });
  }
  return blocks;
}
