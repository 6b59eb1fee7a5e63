// The router's side of tiers and transfer priors, kept out of `@oicf/sched` (which takes tier ids as
// strings and paths as values): the proto Tier enum ↔ tier id map the pool client and the KV sources use,
// the catalog figures the cost model starts from, and the served model's KV bytes per token.
// (Tier identity gets one owner module in issue 10 item 3; until then it lives here. The pool client
// imports `PoolPrefix` and `tierName` from this file.)
import { getLink, getModel, getTier, kvBytesPerToken, type PrecisionId, unwrap } from '@oicf/core';
import type { TransferPath } from '@oicf/sched';

export type { PoolBlock, PoolPrefix } from '@oicf/sched';

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
