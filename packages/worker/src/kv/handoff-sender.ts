import type { Extent, ShmLinks, ShmStaging } from '@oicf/pool-client';
import type { KvHandoffAck__Output } from '@oicf/proto';
import type { WsClient } from '@oicf/transport';
import type { KvBlockPayload } from './block-codec.js';

/** Same-host handoffs: the links (one handshake per decode worker) and the staging segment they read. */
export interface HandoffShm {
  readonly links: ShmLinks;
  readonly staging: ShmStaging;
  /** The longest run of blocks staged in one extent and sent in one frame, in bytes (default 1 MiB; 0: one block per frame). */
  readonly maxRunBytes?: number;
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
 * the frame carries its extent instead of the bytes; the receiver copies it out and verifies it before it
 * answers. Every extent is freed when the call settles (ack, refusal, timeout, lost connection); a frame
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
    const runBytes =
      link?.mode === 'shm' ? Math.min(link.maxRunBytes, shm?.maxRunBytes ?? DEFAULT_MAX_RUN_BYTES) : 0;
    for (let i = 0, frame = 0; i < blocks.length; frame++) {
      const b = blocks[i] as KvBlockPayload;
      // Runs grow 1, 2, 4… blocks: the receiver starts on the first block as soon as it is staged.
      const limit = Math.min(runBytes, b.payload.byteLength * 2 ** Math.min(frame, 20));
      const segment = link?.mode === 'shm' ? shm?.staging.owned() : undefined;
      // A run: this block and the next ones while they fit in runBytes (at least one block per frame).
      let end = i + 1;
      let numBytes = b.payload.byteLength;
      while (end < blocks.length && numBytes + (blocks[end] as KvBlockPayload).payload.byteLength <= limit) {
        numBytes += (blocks[end] as KvBlockPayload).payload.byteLength;
        end++;
      }
      const run = blocks.slice(i, end);
      const extent =
        segment === undefined
          ? undefined
          : run.length === 1
            ? shm?.staging.put(b.payload)
            : shm?.staging.putRun(run.map((x) => x.payload));
      if (extent === undefined) {
        end = i + 1; // inline bytes: one block per frame, as to any receiver
        numBytes = b.payload.byteLength;
      } else staged.push(extent);
      shm?.count?.(extent === undefined ? 'ws' : 'shm', numBytes);
      await call.send('kv.handoff', {
        requestId,
        blockId: b.blockId,
        firstToken: b.firstToken,
        numTokens: b.numTokens,
        checksum: b.checksum,
        payload: extent === undefined ? b.payload : EMPTY,
        last: end === blocks.length,
        ...(extent === undefined || segment === undefined
          ? {}
          : {
              shm: { segmentId: segment.segmentId, offset: extent.offset, length: numBytes },
              moreBlocks: blocks
                .slice(i + 1, end)
                .map((x) => ({ blockId: x.blockId, numTokens: x.numTokens, checksum: x.checksum })),
            }),
      });
      i = end;
    }
    return (await result).body;
  } finally {
    for (const e of staged) shm?.staging.free(e);
  }
}

const EMPTY = Buffer.alloc(0);
/**
 * 1 MiB: four 256 KiB blocks per frame take ¾ of the per-frame work (WebSocket message, msgpack, body check,
 * handler) off both sides, and a 32-block request still goes out in 8 frames, so the receiver's copy of one
 * run overlaps the sender's staging of the next (handoff-r4-multiblock.md).
 */
export const DEFAULT_MAX_RUN_BYTES = 2 ** 20;
