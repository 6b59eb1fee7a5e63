import type { Tier__Output } from '@oicf/proto';

/** The pool's tiers, fastest first; at most one of each. */
export const TIER_NAMES = ['dram', 'cxl', 'optical-pool', 'disk'] as const;
export type TierName = (typeof TIER_NAMES)[number];

const TO_PROTO: Record<TierName, Tier__Output> = {
  dram: 'TIER_DRAM',
  cxl: 'TIER_CXL',
  'optical-pool': 'TIER_OPTICAL_POOL',
  disk: 'TIER_DISK',
};

export function tierToProto(name: string): Tier__Output {
  return TO_PROTO[name as TierName] ?? 'TIER_UNSPECIFIED';
}

/** The pool tier a proto enum names; undefined for TIER_UNSPECIFIED and TIER_HBM. */
export function tierFromProto(tier: Tier__Output | number): TierName | undefined {
  return TIER_NAMES.find((name) => TO_PROTO[name] === tier);
}
