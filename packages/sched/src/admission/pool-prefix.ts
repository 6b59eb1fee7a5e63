// The pool's answer to "how much of this prompt do you hold?", as a domain value: the host's pool adapter
// (the router's gRPC client, a simulator's in-memory pool) maps its own wire types to these.
import type { PoolTierId } from '@oicf/core';
import { reusablePrefixBlocks } from '@oicf/kv';

/** One block of the pool's cached prefix, as its lookup reported it. */
export interface PoolBlock {
  readonly blockId: string;
  readonly firstToken: number;
  readonly numTokens: number;
  /** The pool tier holding it (a `@oicf/core` pool tier id, the key of the cost model's `tierPaths`). */
  readonly tier: PoolTierId;
  readonly sizeBytes: number;
}

export interface PoolPrefix {
  /** Leading prompt blocks the pool holds. */
  readonly blocks: readonly PoolBlock[];
}

/** No pool, a failed lookup, or a prompt without a full block: nothing cached. */
export const NO_POOL_PREFIX: PoolPrefix = { blocks: [] };

/**
 * Pool blocks a worker may reuse: at least one prompt token must be computed (its logits give the
 * first token), so a prompt of n tokens reuses at most ⌊(n − 1) / blockTokens⌋ blocks (the workers'
 * rule too: `reusablePrefixBlocks` in @oicf/kv).
 */
export function usablePoolBlocks(pool: PoolPrefix, numPromptTokens: number, blockTokens: number): PoolBlock[] {
  return pool.blocks.slice(0, reusablePrefixBlocks(numPromptTokens, blockTokens));
}
