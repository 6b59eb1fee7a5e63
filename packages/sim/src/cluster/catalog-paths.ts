// The router's transfer-path priors from the @oicf/core catalog: each pool tier's read path (what the
// kv-pool reports it models when its config gives only capacities) and a catalog link. (Branch c-finish10
// moves the router's copies of these into @oicf/sched catalog-priors.ts; the twin takes them from there
// once it is merged.)
import { getLink, POOL_TIERS, unwrap } from '@oicf/core';
import type { TransferPath } from '@oicf/sched';

export function catalogPoolTierPaths(): Record<string, TransferPath> {
  const paths: Record<string, TransferPath> = {};
  for (const t of POOL_TIERS) {
    paths[t.id] = { bandwidthBytesPerSecond: t.bandwidthBytesPerSecond, latencySeconds: t.latencySeconds };
  }
  return paths;
}

export function catalogLinkPath(linkId: string): TransferPath {
  const l = unwrap(getLink(linkId));
  return { bandwidthBytesPerSecond: l.bandwidthBytesPerSecond, latencySeconds: l.latencySeconds };
}
