import { type ClusterConfig, parseClusterConfig } from './cluster-config.js';

/**
 * What a run may change in a base cluster config: `oicf cluster up --policy/--mode/--emulate`, and each
 * configuration `oicf replay --compare` launches. Absent fields keep the base's value.
 */
export interface ClusterOverrides {
  /** Routing policy (`@oicf/sched` registry name). */
  readonly policy?: string;
  readonly mode?: 'disaggregated' | 'colocated';
  /** `<model>@<device>` both worker kinds pace themselves to; null: neither paces (whatever the base says). */
  readonly emulate?: string | null;
}

/** Applies overrides to a validated config; returns the errors (by path) when the result is invalid. */
export function applyOverrides(
  base: ClusterConfig,
  overrides: ClusterOverrides,
): { ok: true; value: ClusterConfig } | { ok: false; errors: string[] } {
  const emulate = overrides.emulate === undefined ? {} : { emulate: overrides.emulate ?? undefined };
  const merged = {
    ...base,
    ...(overrides.mode !== undefined ? { mode: overrides.mode } : {}),
    router: { ...base.router, ...(overrides.policy !== undefined ? { policy: overrides.policy } : {}) },
    prefill: { ...base.prefill, ...emulate },
    decode: { ...base.decode, ...emulate },
  };
  return parseClusterConfig(merged, 'cluster config with overrides');
}
