import type { Extent, ShmLinks, ShmStaging } from '@oicf/pool-client';
import type { KvHandoffAck__Output } from '@oicf/proto';
import type { WsClient } from '@oicf/transport';
import type { KvBlockPayload } from './block-codec.js';

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
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i] as KvBlockPayload;
      const segment = link?.mode === 'shm' ? shm?.staging.owned() : undefined;
      const extent = segment === undefined ? undefined : shm?.staging.put(b.payload);
      if (extent !== undefined) staged.push(extent);
      shm?.count?.(extent === undefined ? 'ws' : 'shm', b.payload.byteLength);
      await call.send('kv.handoff', {
        requestId,
        blockId: b.blockId,
        firstToken: b.firstToken,
        numTokens: b.numTokens,
        checksum: b.checksum,
        payload: extent === undefined ? b.payload : EMPTY,
        last: i === blocks.length - 1,
        ...(extent === undefined || segment === undefined
          ? {}
          : { shm: { segmentId: segment.segmentId, offset: extent.offset, length: b.payload.byteLength } }),
      });
    }
    return (await result).body;
  } finally {
    for (const e of staged) shm?.staging.free(e);
  }
}

const EMPTY = Buffer.alloc(0);
