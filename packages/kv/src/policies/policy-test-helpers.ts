import type { TierModel } from '../tiers/tier-model.js';
import type { BlockKey, EvictionPolicy, PolicyEntry } from './policy.js';

/** Test-only helpers shared by the policy tests. */

export const LOWER_TIER: TierModel = {
  name: 'lower',
  capacityBytes: 1e12,
  bandwidthBytesPerSecond: 1e12,
  latencySeconds: 0,
};

export function entry(key: BlockKey, position = 0, parentKey?: BlockKey, numBytes = 1): PolicyEntry {
  return { key, numBytes, position, parentKey };
}

/** Pops `n` victims (every block evictable unless listed in `pinned`); returns their keys. */
export function victims(policy: EvictionPolicy, n: number, pinned: readonly BlockKey[] = []): (BlockKey | undefined)[] {
  const out: (BlockKey | undefined)[] = [];
  for (let i = 0; i < n; i++) out.push(policy.victim((k) => !pinned.includes(k), 0, undefined)?.entry.key);
  return out;
}

export type Op = ['insert', BlockKey] | ['touch', BlockKey];

export function apply(policy: EvictionPolicy, ops: readonly Op[]): void {
  ops.forEach(([kind, key], t) => {
    if (kind === 'insert') policy.insert(entry(key), t);
    else policy.touch(key, t);
  });
}
