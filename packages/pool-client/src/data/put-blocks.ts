import { toOicfError } from '@oicf/transport';
import { blockDigest, blockSigner } from '../api/block-digest.js';
import type { BlockChannel } from './block-channel.js';

/** One block offered to the pool. */
export interface BlockToPut {
  readonly blockId: string;
  /** Previous block of the chain ('' for the first). */
  readonly parentId: string;
  readonly numTokens: number;
  readonly payload: Uint8Array;
  /** XXH32 (seed 0) of payload. */
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
 * Offers blocks to the pool, at most `maxInFlight` unacknowledged at once (pipelined on one channel;
 * the WebSocket client also waits on its send buffer), all with the session id and retention TTL. A
 * refused block is a failure value; a lost connection (UNAVAILABLE) throws, so the caller may retry.
 */
export async function putBlocks(
  channel: BlockChannel,
  blocks: readonly BlockToPut[],
  options: { sessionId: string; ttlSeconds: number; maxInFlight?: number; timeoutSeconds?: number },
): Promise<PutOutcome> {
  let numStored = 0;
  let numAlreadyPresent = 0;
  let bytesSent = 0;
  const failures: { blockId: string; code: string; message: string }[] = [];
  let next = 0;
  const signer = blockSigner();
  const worker = async () => {
    while (next < blocks.length) {
      const b = blocks[next++] as BlockToPut;
      try {
        const ack = await channel.put(
          {
            blockId: b.blockId,
            parentId: b.parentId,
            numTokens: b.numTokens,
            checksum: b.checksum,
            payload: b.payload,
            sessionId: options.sessionId,
            ttlSeconds: options.ttlSeconds,
            // The keyed digest binding these bytes to the id and model (this process's signer, if any).
            ...(signer === undefined ? {} : { digest: blockDigest(signer, b.blockId, b.payload) }),
          },
          options.timeoutSeconds !== undefined ? { timeoutSeconds: options.timeoutSeconds } : {},
        );
        bytesSent += b.payload.byteLength;
        if (ack.alreadyPresent) numAlreadyPresent++;
        else numStored++;
      } catch (err) {
        const e = toOicfError(err);
        if (e.code === 'UNAVAILABLE') throw err;
        failures.push({ blockId: b.blockId, code: e.code, message: e.message });
      }
    }
  };
  const n = Math.max(1, Math.min(options.maxInFlight ?? 8, blocks.length));
  await Promise.all(Array.from({ length: n }, worker));
  return { numStored, numAlreadyPresent, bytesSent, failures };
}
