import type { Configuration, ExploreSpace, RolePool, ServingMode, TierOption } from './space-types.js';

/** `h200×4 tp2` or `h100×2 tp8+lpddr-decode×1 tp1` (several kinds in one pool). */
export function poolLabel(pool: RolePool): string {
  return pool.map((g) => `${g.deviceId}×${g.count} tp${g.tp}`).join('+');
}

/** `hbm`, `hbm+optical-pool`. */
export function tierLabel(tiers: readonly TierOption[]): string {
  return ['hbm', ...tiers.map((t) => t.id)].join('+');
}

function configId(
  mode: ServingMode,
  prefill: RolePool,
  decode: RolePool,
  tiers: readonly TierOption[],
  policy: string,
) {
  const roles = mode === 'colocated' ? `both=${poolLabel(decode)}` : `p=${poolLabel(prefill)} d=${poolLabel(decode)}`;
  return `${mode === 'colocated' ? 'col' : 'dis'} ${roles} kv=${tierLabel(tiers)} ${policy}`;
}

/** Number of configurations the space enumerates. */
export function countConfigurations(space: ExploreSpace): number {
  const perDecode = space.tierSets.length * space.policies.length * space.decodePools.length;
  let n = 0;
  for (const mode of space.modes) n += mode === 'colocated' ? perDecode : perDecode * space.prefillPools.length;
  return n;
}

/**
 * Every configuration of the space, in one deterministic order (modes as listed; then prefill pool, decode
 * pool, tier set, policy), each with its index. Shards take `index mod N`, so the order is the contract
 * between `--shard` runs and `explore merge`.
 */
export function enumerateConfigurations(space: ExploreSpace): Configuration[] {
  const out: Configuration[] = [];
  const push = (mode: ServingMode, prefill: RolePool, decode: RolePool) => {
    for (const tiers of space.tierSets) {
      for (const policy of space.policies) {
        out.push({
          index: out.length,
          id: configId(mode, prefill, decode, tiers, policy),
          mode,
          prefill,
          decode,
          tiers,
          policy,
        });
      }
    }
  };
  for (const mode of space.modes) {
    if (mode === 'colocated') {
      for (const decode of space.decodePools) push(mode, [], decode);
    } else {
      for (const prefill of space.prefillPools) for (const decode of space.decodePools) push(mode, prefill, decode);
    }
  }
  return out;
}

/** Shard `i` of `n`: the configurations whose index is i mod n (disjoint, and together all of them). */
export function shardOf<T extends { readonly index: number }>(
  configs: readonly T[],
  shard: number,
  numShards: number,
): T[] {
  return configs.filter((c) => c.index % numShards === shard);
}
