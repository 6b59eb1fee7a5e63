import { type Extent, ShmPeers } from '@oicf/pool-client';
import { blockToWire, putAckToWire, putFromWire } from '@oicf/pool-client/wire';
import { type FrameHandler, OicfError, toErrorDetail } from '@oicf/transport';
import type { KvPool } from '../pool/kv-pool.js';
import { ShmSessions, SLOT_TTL_SECONDS, SPARE_SLOT_TTL_SECONDS } from './shm-sessions.js';

/** Bytes moved per data path, for metrics. */
export type PathCounter = (path: 'shm' | 'ws', direction: 'in' | 'out', numBytes: number) => void;

/**
 * The WebSocket data plane: `kv.put` → `kv.put.ack`; `kv.get` → one `kv.block` (or `kv.error`)
 * per present block, in order, then `kv.get.done` listing the missing ids. Every send awaits the
 * transport's backpressure, and blocks are read one at a time, so a slow reader holds the pool
 * to about one high-water mark of buffered bytes per connection. A thrown OicfError becomes an
 * `error` frame for that request only; the connection and other requests go on. Bodies are decoded
 * to and encoded from the pool's domain types here (@oicf/pool-client/wire).
 *
 * Same host (shared memory, when the pool keeps its dram tier in an arena): `kv.hello` → `kv.hello.ack`
 * announcing the arena; `kv.put.alloc` → `kv.put.slot`; a `kv.put` naming its slot commits it; a `kv.get`
 * with `wantShm` answers arena blocks as extents pinned under a read lease (named by the get's frame id)
 * until `kv.get.release`, the connection's close or the lease TTL (see shm-sessions.ts).
 */
export function dataPlaneHandler(
  pool: KvPool,
  options: { shm?: boolean; count?: PathCounter; maxBlockBytes?: number } = {},
): FrameHandler {
  const arena = options.shm === false ? undefined : pool.arena();
  const peers = new ShmPeers({
    enabled: arena !== undefined,
    own: () => (arena === undefined ? [] : [arena.descriptor()]),
    // Workers offer their handoff staging on every connection; the pool opens it to check it, never reads it.
    mapSegments: false,
  });
  const sessions = arena === undefined ? undefined : new ShmSessions(arena, peers);
  const count: PathCounter = options.count ?? (() => {});
  const needSessions = () => {
    if (sessions === undefined) {
      throw new OicfError('FAILED_PRECONDITION', 'this kv-pool keeps no shared-memory arena: send bytes inline', {
        field: 'kind',
      });
    }
    return sessions;
  };
  return async (frame, connection) => {
    if (frame.kind === 'kv.put') {
      const put = putFromWire(frame.body);
      if (frame.body.shm === null) {
        const ack = await pool.put(put);
        count('ws', 'in', put.payload.byteLength);
        await connection.send('kv.put.ack', frame.id, putAckToWire(ack));
        return;
      }
      const shm = needSessions();
      const extent = shm.claim(connection, frame.body.shm);
      const ack = await pool.put(put, { extent, numBytes: frame.body.shm.length });
      count('shm', 'in', frame.body.shm.length);
      // The writer's next slot, when asked for (one round trip per put; none when the arena has no room).
      const wanted = frame.body.nextSlotBytes;
      const next =
        wanted > 0 && wanted <= (options.maxBlockBytes ?? Number.POSITIVE_INFINITY)
          ? shm.allocateSpare(connection, wanted)
          : undefined;
      await connection.send('kv.put.ack', frame.id, {
        ...putAckToWire(ack),
        ...(next === undefined ? {} : { nextSlot: slotToWire(shm, next, wanted, SPARE_SLOT_TTL_SECONDS) }),
      });
      return;
    }
    if (frame.kind === 'kv.get') {
      let numBlocksSent = 0;
      let numBytesSent = 0;
      const missingBlockIds: string[] = [];
      const extents =
        frame.body.wantShm &&
        sessions !== undefined &&
        peers.of(connection) !== undefined &&
        sessions.canLease(connection);
      let readLeaseId = '';
      sessions?.sweep();
      for await (const item of pool.get(frame.body.blockIds, frame.body.leaseId, { extents })) {
        if (connection.signal.aborted) {
          if (item.kind === 'extent') item.located.release();
          return;
        }
        if (item.kind === 'extent') {
          sessions?.hold(connection, frame.id, item.located);
          readLeaseId = frame.id;
          const { segmentId, offset, numBytes } = item.located;
          await connection.send('kv.block', frame.id, {
            ...blockToWire({ ...item, payload: EMPTY, checksum: item.located.checksum }),
            shm: { segmentId, offset, length: numBytes },
          });
          count('shm', 'out', numBytes);
          numBlocksSent++;
          numBytesSent += numBytes;
        } else if (item.kind === 'block') {
          await connection.send('kv.block', frame.id, blockToWire(item));
          count('ws', 'out', item.payload.length);
          numBlocksSent++;
          numBytesSent += item.payload.length;
        } else if (item.kind === 'missing') {
          missingBlockIds.push(item.blockId);
        } else {
          await connection.send('kv.error', frame.id, { error: toErrorDetail(item.error), blockId: item.blockId });
        }
      }
      await connection.send('kv.get.done', frame.id, { numBlocksSent, numBytesSent, missingBlockIds, readLeaseId });
      return;
    }
    if (frame.kind === 'kv.hello') {
      await connection.send('kv.hello.ack', frame.id, peers.answerHello(frame.body, connection));
      return;
    }
    if (frame.kind === 'kv.put.alloc') {
      if (frame.body.numBytes > (options.maxBlockBytes ?? Number.POSITIVE_INFINITY)) {
        throw new OicfError(
          'INVALID_ARGUMENT',
          `body.numBytes ${frame.body.numBytes} exceeds the pool's largest block (${options.maxBlockBytes} bytes)`,
          { field: 'body.numBytes' },
        );
      }
      const shm = needSessions();
      const extent = shm.allocate(connection, frame.body.numBytes);
      await connection.send('kv.put.slot', frame.id, slotToWire(shm, extent, frame.body.numBytes, SLOT_TTL_SECONDS));
      return;
    }
    if (frame.kind === 'kv.put.unslot') {
      sessions?.unslot(connection, frame.body.extents);
      return;
    }
    if (frame.kind === 'kv.get.release') {
      sessions?.release(connection, frame.body.readLeaseId);
      return;
    }
    throw new OicfError(
      'UNKNOWN_KIND',
      `the kv-pool does not serve ${frame.kind} frames: send kv.put, kv.get, kv.hello, kv.put.alloc, kv.put.unslot or kv.get.release`,
      { field: 'kind' },
    );
  };
}

const EMPTY = Buffer.alloc(0);

/** A slot as a KvPutSlot body: `numBytes` of the arena extent, and how long it stays the writer's. */
function slotToWire(sessions: ShmSessions, extent: Extent, numBytes: number, ttlSeconds: number) {
  return {
    extent: { segmentId: sessions.arena.segment.segmentId, offset: extent.offset, length: numBytes },
    ttlSeconds,
  };
}
