import { TieredBlockCache } from '../cache/tiered-block-cache.js';
import { describe, KvError } from '../errors.js';
import { defaultRecomputeSecondsForBlock } from '../policies/oicf-cost.js';
import type { BlockKey } from '../policies/policy.js';
import { POLICY_NAMES, type PolicyName } from '../policies/registry.js';

/**
 * Block-level prefix-cache simulation over a request stream, in arrival order.
 *
 * For each request: a block is a hit when it belongs to the request's cached prefix (the
 * longest run of leading blocks all present before the request); then every block of the
 * request is touched (if present) or inserted, in chain order, evicting by the policy.
 * Every block counts as one unit of capacity; 'infinite' never evicts (the reuse ceiling).
 *
 * Time for recency-decaying policies (oicf) is the request's `arrivalSeconds` when given,
 * else its index in the stream (one request per second).
 */

export type SimulatedPolicy = PolicyName | 'infinite';

export interface SimulatedRequest {
  readonly blockIds: readonly (string | number)[];
  readonly arrivalSeconds?: number;
}

export interface SimulateOptions {
  readonly policy: SimulatedPolicy;
  /** Cache size in blocks; required unless policy is 'infinite'. */
  readonly capacityBlocks?: number;
  /** Parameters of the chosen policy (validated by its schema). */
  readonly policyParams?: Record<string, unknown>;
  /**
   * Recompute seconds of the block at a chain position, for the detailed result's
   * recompute-weighted hit ratio; default defaultRecomputeSecondsForBlock.
   */
  readonly recomputeSecondsForBlock?: (position: number) => number;
}

export interface SimulateResult {
  readonly numHitBlocks: number;
  readonly numBlocks: number;
  /** numHitBlocks ÷ numBlocks; 0 for an empty stream. */
  readonly hitRatio: number;
}

export interface SimulateDetail extends SimulateResult {
  readonly numRequests: number;
  readonly numEvictions: number;
  /** Σ recomputeSecondsForBlock(position) over hit blocks: prefill time the cache saved. */
  readonly savedRecomputeSeconds: number;
  /** Σ recomputeSecondsForBlock(position) over all blocks: prefill time with no cache. */
  readonly totalRecomputeSeconds: number;
  /** savedRecomputeSeconds ÷ totalRecomputeSeconds: the hit ratio weighted by recompute cost. */
  readonly savedRecomputeRatio: number;
}

/** The hit ratio of a prefix cache on `requests`; see the file comment for the rules. */
export function simulatePrefixCache(requests: Iterable<SimulatedRequest>, options: SimulateOptions): SimulateResult {
  const { numHitBlocks, numBlocks, hitRatio } = simulatePrefixCacheDetailed(requests, options);
  return { numHitBlocks, numBlocks, hitRatio };
}

/** simulatePrefixCache plus request and eviction counts. */
export function simulatePrefixCacheDetailed(
  requests: Iterable<SimulatedRequest>,
  options: SimulateOptions,
): SimulateDetail {
  const cache = buildCache(options);
  let numHitBlocks = 0;
  let numBlocks = 0;
  let numRequests = 0;
  let savedRecomputeSeconds = 0;
  let totalRecomputeSeconds = 0;
  const recompute = options.recomputeSecondsForBlock ?? defaultRecomputeSecondsForBlock;
  for (const request of requests) {
    const keys = request.blockIds;
    if (!Array.isArray(keys)) {
      throw new KvError(
        'INVALID_ARGUMENT',
        `requests[${numRequests}].blockIds must be an array, got ${describe(keys)}`,
      );
    }
    const now = request.arrivalSeconds ?? numRequests;
    const numHits = cache.lookup(keys, now).numCachedBlocks;
    numHitBlocks += numHits;
    numBlocks += keys.length;
    let parentKey: BlockKey | undefined;
    for (let position = 0; position < keys.length; position++) {
      const key = keys[position] as BlockKey;
      const seconds = recompute(position);
      totalRecomputeSeconds += seconds;
      if (position < numHits) savedRecomputeSeconds += seconds;
      cache.put({ key, numBytes: 1, position, parentKey }, now);
      parentKey = key;
    }
    numRequests++;
  }
  return {
    numHitBlocks,
    numBlocks,
    hitRatio: numBlocks === 0 ? 0 : numHitBlocks / numBlocks,
    numRequests,
    numEvictions: cache.stats().counters.numEvictions,
    savedRecomputeSeconds,
    totalRecomputeSeconds,
    savedRecomputeRatio: totalRecomputeSeconds === 0 ? 0 : savedRecomputeSeconds / totalRecomputeSeconds,
  };
}

function buildCache(options: SimulateOptions): TieredBlockCache {
  if (options.policy === 'infinite') {
    return new TieredBlockCache([
      {
        tier: { name: 'sim', capacityBytes: Number.POSITIVE_INFINITY, bandwidthBytesPerSecond: 1, latencySeconds: 0 },
        policy: { name: 'lru' },
      },
    ]);
  }
  if (!(POLICY_NAMES as string[]).includes(options.policy)) {
    throw new KvError(
      'INVALID_ARGUMENT',
      `options.policy: unknown policy '${String(options.policy)}'; valid: ${[...POLICY_NAMES, 'infinite'].join(', ')}`,
      'options.policy',
    );
  }
  const capacity = options.capacityBlocks;
  if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1) {
    throw new KvError(
      'INVALID_ARGUMENT',
      `options.capacityBlocks must be an integer ≥ 1 for policy '${options.policy}', got ${describe(capacity)}`,
      'options.capacityBlocks',
    );
  }
  return new TieredBlockCache([
    {
      tier: { name: 'sim', capacityBytes: capacity, bandwidthBytesPerSecond: 1, latencySeconds: 0 },
      policy: { name: options.policy, params: options.policyParams },
    },
  ]);
}
