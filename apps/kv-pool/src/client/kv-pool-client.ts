import { blockChecksum, isBlockId } from '@oicf/kv';
import { type KvPoolClient as GrpcKvPoolClient, loadProto } from '@oicf/proto';
import {
  connectWs,
  createGrpcClient,
  fromErrorDetail,
  type OicfError,
  type WsClient,
  type WsClientOptions,
} from '@oicf/transport';

/**
 * A client of one kv-pool: the WebSocket data plane (put and get of block bytes) and the gRPC
 * control API. Every block received is verified before it is returned: its id must be the one
 * asked for and its payload must match its XXH32 checksum; a block that fails is reported as
 * corrupt and never handed out.
 */

export interface PutBlock {
  readonly blockId: string;
  readonly payload: Uint8Array;
  readonly parentId?: string;
  readonly numTokens?: number;
  readonly sessionId?: string;
  readonly ttlSeconds?: number;
}

export interface GetOutcome {
  /** Verified payloads by block id, in the order received. */
  readonly blocks: Map<string, Uint8Array>;
  readonly missingBlockIds: string[];
  /** Blocks the pool reported failing (kv.error), or that failed verification here. */
  readonly failed: { blockId: string; error: OicfError | string }[];
  /** Tier each block came from. */
  readonly tiers: Map<string, string>;
}

export interface KvPoolClient {
  readonly ws: WsClient;
  readonly control: GrpcKvPoolClient;
  put(block: PutBlock): Promise<{ tier: string; alreadyPresent: boolean }>;
  /** Puts many blocks with up to `window` requests in flight (pipelined on one connection). */
  putMany(blocks: readonly PutBlock[], window?: number): Promise<void>;
  get(blockIds: readonly string[], leaseId?: string): Promise<GetOutcome>;
  close(): Promise<void>;
}

export async function connectKvPool(
  endpoints: { ws: string; grpc: string },
  options: WsClientOptions = {},
): Promise<KvPoolClient> {
  const ws = await connectWs(endpoints.ws, options);
  const control = createGrpcClient(loadProto().KvPool, endpoints.grpc);
  const put = async (block: PutBlock) => {
    const ack = await ws.request(
      'kv.put',
      {
        blockId: block.blockId,
        parentId: block.parentId ?? '',
        numTokens: block.numTokens ?? 0,
        checksum: blockChecksum(block.payload),
        payload: block.payload,
        sessionId: block.sessionId ?? '',
        ttlSeconds: block.ttlSeconds ?? 0,
      },
      'kv.put.ack',
    );
    return { tier: ack.body.tier, alreadyPresent: ack.body.alreadyPresent };
  };
  return {
    ws,
    control,
    put,
    putMany: async (blocks, window = 8) => {
      let next = 0;
      const worker = async () => {
        while (next < blocks.length) await put(blocks[next++] as PutBlock);
      };
      await Promise.all(Array.from({ length: Math.min(window, blocks.length) }, worker));
    },
    get: async (blockIds, leaseId = '') => {
      const outcome: GetOutcome = { blocks: new Map(), missingBlockIds: [], failed: [], tiers: new Map() };
      const wanted = new Set(blockIds);
      for await (const frame of ws.stream('kv.get', { blockIds: [...blockIds], leaseId })) {
        if (frame.kind === 'kv.block') {
          const { blockId, payload, checksum, tier } = frame.body;
          if (!isBlockId(blockId) || !wanted.has(blockId))
            outcome.failed.push({ blockId, error: 'unrequested block id' });
          else if (blockChecksum(payload) !== checksum)
            outcome.failed.push({ blockId, error: 'checksum mismatch on receipt' });
          else {
            outcome.blocks.set(blockId, payload);
            outcome.tiers.set(blockId, tier);
          }
        } else if (frame.kind === 'kv.error') {
          outcome.failed.push({
            blockId: frame.body.blockId,
            error: fromErrorDetail(frame.body.error ?? { code: 'INTERNAL', message: '', field: '' }),
          });
        } else if (frame.kind === 'kv.get.done') {
          outcome.missingBlockIds.push(...frame.body.missingBlockIds);
        }
      }
      return outcome;
    },
    close: async () => {
      control.close();
      await ws.close();
    },
  };
}
