import {
  POOL_TIERS,
  type PoolStoreKind,
  type PoolTierId,
  type PrecisionId,
  recomputeSecondsForBlockOf,
} from '@oicf/core';
import type { PolicyChoice, TierModel, TierStore } from '@oicf/kv';
import type { Clock } from '@oicf/transport';
import { type KvPoolConfig, linkOf, type PoolTierEntry, type TierConfigOf } from '../config.js';
import { DiskTierStore } from '../stores/disk-tier-store.js';
import { PacedTierStore } from '../stores/paced-tier-store.js';
import type { PrefaultProgress } from '../stores/prefault-arena.js';
import { ShmArenaTierStore } from '../stores/shm-arena-store.js';
import { TrustedMemoryTierStore } from '../stores/trusted-memory-tier-store.js';
import type { PoolTier } from './pool-core.js';

/**
 * Prefill seconds to recompute the block at `position` (its prefix cached), predicted by
 * `@oicf/core` for the configured model and device (recomputeSecondsForBlockOf, which the
 * cluster twin's pool uses too); memoised per position.
 */
export function recomputeModel(config: KvPoolConfig): (position: number) => number {
  return recomputeSecondsForBlockOf({
    modelId: config.recompute.modelId,
    deviceId: config.recompute.deviceId,
    precision: config.recompute.precision as PrecisionId,
    blockTokens: config.blockTokens,
  });
}

/** Opens the byte store of one configured tier. */
type StoreAdapter<K extends PoolStoreKind> = (tier: {
  readonly id: string;
  readonly config: TierConfigOf<K>;
  readonly model: TierModel;
  readonly clock: Clock;
  /** Shared memory for a memory tier (the pool's config `shm` plus what to do when it is unavailable). */
  readonly shm?: ShmTierOptions;
}) => Promise<{ store: TierStore; paced: boolean }>;

export interface ShmTierOptions {
  readonly enabled: boolean;
  readonly dir: string;
  readonly stagingBytes: number;
  /** With a mapped arena, its pages are mapped and allocated at open (ShmArenaOptions.prefault). */
  readonly prefault?: boolean;
  /** Progress lines of that prefault, for the pool's logger (ShmArenaOptions.onProgress). */
  readonly onProgress?: PrefaultProgress;
  readonly onUnavailable?: (error: unknown) => void;
}

/**
 * One adapter per store kind a tier entry of `@oicf/core` can name. Memory tiers skip re-hashing
 * payloads on read (see TrustedMemoryTierStore); disk verifies every read and rebuilds its index
 * from its files when opened.
 */
export const STORE_ADAPTERS: { readonly [K in PoolStoreKind]: StoreAdapter<K> } = {
  memory: async ({ id, config, shm }) => {
    if (shm?.enabled === true) {
      try {
        const store = ShmArenaTierStore.open({ name: id, capacityBytes: config.capacityBytes, ...shm });
        return { store, paced: false };
      } catch (err) {
        shm.onUnavailable?.(err);
      }
    }
    return { store: new TrustedMemoryTierStore(id, config.capacityBytes), paced: false };
  },
  'paced-memory': async ({ id, config, model, clock }) => {
    const memory = new TrustedMemoryTierStore(id, config.capacityBytes);
    return config.pace
      ? { store: new PacedTierStore(memory, model, clock), paced: true }
      : { store: memory, paced: false };
  },
  files: async ({ id, config }) => ({
    store: await DiskTierStore.open({
      name: id,
      dataDir: config.dataDir,
      capacityBytes: config.capacityBytes,
      durable: config.durable,
    }),
    paced: false,
  }),
};

/**
 * The configured tiers in stacking order (nearest first), with their stores opened. Everything a
 * tier needs here comes from its entry (`@oicf/core` POOL_TIERS in the service; tests pass lists of
 * their own): its config key, its figures and the kind of store that keeps it.
 */
export async function buildTiers(
  config: KvPoolConfig,
  clock: Clock,
  entries: readonly PoolTierEntry[] = POOL_TIERS,
  shm?: ShmTierOptions,
): Promise<PoolTier[]> {
  const recompute = recomputeModel(config);
  const policyOf = (own: KvPoolConfig['policy'] | undefined): PolicyChoice => {
    const chosen = own ?? config.policy;
    const params: Record<string, unknown> = { ...chosen.params };
    if (chosen.name === 'oicf') params.recomputeSecondsForBlock = recompute;
    return { name: chosen.name, params };
  };
  const configs: Readonly<Record<string, TierConfigOf<PoolStoreKind> | undefined>> = config.tiers;
  const tiers: PoolTier[] = [];
  for (const entry of entries) {
    const own = configs[entry.configKey];
    if (own === undefined) continue;
    const model = { name: entry.id, capacityBytes: own.capacityBytes, ...linkOf(entry, own) };
    // The schema gave this key the fields of its entry's store kind (tiersSchemaFor).
    const adapter = STORE_ADAPTERS[entry.serving.store] as StoreAdapter<PoolStoreKind>;
    // Only the nearest tier goes in shared memory (the one same-host clients read most).
    const shared = tiers.length === 0 && shm !== undefined ? { shm } : {};
    const { store, paced } = await adapter({ id: entry.id, config: own, model, clock, ...shared });
    tiers.push({ name: entry.id as PoolTierId, store, model, policy: policyOf(own.policy), paced });
  }
  return tiers;
}
