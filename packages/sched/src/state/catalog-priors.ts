// What a host of Admission derives from the `@oicf/core` catalog before anything is measured: the served
// model's KV bytes per token as the workers hold it, the handoff link's path, and each pool tier's prior
// read path. The router uses these at start (and for tiers its pool does not report); a simulator hosting
// Admission uses the same ones, so both price transfers alike.
import { getLink, getModel, kvBytesPerToken, POOL_TIERS, type PoolTierId, type PrecisionId, unwrap } from '@oicf/core';
import type { TransferPath } from '../types.js';

/**
 * KV bytes per token of the served model as the workers hold it: KV is always fp32 in the tiny runner,
 * whatever the weight precision. tiny-gqa: 4 layers × 2 (K, V) × 2 kv heads × 64 dims × 4 B = 4096.
 */
export function servedKvBytesPerToken(modelId: string, weightPrecision: PrecisionId): number {
  return kvBytesPerToken(unwrap(getModel(modelId)), { weights: weightPrecision, kv: 'fp32', activations: 'fp32' });
}

/** A catalog link as a transfer path (e.g. the prefill → decode handoff, `rdma-400g`); throws for an unknown id. */
export function catalogLinkPath(linkId: string): TransferPath {
  const l = unwrap(getLink(linkId));
  return { bandwidthBytesPerSecond: l.bandwidthBytesPerSecond, latencySeconds: l.latencySeconds };
}

/** Every pool tier's read path from its `@oicf/core` entry (POOL_TIERS), keyed by tier id. */
export function catalogPoolTierPaths(): Record<PoolTierId, TransferPath> {
  const paths = {} as Record<PoolTierId, TransferPath>;
  for (const t of POOL_TIERS) {
    paths[t.id] = { bandwidthBytesPerSecond: t.bandwidthBytesPerSecond, latencySeconds: t.latencySeconds };
  }
  return paths;
}
