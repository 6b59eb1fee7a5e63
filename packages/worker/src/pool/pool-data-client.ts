import type { Frame, WsClient } from '@oicf/transport';
import { type BlockProblem, checkBlock } from '../kv/block-codec.js';

/** A block to fetch: its chain id, position and size, as the fetcher expects it. */
export interface BlockToFetch {
  readonly blockId: string;
  readonly firstToken: number;
  readonly numTokens: number;
}

export interface FetchedBlock extends BlockToFetch {
  /** Verified payload (a view into the received frame). */
  readonly payload: Uint8Array;
}

export interface FetchOutcome {
  /** The longest run of verified blocks from the first one asked for, in chain order. */
  readonly blocks: readonly FetchedBlock[];
  /** Every block that could not be used, and why ('missing' = the holder did not have it or failed it). */
  readonly problems: readonly { blockId: string; problem: BlockProblem | 'missing' }[];
  /** Payload bytes received in verified blocks (used or not). */
  readonly bytesReceived: number;
}

/**
 * `kv.get` → `kv.block`… `kv.get.done` on a holder's data plane (the pool, or a decode worker's block
 * cache). Each block is checked against what was asked at its position (id, token count, payload size,
 * XXH32); a failure is a miss, never used. Blocks after the first miss are dropped too: KV is only
 * useful as a prefix.
 */
export async function fetchBlocks(
  client: WsClient,
  request: {
    blocks: readonly BlockToFetch[];
    leaseId?: string;
    kvBytesPerToken: number;
    timeoutSeconds?: number;
    signal?: AbortSignal;
  },
): Promise<FetchOutcome> {
  if (request.blocks.length === 0) return { blocks: [], problems: [], bytesReceived: 0 };
  const wanted = new Map(request.blocks.map((b, i) => [b.blockId, i]));
  const got: (FetchedBlock | undefined)[] = new Array(request.blocks.length);
  const problems: { blockId: string; problem: BlockProblem | 'missing' }[] = [];
  let bytesReceived = 0;
  const frames = client.stream(
    'kv.get',
    { blockIds: request.blocks.map((b) => b.blockId), leaseId: request.leaseId ?? '' },
    {
      ...(request.timeoutSeconds !== undefined ? { timeoutSeconds: request.timeoutSeconds } : {}),
      ...(request.signal !== undefined ? { signal: request.signal } : {}),
    },
  );
  for await (const frame of frames as AsyncIterable<Frame>) {
    if (frame.kind === 'kv.block') {
      const index = wanted.get(frame.body.blockId);
      const expected = index === undefined ? undefined : request.blocks[index];
      if (index === undefined || expected === undefined || got[index] !== undefined) {
        problems.push({ blockId: frame.body.blockId, problem: 'identity' });
        continue;
      }
      const problem = checkBlock(expected, frame.body, request.kvBytesPerToken);
      if (problem !== undefined) {
        problems.push({ blockId: expected.blockId, problem });
        continue;
      }
      bytesReceived += frame.body.payload.byteLength;
      got[index] = { ...expected, payload: frame.body.payload };
    } else if (frame.kind === 'kv.error') {
      problems.push({ blockId: frame.body.blockId, problem: 'missing' });
    } else if (frame.kind === 'kv.get.done') {
      for (const id of frame.body.missingBlockIds) problems.push({ blockId: id, problem: 'missing' });
    }
  }
  const blocks: FetchedBlock[] = [];
  for (const b of got) {
    if (b === undefined) break;
    blocks.push(b);
  }
  // Blocks never mentioned by the holder are misses as well.
  const mentioned = new Set(problems.map((p) => p.blockId));
  request.blocks.forEach((b, i) => {
    if (got[i] === undefined && !mentioned.has(b.blockId)) problems.push({ blockId: b.blockId, problem: 'missing' });
  });
  return { blocks, problems, bytesReceived };
}

/** One block offered to the pool. */
export interface BlockToPut {
  readonly blockId: string;
  /** Previous block of the chain ('' for the first). */
  readonly parentId: string;
  readonly numTokens: number;
  readonly payload: Uint8Array;
  readonly checksum: number;
}

export interface PutOutcome {
  readonly numStored: number;
  readonly numAlreadyPresent: number;
  /** Payload bytes sent in puts that were acknowledged. */
  readonly bytesSent: number;
  /** Puts the pool refused (full, bad checksum, …): a value, the pool is only a cache. */
  readonly failures: readonly { blockId: string; code: string; message: string }[];
}

/**
 * `kv.put` → `kv.put.ack` for each block, at most `maxInFlight` unacknowledged at once (the WebSocket
 * client also waits on its send buffer), all with the session id and retention TTL.
 */
export async function putBlocks(
  client: WsClient,
  blocks: readonly BlockToPut[],
  options: { sessionId: string; ttlSeconds: number; maxInFlight?: number; timeoutSeconds?: number },
): Promise<PutOutcome> {
  let numStored = 0;
  let numAlreadyPresent = 0;
  let bytesSent = 0;
  const failures: { blockId: string; code: string; message: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < blocks.length) {
      const b = blocks[next++] as BlockToPut;
      try {
        const ack = await client.request(
          'kv.put',
          {
            blockId: b.blockId,
            parentId: b.parentId,
            numTokens: b.numTokens,
            checksum: b.checksum,
            payload: b.payload,
            sessionId: options.sessionId,
            ttlSeconds: options.ttlSeconds,
          },
          'kv.put.ack',
          options.timeoutSeconds !== undefined ? { timeoutSeconds: options.timeoutSeconds } : {},
        );
        bytesSent += b.payload.byteLength;
        if (ack.body.alreadyPresent) numAlreadyPresent++;
        else numStored++;
      } catch (err) {
        const e = err as { code?: string; message?: string };
        if (e.code === 'UNAVAILABLE') throw err;
        failures.push({ blockId: b.blockId, code: e.code ?? 'INTERNAL', message: e.message ?? String(err) });
      }
    }
  };
  const n = Math.max(1, Math.min(options.maxInFlight ?? 8, blocks.length));
  await Promise.all(Array.from({ length: n }, worker));
  return { numStored, numAlreadyPresent, bytesSent, failures };
}
