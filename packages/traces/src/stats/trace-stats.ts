import { simulatePrefixCache } from '@oicf/kv';
import { TraceError } from '../trace-error.js';
import { sortByArrival } from '../transform/window.js';
import type { TraceRequest } from '../types.js';
import { type Distribution, interArrivalCv, summarize } from './distribution.js';
import { computeReuseCeiling, type ReuseCeilingResult } from './reuse-ceiling.js';
import { computeScaledStats, type ScaledStatsOptions, type ScaledTraceStats } from './scaled-stats.js';

export interface TraceStatsOptions {
  /** Capacity of the LRU prefix-cache ceiling, in blocks of the trace's blockTokens. Default 10,000. */
  readonly lruCapacityBlocks?: number;
  /** Also describe the trace after token scaling and at a cluster block size (`stats.scaled`). */
  readonly scaled?: ScaledStatsOptions;
}

/**
 * Block-level prefix reuse: replaying the requests in arrival order through a prefix cache, the
 * fraction of all prompt blocks that lie in the request's cached prefix (the longest run of
 * leading blocks already cached). `infinite` never evicts (the ceiling any cache can reach);
 * `lru` holds lruCapacityBlocks blocks. Computed by @oicf/kv's simulatePrefixCache.
 */
export type PrefixReuse =
  | {
      readonly available: true;
      readonly blockTokens: number;
      readonly numBlocks: number;
      readonly infinite: { readonly numHitBlocks: number; readonly hitRatio: number };
      readonly lru: { readonly capacityBlocks: number; readonly numHitBlocks: number; readonly hitRatio: number };
    }
  | { readonly available: false; readonly reason: string };

export interface TraceStats {
  readonly numRequests: number;
  /** Distinct sessionIds; 0 when the trace has none. */
  readonly numSessions: number;
  readonly firstArrivalSeconds: number;
  /** Last arrival − first arrival. */
  readonly durationSeconds: number;
  /** numRequests ÷ durationSeconds; undefined when the duration is 0. */
  readonly requestsPerSecond: number | undefined;
  /** Coefficient of variation of inter-arrival times (1 = Poisson); undefined with < 2 distinct times. */
  readonly interArrivalCv: number | undefined;
  readonly inputTokens: Distribution | undefined;
  readonly outputTokens: Distribution | undefined;
  readonly prefixReuse: PrefixReuse;
  /** Token-weighted infinite-cache reuse ceiling at the trace's own block size (reuse-ceiling.ts). */
  readonly reuseCeiling: ReuseCeilingResult;
  /** Present when options.scaled was given. */
  readonly scaled?: ScaledTraceStats;
}

export const DEFAULT_LRU_CAPACITY_BLOCKS = 10_000;

/** Throws TraceError ('invalid-argument') for a capacity that is not an integer ≥ 1. */
export function computeTraceStats(requests: readonly TraceRequest[], options: TraceStatsOptions = {}): TraceStats {
  const lruCapacityBlocks = options.lruCapacityBlocks ?? DEFAULT_LRU_CAPACITY_BLOCKS;
  if (!(Number.isSafeInteger(lruCapacityBlocks) && lruCapacityBlocks >= 1)) {
    throw new TraceError('invalid-argument', `lruCapacityBlocks must be an integer ≥ 1, got ${lruCapacityBlocks}`);
  }
  const arrivals = requests.map((r) => r.arrivalSeconds);
  // A loop, not Math.min(...arrivals): spreading 10^5+ arguments can overflow the stack.
  let first = arrivals.length === 0 ? 0 : Number.POSITIVE_INFINITY;
  let last = arrivals.length === 0 ? 0 : Number.NEGATIVE_INFINITY;
  for (const t of arrivals) {
    if (t < first) first = t;
    if (t > last) last = t;
  }
  const durationSeconds = last - first;
  const sessions = new Set<string>();
  for (const r of requests) if (r.sessionId !== undefined) sessions.add(r.sessionId);
  return {
    numRequests: requests.length,
    numSessions: sessions.size,
    firstArrivalSeconds: first,
    durationSeconds,
    requestsPerSecond: durationSeconds > 0 ? requests.length / durationSeconds : undefined,
    interArrivalCv: interArrivalCv(arrivals),
    inputTokens: summarize(requests.map((r) => r.inputTokens)),
    outputTokens: summarize(requests.map((r) => r.outputTokens)),
    prefixReuse: prefixReuse(requests, lruCapacityBlocks),
    reuseCeiling: computeReuseCeiling(requests, requests[0]?.blockTokens ?? 1),
    ...(options.scaled === undefined ? {} : { scaled: computeScaledStats(requests, options.scaled) }),
  };
}

function prefixReuse(requests: readonly TraceRequest[], lruCapacityBlocks: number): PrefixReuse {
  if (requests.length === 0) return { available: false, reason: 'no requests' };
  const blockTokens = requests[0]?.blockTokens;
  for (const r of requests) {
    if (r.blockHashes === undefined || r.blockTokens === undefined) {
      return { available: false, reason: 'no prefix information' };
    }
    if (r.blockTokens !== blockTokens) {
      return { available: false, reason: `mixed block sizes (${blockTokens} and ${r.blockTokens} tokens)` };
    }
  }
  const ordered = sortByArrival(requests).map((r) => ({ blockIds: r.blockHashes ?? [] }));
  const infinite = simulatePrefixCache(ordered, { policy: 'infinite' });
  const lru = simulatePrefixCache(ordered, { policy: 'lru', capacityBlocks: lruCapacityBlocks });
  return {
    available: true,
    blockTokens: blockTokens ?? 0,
    numBlocks: infinite.numBlocks,
    infinite: { numHitBlocks: infinite.numHitBlocks, hitRatio: infinite.hitRatio },
    lru: { capacityBlocks: lruCapacityBlocks, numHitBlocks: lru.numHitBlocks, hitRatio: lru.hitRatio },
  };
}
