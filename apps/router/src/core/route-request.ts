// Building the inputs of a routing decision (`@oicf/sched` RouteRequest and RouteContext) from what the
// router knows: the tokenized prompt and its block ids, the pool's cached prefix, the router's prefix
// index, the workers' states, and the catalog's tiers and links for transfer times.
import { getLink, getModel, getTier, kvBytesPerToken, type PrecisionId, unwrap } from '@oicf/core';
import type { RouteContext, RouteRequest, TransferPath, WorkerState } from '@oicf/sched';

/** One block of the pool's cached prefix, as Lookup reported it. */
export interface PoolBlock {
  readonly blockId: string;
  readonly firstToken: number;
  readonly numTokens: number;
  /** sched tier name: dram, cxl, optical-pool, disk. */
  readonly tier: string;
  readonly sizeBytes: number;
}

export interface PoolPrefix {
  /** Leading prompt blocks the pool holds. */
  readonly blocks: readonly PoolBlock[];
}

export const NO_POOL_PREFIX: PoolPrefix = { blocks: [] };

/** The proto Tier enum names of pool tiers (common.proto). */
export type ProtoTierName = 'TIER_UNSPECIFIED' | 'TIER_DRAM' | 'TIER_CXL' | 'TIER_OPTICAL_POOL' | 'TIER_DISK';

const TIER_NAMES: Record<Exclude<ProtoTierName, 'TIER_UNSPECIFIED'>, string> = {
  TIER_DRAM: 'dram',
  TIER_CXL: 'cxl',
  TIER_OPTICAL_POOL: 'optical-pool',
  TIER_DISK: 'disk',
};

/** A proto Tier name as the sched tier name; unknown or unspecified tiers read as dram (the pool's first). */
export function tierName(protoTier: string): string {
  return TIER_NAMES[protoTier as keyof typeof TIER_NAMES] ?? 'dram';
}

/** A sched tier name back as the proto Tier name (for BlockRefs handed to workers). */
export function protoTierOf(name: string): ProtoTierName {
  const found = Object.entries(TIER_NAMES).find(([, n]) => n === name);
  return found === undefined ? 'TIER_UNSPECIFIED' : (found[0] as ProtoTierName);
}

/**
 * KV bytes per token of the served model as the workers hold it: KV is always fp32 in the tiny runner,
 * whatever the weight precision. tiny-gqa: 4 layers × 2 (K, V) × 2 kv heads × 64 dims × 4 B = 4096.
 */
export function servedKvBytesPerToken(modelId: string, weightPrecision: PrecisionId): number {
  return kvBytesPerToken(unwrap(getModel(modelId)), { weights: weightPrecision, kv: 'fp32', activations: 'fp32' });
}

/**
 * Read paths from each pool tier, from the `@oicf/core` tier catalog (the pool paces its far tiers to the
 * same figures). The pool's "disk" tier is the catalog's NVMe SSD.
 */
export function catalogTierPaths(): Record<string, TransferPath> {
  const path = (id: string): TransferPath => {
    const t = unwrap(getTier(id));
    return { bandwidthBytesPerSecond: t.bandwidthBytesPerSecond, latencySeconds: t.latencySeconds };
  };
  return { dram: path('dram'), cxl: path('cxl'), 'optical-pool': path('optical-pool'), disk: path('disk') };
}

export function catalogLinkPath(linkId: string): TransferPath {
  const l = unwrap(getLink(linkId));
  return { bandwidthBytesPerSecond: l.bandwidthBytesPerSecond, latencySeconds: l.latencySeconds };
}

/**
 * Pool blocks a worker may reuse: at least one prompt token must be computed (its logits give the
 * first token), so a prompt of n tokens reuses at most ⌊(n − 1) / blockTokens⌋ blocks.
 */
export function usablePoolBlocks(pool: PoolPrefix, numPromptTokens: number, blockTokens: number): PoolBlock[] {
  return pool.blocks.slice(0, Math.max(0, Math.floor((numPromptTokens - 1) / blockTokens)));
}

export interface RouteRequestArgs {
  readonly requestId: string;
  readonly numPromptTokens: number;
  readonly maxOutputTokens: number;
  readonly blockIds: readonly string[];
  readonly blockTokens: number;
  readonly kvBytesPerToken: number;
  readonly sessionId: string;
  readonly workerPrefixBlocks: ReadonlyMap<string, number>;
  readonly pool: PoolPrefix;
}

export function buildRouteRequest(a: RouteRequestArgs): RouteRequest {
  const usable = usablePoolBlocks(a.pool, a.numPromptTokens, a.blockTokens);
  return {
    requestId: a.requestId,
    numPromptTokens: a.numPromptTokens,
    maxOutputTokens: a.maxOutputTokens,
    blockIds: a.blockIds,
    blockTokens: a.blockTokens,
    kvBytesPerToken: a.kvBytesPerToken,
    ...(a.sessionId === '' ? {} : { sessionId: a.sessionId }),
    workerPrefixBlocks: a.workerPrefixBlocks,
    poolPrefix: { numBlocks: usable.length, tierOfBlock: usable.map((b) => b.tier) },
  };
}

export function buildRouteContext(
  workers: readonly WorkerState[],
  mode: 'disaggregated' | 'colocated',
  tierPaths: Readonly<Record<string, TransferPath>>,
  handoffPath: TransferPath,
): RouteContext {
  return { workers, mode, tierPaths, handoffPath };
}
