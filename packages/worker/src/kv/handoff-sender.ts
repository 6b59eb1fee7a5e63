import type { Extent, ShmLinks, ShmStaging } from '@oicf/pool-client';
import type { KvHandoffAck__Output } from '@oicf/proto';
import type { WsClient } from '@oicf/transport';
import type { KvBlockPayload } from './block-codec.js';
import { MAX_HANDOFF_BATCH_BLOCKS } from './handoff-batch.js';

/** Same-host handoffs: the links (one handshake per decode worker) and the staging segment they read. */
export interface HandoffShm {
  readonly links: ShmLinks;
  readonly staging: ShmStaging;
  /** Payload bytes pushed, by path. */
  readonly count?: (path: 'shm' | 'ws', numBytes: number) => void;
}

/**
 * Pushes a request's KV to a decode worker: `kv.handoff` frames in token order under the request id
 * (the trailing partial block has block id ''), `last` on the final one, then awaits the
 * `kv.handoff.ack` the receiver sends once every frame arrived and verified. Sends wait on the
 * connection's backpressure (high-water mark), so memory stays bounded however slow the receiver.
 * Rejects with the receiver's error (e.g. CHECKSUM_MISMATCH) or UNAVAILABLE / DEADLINE_EXCEEDED.
 *
 * With `shm` and a same-host decode worker, each block is copied into this process's staging segment and
 * a frame carries extents instead of the bytes: one frame per batch of staged blocks (1, 2, 4, … up to
 * MAX_HANDOFF_BATCH_BLOCKS), each block with its own checksum; the receiver copies each out and verifies it before
 * it answers. Every extent is freed when the call settles (ack, refusal, timeout, lost connection); a frame
 * the receiver reads after that fails its checksum and is refused, never used.
 */
export async function sendHandoff(
  client: WsClient,
  requestId: string,
  blocks: readonly KvBlockPayload[],
  options: { timeoutSeconds?: number; signal?: AbortSignal; shm?: HandoffShm } = {},
): Promise<KvHandoffAck__Output> {
  if (blocks.length === 0) throw new RangeError(`handoff ${requestId}: no blocks to send`);
  const shm = options.shm;
  const link = shm === undefined ? undefined : await shm.links.of(client);
  const staged: Extent[] = [];
  const call = client.call({
    id: requestId,
    ...(options.timeoutSeconds !== undefined ? { timeoutSeconds: options.timeoutSeconds } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  const result = call.result('kv.handoff.ack');
  result.catch(() => {}); // observed below; an early error must not go unhandled while we send
  try {
    const lastIndex = blocks.length - 1;
    // Staged blocks of the frame being built, and how many the next frame takes: 1, 2, 4, … up to the maximum, so
    // the receiver starts on the first block at once and then gets fewer, larger frames while the sender stages on.
    let batch: { block: KvBlockPayload; offset: number }[] = [];
    let batchBlocks = 1;
    const flush = async (segmentId: number, last: boolean) => {
      const [head, ...rest] = batch;
      batch = [];
      if (head === undefined) return;
      await call.send('kv.handoff', {
        ...frameFields(requestId, head.block, last),
        payload: EMPTY,
        shm: { segmentId, offset: head.offset, length: head.block.payload.byteLength },
        batch: rest.map(({ block, offset }) => ({
          blockId: block.blockId,
          firstToken: block.firstToken,
          numTokens: block.numTokens,
          checksum: block.checksum,
          shm: { segmentId, offset, length: block.payload.byteLength },
        })),
      });
    };
    for (let i = 0; i <= lastIndex; i++) {
      const b = blocks[i] as KvBlockPayload;
      const segment = link?.mode === 'shm' ? shm?.staging.owned() : undefined;
      const extent = segment === undefined ? undefined : shm?.staging.put(b.payload);
      shm?.count?.(extent === undefined ? 'ws' : 'shm', b.payload.byteLength);
      if (extent !== undefined && segment !== undefined) {
        staged.push(extent);
        batch.push({ block: b, offset: extent.offset });
        if (batch.length >= batchBlocks || i === lastIndex) {
          await flush(segment.segmentId, i === lastIndex);
          batchBlocks = Math.min(2 * batchBlocks, MAX_HANDOFF_BATCH_BLOCKS);
        }
        continue;
      }
      // Not staged (no link, or the segment is full): what is staged goes first, then this block inline.
      if (segment !== undefined) await flush(segment.segmentId, false);
      await call.send('kv.handoff', { ...frameFields(requestId, b, i === lastIndex), payload: b.payload });
    }
    return (await result).body;
  } finally {
    for (const e of staged) shm?.staging.free(e);
  }
}

function frameFields(requestId: string, b: KvBlockPayload, last: boolean) {
  return {
    requestId,
    blockId: b.blockId,
    firstToken: b.firstToken,
    numTokens: b.numTokens,
    checksum: b.checksum,
    last,
  };
}

const EMPTY = Buffer.alloc(0);
