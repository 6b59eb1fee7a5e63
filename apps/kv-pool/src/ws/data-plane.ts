import { blockToWire, putAckToWire, putFromWire } from '@oicf/pool-client/wire';
import { type FrameHandler, OicfError, toErrorDetail } from '@oicf/transport';
import type { KvPool } from '../pool/kv-pool.js';

/**
 * The WebSocket data plane: `kv.put` → `kv.put.ack`; `kv.get` → one `kv.block` (or `kv.error`)
 * per present block, in order, then `kv.get.done` listing the missing ids. Every send awaits the
 * transport's backpressure, and blocks are read one at a time, so a slow reader holds the pool
 * to about one high-water mark of buffered bytes per connection. A thrown OicfError becomes an
 * `error` frame for that request only; the connection and other requests go on. Bodies are decoded
 * to and encoded from the pool's domain types here (@oicf/pool-client/wire).
 */
export function dataPlaneHandler(pool: KvPool): FrameHandler {
  return async (frame, connection) => {
    if (frame.kind === 'kv.put') {
      const ack = await pool.put(putFromWire(frame.body));
      await connection.send('kv.put.ack', frame.id, putAckToWire(ack));
      return;
    }
    if (frame.kind === 'kv.get') {
      let numBlocksSent = 0;
      let numBytesSent = 0;
      const missingBlockIds: string[] = [];
      for await (const item of pool.get(frame.body.blockIds, frame.body.leaseId)) {
        if (connection.signal.aborted) return;
        if (item.kind === 'block') {
          await connection.send('kv.block', frame.id, blockToWire(item));
          numBlocksSent++;
          numBytesSent += item.payload.length;
        } else if (item.kind === 'missing') {
          missingBlockIds.push(item.blockId);
        } else {
          await connection.send('kv.error', frame.id, { error: toErrorDetail(item.error), blockId: item.blockId });
        }
      }
      await connection.send('kv.get.done', frame.id, { numBlocksSent, numBytesSent, missingBlockIds });
      return;
    }
    throw new OicfError('UNKNOWN_KIND', `the kv-pool does not serve ${frame.kind} frames: send kv.put or kv.get`, {
      field: 'kind',
    });
  };
}
