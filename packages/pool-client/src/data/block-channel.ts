// The transport port of the KV data plane: how block bytes move between this process and one holder
// (the kv-pool, or a decode worker's block cache). The WebSocket stream is the adapter today; a
// same-host shared-memory transfer (descriptors on the socket, bytes in a mapped region) or an
// authenticated channel plugs in behind the same two calls. Whatever the transport, the receiver
// verifies every block (fetch-blocks.ts): a channel hands out blocks as they arrived.
import { type CallOptions, fromErrorDetail, OicfError, type WsClient, WsClientPool } from '@oicf/transport';
import type { GetEvent, PutAck, PutRequest } from '../api/pool-api.js';
import { putAckFromWire, putToWire, tierFromWire } from '../wire/pool-wire.js';
import type { BlockTargets } from './block-targets.js';

export interface BlockCallOptions {
  readonly timeoutSeconds?: number;
  readonly signal?: AbortSignal;
}

export interface BlockGetOptions extends BlockCallOptions {
  /**
   * Memory of the caller's to read blocks into (block-targets.ts). A channel that copies block bytes anyway (the
   * shared-memory one) reads them straight into their target, and a block whose target is too small comes as an
   * error event; others ignore it, and getBlocks / fetchBlocks copy each verified block into its target.
   */
  readonly into?: BlockTargets;
}

/** One holder's data plane. */
export interface BlockChannel {
  /** `kv.get`: the holder's answers in order, ending with `done`. Throws OicfError when the call fails. */
  get(request: { blockIds: readonly string[]; leaseId: string }, options?: BlockGetOptions): AsyncIterable<GetEvent>;
  /** `kv.put` of one block; rejects with the holder's OicfError when it refuses the block. */
  put(block: PutRequest, options?: BlockCallOptions): Promise<PutAck>;
}

/** Channels to holders by address, opened on first use. */
export interface BlockChannels {
  /**
   * Runs `fn` on the channel to `address`. When it fails with UNAVAILABLE (the connection was lost) the
   * connection is dropped, and `fn` is retried once on a fresh one if `retry` (idempotent operations).
   */
  with<T>(address: string, fn: (channel: BlockChannel) => Promise<T>, retry?: boolean): Promise<T>;
  close(): Promise<void>;
}

function callOptions(options: BlockCallOptions = {}): CallOptions {
  return {
    ...(options.timeoutSeconds !== undefined ? { timeoutSeconds: options.timeoutSeconds } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  };
}

/** The WebSocket adapter: msgpackr frames on one multiplexed connection (packages/transport). */
export function wsBlockChannel(client: WsClient): BlockChannel {
  return {
    async *get(request, options) {
      const body = { blockIds: [...request.blockIds], leaseId: request.leaseId };
      for await (const frame of client.stream('kv.get', body, callOptions(options))) {
        if (frame.kind === 'kv.block') {
          const b = frame.body;
          yield {
            kind: 'block',
            blockId: b.blockId,
            numTokens: b.numTokens,
            checksum: b.checksum,
            payload: b.payload,
            tier: tierFromWire(b.tier),
          };
        } else if (frame.kind === 'kv.error') {
          const detail = frame.body.error ?? { code: 'INTERNAL', message: 'kv.error without a detail', field: '' };
          yield { kind: 'error', blockId: frame.body.blockId, error: fromErrorDetail(detail) };
        } else if (frame.kind === 'kv.get.done') {
          yield { kind: 'done', missingBlockIds: frame.body.missingBlockIds };
        } else {
          throw new OicfError('PROTOCOL_ERROR', `kv.get answered with a ${frame.kind} frame`);
        }
      }
    },
    async put(block, options) {
      const ack = await client.request('kv.put', putToWire(block), 'kv.put.ack', callOptions(options));
      return putAckFromWire(ack.body);
    },
  };
}

/** WebSocket channels over a connection pool (which the caller may share with other frame kinds). */
export function wsBlockChannels(connections: WsClientPool = new WsClientPool()): BlockChannels {
  return {
    with: (address, fn, retry = false) => connections.with(address, (client) => fn(wsBlockChannel(client)), retry),
    close: () => connections.close(),
  };
}
