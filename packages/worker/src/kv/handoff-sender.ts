import type { KvHandoffAck__Output } from '@oicf/proto';
import type { WsClient } from '@oicf/transport';
import type { KvBlockPayload } from './block-codec.js';

/**
 * Pushes a request's KV to a decode worker: `kv.handoff` frames in token order under the request id
 * (the trailing partial block has block id ''), `last` on the final one, then awaits the
 * `kv.handoff.ack` the receiver sends once every frame arrived and verified. Sends wait on the
 * connection's backpressure (high-water mark), so memory stays bounded however slow the receiver.
 * Rejects with the receiver's error (e.g. CHECKSUM_MISMATCH) or UNAVAILABLE / DEADLINE_EXCEEDED.
 */
export async function sendHandoff(
  client: WsClient,
  requestId: string,
  blocks: readonly KvBlockPayload[],
  options: { timeoutSeconds?: number; signal?: AbortSignal } = {},
): Promise<KvHandoffAck__Output> {
  if (blocks.length === 0) throw new RangeError(`handoff ${requestId}: no blocks to send`);
  const call = client.call({
    id: requestId,
    ...(options.timeoutSeconds !== undefined ? { timeoutSeconds: options.timeoutSeconds } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  const result = call.result('kv.handoff.ack');
  result.catch(() => {}); // observed below; an early error must not go unhandled while we send
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i] as KvBlockPayload;
    await call.send('kv.handoff', {
      requestId,
      blockId: b.blockId,
      firstToken: b.firstToken,
      numTokens: b.numTokens,
      checksum: b.checksum,
      payload: b.payload,
      last: i === blocks.length - 1,
    });
  }
  return (await result).body;
}
