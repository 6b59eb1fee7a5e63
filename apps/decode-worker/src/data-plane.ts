import type { LocalBlockCache } from '@oicf/kv';
import { blockToWire } from '@oicf/pool-client/wire';
import { type Frame, OicfError, type WsConnection } from '@oicf/transport';
import type { WorkerMetrics } from '@oicf/worker';
import type { HandoffStore } from './handoff-store.js';

/**
 * The decode worker's WebSocket data plane:
 *   kv.handoff … (last) → kv.handoff.ack     KV pushed by prefill workers (an `error` frame on a bad block)
 *   kv.get → kv.block … → kv.get.done        blocks served from the local block cache to other workers
 * The handoff frame is checked and stored before the handler's first await, so frames of one
 * request are handled in arrival order.
 */
export function dataPlaneHandler(deps: { handoffs: HandoffStore; cache: LocalBlockCache; wm: WorkerMetrics }) {
  return async (frame: Frame, conn: WsConnection): Promise<void> => {
    if (frame.kind === 'kv.handoff') {
      const reply = deps.handoffs.receive(frame.body);
      if (reply.kind === 'ack') await conn.send('kv.handoff.ack', frame.id, reply.ack);
      else if (reply.kind === 'error') await conn.sendError(frame.id, reply.error);
      return;
    }
    if (frame.kind === 'kv.get') {
      const missing: string[] = [];
      let numBytes = 0;
      let numBlocks = 0;
      for (const id of frame.body.blockIds) {
        const b = deps.cache.peek(id);
        if (b === undefined) {
          missing.push(id);
          continue;
        }
        await conn.send(
          'kv.block',
          frame.id,
          blockToWire({ blockId: id, checksum: b.checksum, payload: b.payload, numTokens: b.numTokens, tier: 'hbm' }),
        );
        numBytes += b.payload.byteLength;
        numBlocks++;
      }
      deps.wm.kvSent.inc({ link: 'worker->worker' }, numBytes);
      await conn.send('kv.get.done', frame.id, {
        numBlocksSent: numBlocks,
        numBytesSent: numBytes,
        missingBlockIds: missing,
      });
      return;
    }
    throw new OicfError(
      'UNIMPLEMENTED',
      `a decode worker's data plane takes kv.handoff and kv.get frames, not ${frame.kind}`,
    );
  };
}
