// The shared-memory block channel: the BlockChannel port over a WebSocket connection whose handshake
// established a same-host link (shm-link.ts). Frames carry descriptors; bytes move through the kv-pool's
// arena segment with one copy per side:
//
//   put:  kv.put.alloc {id, bytes} ──▶ pool reserves an arena extent ──▶ kv.put.slot {extent}
//         client pwrite(payload → arena extent); kv.put {…, checksum, digest, shm: extent} ──▶ pool
//         reads the extent back once, verifies XXH32 and the keyed digest on that copy, adopts the extent as the
//         block's storage ──▶ kv.put.ack
//         While the writer's puts overlap, each kv.put also asks for the slot of its next put (next_slot_bytes) and
//         the ack carries it (next_slot): the next put skips kv.put.alloc, one round trip instead of two; the
//         spares left when the writer goes idle are given back (kv.put.unslot; spare-slots.ts)
//   get:  kv.get {ids, wantShm} ──▶ pool pins each block's extent under a read lease named by the get's id
//         ◀── kv.block {id, checksum, shm: extent} … kv.get.done {readLeaseId}
//         client pread(arena extent → the caller's target (get's `into`), else a fresh buffer), checks the copy against the writer's keyed digest (with the block key; the
//         block is then marked digestVerified and fetch-blocks.ts skips its XXH32 pass, which the digest covers),
//         or else fetch-blocks.ts checks XXH32 as for any block; kv.get.release {readLeaseId} unpins (also sent
//         when the reader stops early)
//
// The copies are synchronous: on libuv's thread pool (fs.read / fs.write) they overlapped the event loop but
// cost more CPU in all (tmpfs, 256 KiB, 32 in flight: 0.38 ns/B per write and 0.25 per read against 0.21 and
// 0.17 on the event loop), and on a host whose cores are busy (the pool, the other workers) CPU is what runs out.
// A block the pool keeps outside its arena (disk, paced tiers) still comes inline in its kv.block frame.
// When the link is not 'shm', or the arena is full, the same calls go over byte frames (wsBlockChannel).
import {
  type CallOptions,
  type FrameBody,
  fromErrorDetail,
  OicfError,
  toOicfError,
  type WsClient,
  type WsClientPool,
} from '@oicf/transport';
import { blockSigner, digestMatches } from '../../api/block-digest.js';
import type { GetEvent, PutAck, PutRequest } from '../../api/pool-api.js';
import { putAckFromWire, putToWire, tierFromWire } from '../../wire/pool-wire.js';
import { type BlockCallOptions, type BlockChannel, type BlockChannels, wsBlockChannel } from '../block-channel.js';
import { targetFor } from '../block-targets.js';
import type { ShmLink, ShmLinks } from './shm-link.js';
import { type SlotExtent, SpareSlots } from './spare-slots.js';

/** Counts payload bytes by the path they took: through shared memory or inside WebSocket frames. */
export type TransferCounter = (path: 'shm' | 'ws', direction: 'sent' | 'received', numBytes: number) => void;

function callOptions(options: BlockCallOptions = {}): CallOptions {
  return {
    ...(options.timeoutSeconds !== undefined ? { timeoutSeconds: options.timeoutSeconds } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  };
}

/** A BlockChannel on `client` that uses `link`'s shared memory when it can, byte frames otherwise. */
export function shmBlockChannel(client: WsClient, link: ShmLink, count: TransferCounter = () => {}): BlockChannel {
  const ws = wsBlockChannel(client);
  const arena = link.mode === 'shm' ? link.peerSegments.values().next().value : undefined;
  if (arena === undefined) {
    return {
      async *get(request, options) {
        for await (const event of ws.get(request, options)) {
          if (event.kind === 'block') count('ws', 'received', event.payload.byteLength);
          yield event;
        }
      },
      async put(block, options) {
        const ack = await ws.put(block, options);
        count('ws', 'sent', block.payload.byteLength);
        return ack;
      },
    };
  }
  const segments = link.mode === 'shm' ? link.peerSegments : new Map();
  const spares = sparesOf(client);
  // A frame that has no answer (a closed connection releases every lease and slot anyway).
  const send = <K extends 'kv.get.release' | 'kv.put.unslot'>(kind: K, body: FrameBody<K>) => {
    const c = client.call();
    c.send(kind, body)
      .catch(() => {})
      .finally(() => c.cancel());
  };
  const release = (readLeaseId: string) => send('kv.get.release', { readLeaseId });
  return {
    async *get(request, options): AsyncGenerator<GetEvent> {
      const call = client.call(callOptions(options));
      let released = false;
      try {
        await call.send('kv.get', { blockIds: [...request.blockIds], leaseId: request.leaseId, wantShm: true });
        for await (const frame of call.frames()) {
          if (frame.kind === 'kv.block') {
            const b = frame.body;
            let payload: Uint8Array = b.payload;
            let digestVerified = false;
            let checksumVerified = false;
            if (b.shm !== null) {
              const segment = segments.get(b.shm.segmentId);
              if (segment === undefined) {
                const error = new OicfError('PROTOCOL_ERROR', `kv.block names unknown segment ${b.shm.segmentId}`);
                yield { kind: 'error', blockId: b.blockId, error };
                continue;
              }
              // One copy, out of the pinned extent into memory of our own (the caller's target, or a fresh
              // buffer), before the lease ends.
              const target = targetFor(options?.into, b.blockId, b.shm.length);
              if (target instanceof OicfError) {
                yield { kind: 'error', blockId: b.blockId, error: target };
                continue;
              }
              payload = target ?? Buffer.allocUnsafe(b.shm.length);
              // Without the block key, XXH32 is the check: a mapped segment computes it during the copy (one pass).
              let copiedSum: number | undefined;
              if (blockSigner() === undefined) copiedSum = segment.readHashed(payload, b.shm.offset);
              else segment.read(payload, b.shm.offset);
              count('shm', 'received', payload.byteLength);
              // A mismatch is not decided here: the block goes on unflagged and the receiver's check refuses it (and
              // counts it) as any corrupt block.
              checksumVerified = copiedSum !== undefined && copiedSum >>> 0 === b.checksum >>> 0;
              // The pool did not read these bytes, and the arena is writable by every same-host member: our
              // copy is used only when it is what its writer signed (docs/reliability.md, "cache integrity").
              const checked = checkExtentDigest(b.blockId, payload, b.digest);
              if (checked instanceof OicfError) {
                // A refused block's target holds no stale bytes that could pass for data (block-targets.ts).
                target?.fill(0);
                yield { kind: 'error', blockId: b.blockId, error: checked };
                continue;
              }
              digestVerified = checked === 'verified';
            } else count('ws', 'received', payload.byteLength);
            yield {
              kind: 'block',
              blockId: b.blockId,
              numTokens: b.numTokens,
              checksum: b.checksum,
              payload,
              tier: tierFromWire(b.tier),
              // The digest covers every byte XXH32 would: the receiver's XXH32 pass is skipped (verify-block.ts).
              ...(digestVerified ? { digestVerified } : {}),
              ...(checksumVerified ? { checksumVerified } : {}),
            };
          } else if (frame.kind === 'kv.error') {
            const detail = frame.body.error ?? { code: 'INTERNAL', message: 'kv.error without a detail', field: '' };
            yield { kind: 'error', blockId: frame.body.blockId, error: fromErrorDetail(detail) };
          } else if (frame.kind === 'kv.get.done') {
            if (frame.body.readLeaseId !== '') release(frame.body.readLeaseId);
            released = true;
            yield { kind: 'done', missingBlockIds: frame.body.missingBlockIds };
          } else {
            throw new OicfError('PROTOCOL_ERROR', `kv.get answered with a ${frame.kind} frame`);
          }
        }
      } finally {
        // Stopped early (error, abort, a consumer that broke off): the pool may hold extents for us.
        if (!released) release(call.id);
      }
    },
    async put(block, options) {
      spares.started();
      try {
        return await putOne(block, options);
      } finally {
        if (spares.finished()) {
          // Give the spares back once this writer is idle: checked after the callbacks that may start its next puts.
          setImmediate(() => {
            const unused = spares.drainIfIdle();
            if (unused.length > 0) send('kv.put.unslot', { extents: unused });
          });
        }
      }
    },
  };

  async function putOne(block: PutRequest, options: BlockCallOptions | undefined): Promise<PutAck> {
    const numBytes = block.payload.byteLength;
    const spare = spares.take(numBytes);
    let extent: SlotExtent;
    if (spare !== undefined) extent = spare;
    else {
      try {
        const slot = await client.request(
          'kv.put.alloc',
          { blockId: block.blockId, numBytes },
          'kv.put.slot',
          callOptions(options),
        );
        if (slot.body.extent === null) throw new OicfError('PROTOCOL_ERROR', 'kv.put.slot without an extent');
        extent = slot.body.extent;
      } catch (err) {
        if (toOicfError(err).code !== 'RESOURCE_EXHAUSTED') throw err;
        // The arena's staging room is taken: this block goes inline (the pool still decides placement).
        const ack = await ws.put(block, options);
        count('ws', 'sent', numBytes);
        return ack;
      }
    }
    const segment = segments.get(extent.segmentId);
    if (segment === undefined)
      throw new OicfError('PROTOCOL_ERROR', `kv.put.slot names unknown segment ${extent.segmentId}`);
    segment.write(block.payload, extent.offset);
    // Ask for the next put's slot in this one (answered in the ack): one round trip per put while puts flow.
    const asked = spares.ask();
    const body = { ...putToWire(block), payload: EMPTY, shm: extent, nextSlotBytes: asked ? numBytes : 0 };
    const ack = await client.request('kv.put', body, 'kv.put.ack', callOptions(options)).catch((err: unknown) => {
      if (asked) spares.received(numBytes, undefined);
      throw err;
    });
    if (asked) {
      const next = ack.body.nextSlot;
      spares.received(
        numBytes,
        next?.extent != null && segments.has(next.extent.segmentId)
          ? { extent: next.extent, ttlSeconds: next.ttlSeconds }
          : undefined,
      );
    }
    count('shm', 'sent', numBytes);
    return putAckFromWire(ack.body);
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * Payload bytes of the spare arena slots this connection holds for its next puts (see SpareSlots): the pool
 * counts them as pending slots until they are used, the connection closes, or their TTL passes.
 */
export function spareSlotBytes(client: WsClient): number {
  return sparesByConnection.get(client)?.bytes ?? 0;
}

/** Spare slots belong to the connection (the pool's session), however many channels are made on it. */
const sparesByConnection = new WeakMap<WsClient, SpareSlots>();
function sparesOf(client: WsClient): SpareSlots {
  let spares = sparesByConnection.get(client);
  if (spares === undefined) {
    spares = new SpareSlots();
    sparesByConnection.set(client, spares);
  }
  return spares;
}

/**
 * A block copied out of the pool's arena, checked against the writer's keyed digest when this process holds
 * the block key: 'verified', or the refusal. Without the key nothing is checked here (undefined), as everywhere
 * (a pool used alone): the receiver's XXH32 check is then the only one.
 */
export function checkExtentDigest(
  blockId: string,
  payload: Uint8Array,
  digest: Uint8Array,
): OicfError | 'verified' | undefined {
  const signer = blockSigner();
  if (signer === undefined) return undefined;
  if (digest.byteLength === 0) {
    return new OicfError(
      'CHECKSUM_MISMATCH',
      `block ${blockId} came through shared memory without a digest, and this reader holds the block key: not used`,
      { field: 'body.digest' },
    );
  }
  if (digestMatches(signer, blockId, payload, digest)) return 'verified';
  return new OicfError(
    'CHECKSUM_MISMATCH',
    `block ${blockId}: the bytes in the pool's arena are not what their writer signed for this id and ${signer.kvFormat}: not used`,
    { field: 'body.digest' },
  );
}

/**
 * Block channels by address that shake hands once per connection and then use shared memory wherever the
 * peer shares this host (ShmLinks decides), byte frames elsewhere. Drop-in for wsBlockChannels.
 */
export function shmBlockChannels(options: {
  connections: WsClientPool;
  links: ShmLinks;
  count?: TransferCounter;
}): BlockChannels {
  return {
    with: (address, fn, retry = false) =>
      options.connections.with(
        address,
        async (client) => fn(shmBlockChannel(client, await options.links.of(client), options.count)),
        retry,
      ),
    close: () => options.connections.close(),
  };
}
