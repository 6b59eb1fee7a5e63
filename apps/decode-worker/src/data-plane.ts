import type { LocalBlockCache } from '@oicf/kv';
import type { ShmPeers } from '@oicf/pool-client';
import { blockToWire } from '@oicf/pool-client/wire';
import { type Frame, OicfError, type WsConnection } from '@oicf/transport';
import type { WorkerMetrics } from '@oicf/worker';
import type { ExtentReader, HandoffStore } from './handoff-store.js';

/**
 * The decode worker's WebSocket data plane:
 *   kv.handoff … (last) → kv.handoff.ack     KV pushed by prefill workers (an `error` frame on a bad block)
 *   kv.get → kv.block … → kv.get.done        blocks served from the local block cache to other workers
 *   kv.hello → kv.hello.ack                  a same-host prefill worker offers its staging segment; later
 *                                            kv.handoff frames name extents of it instead of carrying bytes
 * The handoff frame is checked and stored (bytes copied out of the sender's segment included) before the
 * handler's first await, so frames of one request are handled in arrival order.
 */
export function dataPlaneHandler(deps: {
  handoffs: HandoffStore;
  cache: LocalBlockCache;
  wm: WorkerMetrics;
  shm: ShmPeers;
  /** Payload bytes received per path. */
  count?: (path: 'shm' | 'ws', numBytes: number) => void;
  /** Measured seconds one kv.handoff frame's synchronous receipt took (check, copy, verify). */
  onReceiveSeconds?: (seconds: number) => void;
}) {
  return async (frame: Frame, conn: WsConnection): Promise<void> => {
    if (frame.kind === 'kv.handoff') {
      const peer = deps.shm.of(conn);
      const readExtent: ExtentReader | undefined =
        peer === undefined
          ? undefined
          : (into, extent) => {
              const segment = peer.segments.get(extent.segmentId);
              if (segment === undefined) {
                throw new OicfError(
                  'INVALID_ARGUMENT',
                  `kv.handoff names segment ${extent.segmentId}, which this connection never announced`,
                  { field: 'body.shm' },
                );
              }
              return segment.readHashed(into, extent.offset);
            };
      const t0 = performance.now();
      const reply = deps.handoffs.receive(frame.body, readExtent);
      deps.onReceiveSeconds?.((performance.now() - t0) / 1000);
      deps.count?.(
        frame.body.shm === null ? 'ws' : 'shm',
        frame.body.shm === null ? frame.body.payload.byteLength : frame.body.shm.length,
      );
      if (reply.kind === 'ack') await conn.send('kv.handoff.ack', frame.id, reply.ack);
      else if (reply.kind === 'error') await conn.sendError(frame.id, reply.error);
      return;
    }
    if (frame.kind === 'kv.hello') {
      await conn.send('kv.hello.ack', frame.id, deps.shm.answerHello(frame.body, conn));
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
