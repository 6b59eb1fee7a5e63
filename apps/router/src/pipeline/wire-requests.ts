// Pieces of the Prefill and Decode requests the pipeline sends (prefill.proto, decode.proto), and the
// pool lease that pins the cached prefix a worker is about to fetch.
import { tierToWire } from '@oicf/pool-client/wire';
import type { BlockRef, KvSource, SamplingParams } from '@oicf/proto';
import type { PoolBlock } from '@oicf/sched';
import type { PoolLease, PoolPort } from '../adapters/pool-client.js';
import type { SamplingInput } from '../core/generate-input.js';
import type { Logger } from '../logger.js';

export function samplingParams(s: SamplingInput): SamplingParams {
  const logprobs = s.numTopLogprobs === undefined ? {} : { logprobs: true, numTopLogprobs: s.numTopLogprobs };
  return {
    temperature: s.temperature,
    topP: s.topP,
    topK: s.topK,
    seed: s.seed,
    stopTokenIds: [...s.stopTokenIds],
    ...logprobs,
  };
}

/** The prompt's full blocks, in chain order (`first_token` = i × blockTokens). */
export function promptBlockRefs(blockIds: readonly string[], blockTokens: number, kvBytesPerToken: number): BlockRef[] {
  return blockIds.map((blockId, i) => ({
    blockId,
    firstToken: i * blockTokens,
    numTokens: blockTokens,
    sizeBytes: blockTokens * kvBytesPerToken,
  }));
}

/** One KvSource for the pool's blocks ([] when there are none). */
export function poolSources(wsAddress: string, leaseId: string, blocks: readonly PoolBlock[]): KvSource[] {
  if (blocks.length === 0) return [];
  return [
    {
      wsAddress,
      leaseId,
      blocks: blocks.map((b) => ({
        blockId: b.blockId,
        firstToken: b.firstToken,
        numTokens: b.numTokens,
        tier: tierToWire(b.tier),
        sizeBytes: b.sizeBytes,
      })),
    },
  ];
}

/**
 * Leases `blocks` for `ttlSeconds`; returns the lease and the leading blocks it pinned (the pool may
 * have lost some since the lookup: only the prefix up to the first missing one is usable). A failed
 * lease is a miss (no blocks), logged, never an error: the worker can compute the prefix instead.
 */
export async function leasePoolBlocks(
  pool: PoolPort,
  blocks: readonly PoolBlock[],
  ttlSeconds: number,
  holder: string,
  log: Logger,
): Promise<{ lease: PoolLease | undefined; blocks: PoolBlock[] }> {
  try {
    const lease = await pool.lease(
      blocks.map((b) => b.blockId),
      ttlSeconds,
      holder,
    );
    const pinned = new Set(lease.leasedBlockIds);
    let n = 0;
    while (n < blocks.length && pinned.has((blocks[n] as PoolBlock).blockId)) n++;
    return { lease, blocks: blocks.slice(0, n) };
  } catch (err) {
    log.warn('pool_lease_failed', { requestId: holder, error: (err as Error).message });
    return { lease: undefined, blocks: [] };
  }
}
