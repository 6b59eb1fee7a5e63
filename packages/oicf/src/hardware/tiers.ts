import { lookupById } from '../catalog-lookup.js';
import type { Result, TierSpec } from '../types.js';

// The one owner of tier identity. Each entry is a tier's id (code, metric labels, logs), its value
// in the wire enum `oicf.v1.Tier` (common.proto; a test in @oicf/pool-client fails when the two
// disagree), its config key (kv-pool and cluster config files), its display name, its figures, and
// who holds it in the serving cluster. Everything else derives from this list: the kv-pool's
// config schema and tier stores, the pool client's wire mapping, the router's prior read paths.
//
// Figures are memory tiers as one accelerator sees them when it reads KV from them. Bandwidth is
// what the path delivers (a PCIe-attached tier is bounded by the link), capacity is what one
// accelerator can use. Capacities marked illustrative are plausible configurations, not product
// limits. Pool tiers are listed in the kv-pool's stacking order, nearest first (placement fills the
// first and demotes down the list).
//
// Adding a tier: one entry here, its value in common.proto's `Tier` enum (`pnpm --filter
// @oicf/proto gen`), and a store adapter in apps/kv-pool only if its `store` kind is new.

export const TIERS = [
  {
    id: 'hbm',
    protoName: 'TIER_HBM',
    configKey: 'hbm',
    displayName: 'HBM3 (H100 SXM)',
    source:
      'NVIDIA H100 SXM datasheet: 80 GB at 3.35 TB/s; ~0.5 µs load latency (illustrative); HBM2 ~3.9 pJ/bit (O\'Connor et al., "Fine-Grained DRAM", MICRO 2017)',
    bandwidthBytesPerSecond: 3.35e12,
    latencySeconds: 5e-7,
    capacityBytes: 80e9,
    energyPicojoulesPerBit: 3.9,
    serving: { holder: 'worker' },
  },
  {
    id: 'dram',
    protoName: 'TIER_DRAM',
    configKey: 'dram',
    displayName: 'Host DDR5 over PCIe 5.0 x16',
    source:
      'DGX H100: 2 TB system memory for 8 GPUs → 256 GB per GPU; read by DMA over PCIe 5.0 x16 (63 GB/s per direction); ~2 µs per transfer (illustrative)',
    bandwidthBytesPerSecond: 63e9,
    latencySeconds: 2e-6,
    capacityBytes: 256e9,
    serving: { holder: 'pool', store: 'memory' },
  },
  {
    id: 'cxl',
    protoName: 'TIER_CXL',
    configKey: 'cxl',
    displayName: 'CXL 2.0 memory expander (x16)',
    source:
      'CXL 2.0 Type-3 expander on a PCIe 5.0 x16 PHY: 63 GB/s per direction; 1 TB per accelerator illustrative (e.g. 4 × 256 GB expanders); ~2.5 µs per DMA transfer (illustrative)',
    bandwidthBytesPerSecond: 63e9,
    latencySeconds: 2.5e-6,
    capacityBytes: 1e12,
    serving: { holder: 'pool', store: 'paced-memory' },
  },
  {
    id: 'optical-pool',
    protoName: 'TIER_OPTICAL_POOL',
    configKey: 'opticalPool',
    displayName: 'Optical-I/O memory pool',
    source:
      'Illustrative disaggregated pool behind one co-packaged optical I/O chiplet (Ayar Labs TeraPHY: 4 Tb/s bidirectional → 250 GB/s per direction, < 5 pJ/bit); 8 TB per accelerator and ~1 µs illustrative',
    bandwidthBytesPerSecond: 250e9,
    latencySeconds: 1e-6,
    capacityBytes: 8e12,
    energyPicojoulesPerBit: 5,
    serving: { holder: 'pool', store: 'paced-memory' },
  },
  {
    id: 'disk',
    protoName: 'TIER_DISK',
    configKey: 'disk',
    displayName: 'NVMe SSD (PCIe 5.0)',
    source:
      'Micron 9550 datasheet: 14.0 GB/s sequential read, 7.68 TB model; ~80 µs read latency (typical 4 KiB random read, illustrative)',
    bandwidthBytesPerSecond: 14e9,
    latencySeconds: 8e-5,
    capacityBytes: 7.68e12,
    serving: { holder: 'pool', store: 'files' },
  },
] as const satisfies readonly TierSpec[];

type TierEntry = (typeof TIERS)[number];
/** Every tier id: 'hbm' | 'dram' | 'cxl' | 'optical-pool' | 'disk'. */
export type TierId = TierEntry['id'];
/** A tier the kv-pool holds (every tier but a worker's own HBM). */
export type PoolTierSpec = Extract<TierEntry, { serving: { holder: 'pool' } }>;
export type PoolTierId = PoolTierSpec['id'];
/** The kv-pool and cluster config key of each pool tier: 'dram' | 'cxl' | 'opticalPool' | 'disk'. */
export type PoolTierConfigKey = PoolTierSpec['configKey'];

export const TIER_IDS: readonly TierId[] = TIERS.map((tier) => tier.id);

/** The kv-pool's tiers in its stacking order, nearest first. */
export const POOL_TIERS: readonly PoolTierSpec[] = TIERS.filter(
  (tier): tier is PoolTierSpec => tier.serving.holder === 'pool',
);
export const POOL_TIER_IDS: readonly PoolTierId[] = POOL_TIERS.map((tier) => tier.id);

export function getTier(id: string): Result<TierSpec> {
  return lookupById('tier', TIERS, id);
}

export function isTierId(value: string): value is TierId {
  return TIERS.some((tier) => tier.id === value);
}

export function isPoolTierId(value: string): value is PoolTierId {
  return POOL_TIERS.some((tier) => tier.id === value);
}

/** The entry of a known tier id. */
export function tierSpec<T extends TierId>(id: T): Extract<TierEntry, { id: T }> {
  return TIERS.find((tier) => tier.id === id) as Extract<TierEntry, { id: T }>;
}

/** The wire enum name of a tier ('optical-pool' → 'TIER_OPTICAL_POOL'). */
export function tierProtoName(id: TierId): TierEntry['protoName'] {
  return tierSpec(id).protoName;
}

/** The tier a wire enum name stands for; undefined for 'TIER_UNSPECIFIED' and names this build does not know. */
export function tierFromProtoName(protoName: string): TierId | undefined {
  return TIERS.find((tier) => tier.protoName === protoName)?.id;
}
