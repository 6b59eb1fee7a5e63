// What the explorer searches: a space (parsed from space.json) and the configurations it enumerates.
// A configuration is one cluster design: serving mode, the instances of each role (device kind, TP degree
// within the device's scale-up domain, count), the KV tier stack below HBM, and the routing policy.
import type { DeviceSpec, ModelSpec, PrecisionConfig, TierEconomics, TierId } from '@oicf/core';

export type ServingMode = 'disaggregated' | 'colocated';

/** `count` instances of one kind: a tensor-parallel domain of `tp` devices of `device`. */
export interface InstanceGroup {
  readonly deviceId: string;
  readonly tp: number;
  readonly count: number;
}

/** A pool of instances serving one role; more than one group = several accelerator kinds in one pool. */
export type RolePool = readonly InstanceGroup[];

/**
 * A memory tier below HBM, as one accelerator sees it: a catalog pool tier or a variant of one (an optical
 * pool of another capacity or bandwidth). Capacity and bandwidth are per accelerator using the tier.
 */
export interface TierOption {
  /** Option id as the space names it (`optical-pool`, `optical-pool-500g`). */
  readonly id: string;
  /** The catalog tier it is (identity, wire enum, pool store). */
  readonly base: Exclude<TierId, 'hbm'>;
  readonly displayName: string;
  readonly capacityBytes: number;
  readonly bandwidthBytesPerSecond: number;
  readonly latencySeconds: number;
  readonly economics: TierEconomics;
}

export interface Configuration {
  /** Position in the space's enumeration (shards take index mod N). */
  readonly index: number;
  /** Stable, readable key: `dis p=rubin-cpx×2 tp1 d=h200×4 tp2 kv=hbm+optical-pool oicf-cost`. */
  readonly id: string;
  readonly mode: ServingMode;
  /** Prefill pool (disaggregated); empty when colocated (the decode pool prefills). */
  readonly prefill: RolePool;
  readonly decode: RolePool;
  /** Tier options below HBM, nearest first (empty = HBM only). */
  readonly tiers: readonly TierOption[];
  readonly policy: string;
}

/** Limits a configuration must stay within; over them it is ranked out. */
export interface Budget {
  readonly usdPerHour: number | null;
  readonly watts: number | null;
}

/** A parsed space: resolved model, precision, devices and tier options, and the choices per axis. */
export interface ExploreSpace {
  readonly name: string;
  readonly description: string;
  readonly model: ModelSpec;
  readonly precision: PrecisionConfig;
  /** Catalog devices plus the space's own, by id. */
  readonly devices: ReadonlyMap<string, DeviceSpec>;
  readonly modes: readonly ServingMode[];
  readonly prefillPools: readonly RolePool[];
  readonly decodePools: readonly RolePool[];
  readonly tierSets: readonly (readonly TierOption[])[];
  readonly policies: readonly string[];
  readonly budget: Budget;
  /** The engine's most sequences per decode step (default 512). */
  readonly maxBatch: number;
  /** Combinations left out because they cannot exist (TP beyond the scale-up domain, heads not divisible). */
  readonly skipped: readonly string[];
}
