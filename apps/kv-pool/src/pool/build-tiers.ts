import { analyzePoint, getDevice, getModel, type PrecisionId, unwrap } from '@oicf/core';
import type { PolicyChoice } from '@oicf/kv';
import type { Clock } from '@oicf/transport';
import { type KvPoolConfig, linkOf } from '../config.js';
import { DiskTierStore } from '../stores/disk-tier-store.js';
import { PacedTierStore } from '../stores/paced-tier-store.js';
import { TrustedMemoryTierStore } from '../stores/trusted-memory-tier-store.js';
import type { PoolTier } from './kv-pool.js';

/**
 * Prefill seconds to recompute the block at `position` (its prefix cached), predicted by
 * `@oicf/core` for the configured model and device; memoised per position.
 */
export function recomputeModel(config: KvPoolConfig): (position: number) => number {
  const model = unwrap(getModel(config.recompute.modelId));
  const device = unwrap(getDevice(config.recompute.deviceId));
  const p = config.recompute.precision as PrecisionId;
  const precision = { weights: p, kv: p, activations: p };
  const memo = new Map<number, number>();
  return (position) => {
    let seconds = memo.get(position);
    if (seconds === undefined) {
      const point = analyzePoint({
        model,
        device,
        precision,
        phase: 'prefill',
        batch: 1,
        newTokens: config.blockTokens,
        cachedTokens: position * config.blockTokens,
      });
      seconds = point.predicted.stepSeconds;
      memo.set(position, seconds);
    }
    return seconds;
  };
}

/**
 * The configured tiers, fastest first, with their stores opened (the disk index rebuilt). Memory
 * tiers skip re-hashing payloads on read (see TrustedMemoryTierStore); disk verifies every read.
 */
export async function buildTiers(config: KvPoolConfig, clock: Clock): Promise<PoolTier[]> {
  const recompute = recomputeModel(config);
  const policyOf = (own: KvPoolConfig['policy'] | undefined): PolicyChoice => {
    const chosen = own ?? config.policy;
    const params: Record<string, unknown> = { ...chosen.params };
    if (chosen.name === 'oicf') params.recomputeSecondsForBlock = recompute;
    return { name: chosen.name, params };
  };
  const tiers: PoolTier[] = [];
  const { dram, cxl, opticalPool, disk } = config.tiers;
  if (dram !== undefined) {
    const model = { name: 'dram', capacityBytes: dram.capacityBytes, ...linkOf('dram', {}) };
    tiers.push({
      name: 'dram',
      store: new TrustedMemoryTierStore('dram', dram.capacityBytes),
      model,
      policy: policyOf(dram.policy),
      paced: false,
    });
  }
  for (const [key, name, tier] of [
    ['cxl', 'cxl', cxl],
    ['opticalPool', 'optical-pool', opticalPool],
  ] as const) {
    if (tier === undefined) continue;
    const model = { name, capacityBytes: tier.capacityBytes, ...linkOf(key, tier) };
    const memory = new TrustedMemoryTierStore(name, tier.capacityBytes);
    const store = tier.pace ? new PacedTierStore(memory, model, clock) : memory;
    tiers.push({ name, store, model, policy: policyOf(tier.policy), paced: tier.pace });
  }
  if (disk !== undefined) {
    const model = { name: 'disk', capacityBytes: disk.capacityBytes, ...linkOf('disk', disk) };
    const store = await DiskTierStore.open({
      dataDir: disk.dataDir,
      capacityBytes: disk.capacityBytes,
      durable: disk.durable,
    });
    tiers.push({ name: 'disk', store, model, policy: policyOf(disk.policy), paced: false });
  }
  return tiers;
}
