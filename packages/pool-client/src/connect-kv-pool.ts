import { connectWs, type WsClient, type WsClientOptions } from '@oicf/transport';
import type { PutAck } from './api/pool-api.js';
import { PoolControl, type PoolControlOptions } from './control/pool-control.js';
import type { BlockChannel } from './data/block-channel.js';
import { targetsByPosition } from './data/block-targets.js';
import { type GetOutcome, getBlocks } from './data/fetch-blocks.js';
import { shmBlockChannel, type TransferCounter } from './data/shm/shm-block-channel.js';
import { type ShmLink, ShmLinks } from './data/shm/shm-link.js';
import { payloadChecksum } from './data/verify-block.js';

/** A block to store; the checksum is computed here. */
export interface PutBlock {
  readonly blockId: string;
  readonly payload: Uint8Array;
  readonly parentId?: string;
  /** Default: the pool's block size. */
  readonly numTokens?: number;
  readonly sessionId?: string;
  readonly ttlSeconds?: number;
}

/**
 * One kv-pool, both planes, over one data connection: what tools, tests and benchmarks use. Services
 * with many holders use PoolControl and BlockChannels directly.
 */
export interface KvPoolConnection {
  readonly control: PoolControl;
  readonly data: BlockChannel;
  /** The raw data-plane connection (tests send malformed frames through it). */
  readonly ws: WsClient;
  /** How block bytes move on this connection: through the pool's shared arena, or inside frames (and why). */
  readonly link: ShmLink;
  /** Stores one block; rejects with the pool's OicfError when it refuses it. */
  put(block: PutBlock): Promise<PutAck>;
  /** Puts many blocks with up to `window` requests in flight (pipelined on one connection). */
  putMany(blocks: readonly PutBlock[], window?: number): Promise<void>;
  /** Blocks by id, each verified on receipt (see getBlocks). */
  get(blockIds: readonly string[], leaseId?: string): Promise<GetOutcome>;
  /**
   * `get` into the caller's memory: `targets[i]` receives `blockIds[i]` (its first block-size bytes), through
   * shared memory with no buffer of our own (see getBlocks for what a refused block leaves in its target).
   * The payloads returned are views of the targets. Throws INVALID_ARGUMENT when the lists differ in length.
   */
  getInto(blockIds: readonly string[], targets: readonly Uint8Array[], leaseId?: string): Promise<GetOutcome>;
  close(): Promise<void>;
}

export async function connectKvPool(
  endpoints: { ws: string; grpc: string },
  options: { ws?: WsClientOptions; control?: PoolControlOptions; shm?: boolean; count?: TransferCounter } = {},
): Promise<KvPoolConnection> {
  const ws = await connectWs(endpoints.ws, options.ws);
  const control = new PoolControl(endpoints.grpc, options.control);
  // Same host: block bytes through the pool's arena (default on; the handshake falls back to frames).
  const link = await new ShmLinks({ enabled: options.shm ?? true, writable: true }).of(ws);
  const data = shmBlockChannel(ws, link, options.count);
  const put = (block: PutBlock) =>
    data.put({
      blockId: block.blockId,
      parentId: block.parentId ?? '',
      numTokens: block.numTokens ?? 0,
      checksum: payloadChecksum(block.payload),
      payload: block.payload,
      sessionId: block.sessionId ?? '',
      ttlSeconds: block.ttlSeconds ?? 0,
    });
  return {
    control,
    data,
    ws,
    link,
    put,
    putMany: async (blocks, window = 8) => {
      let next = 0;
      const worker = async () => {
        while (next < blocks.length) await put(blocks[next++] as PutBlock);
      };
      await Promise.all(Array.from({ length: Math.min(window, blocks.length) }, worker));
    },
    get: (blockIds, leaseId = '') => getBlocks(data, blockIds, { leaseId }),
    getInto: async (blockIds, targets, leaseId = '') =>
      getBlocks(data, blockIds, { leaseId, into: targetsByPosition(blockIds, targets) }),
    close: async () => {
      control.close();
      await ws.close();
    },
  };
}
