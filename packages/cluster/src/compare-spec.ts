import { getDevice, getModel } from '@oicf/core';
import { routingPolicies } from '@oicf/sched';
import type { ClusterOverrides } from './overrides.js';

/**
 * `oicf replay --compare <key>=<v1>,<v2>,...`: one replay per value, each against its own launched
 * cluster whose config is the base plus `overridesFor(key, value)`.
 *   policy=round-robin,prefix-aware,oicf-cost      (routing policies of @oicf/sched)
 *   mode=disaggregated,colocated
 *   emulate=none,llama-3.1-70b@h100,llama-3.1-70b@b200   (<model>@<device> from the @oicf/core catalogs;
 *                                                         `none` = this machine's own speed, the baseline)
 */
export const COMPARE_KEYS = ['policy', 'mode', 'emulate'] as const;
export type CompareKey = (typeof COMPARE_KEYS)[number];

export interface CompareSpec {
  readonly key: CompareKey;
  readonly values: readonly string[];
}

export const MODES = ['disaggregated', 'colocated'] as const;

export function parseCompareSpec(text: string): { ok: true; spec: CompareSpec } | { ok: false; error: string } {
  const eq = text.indexOf('=');
  if (eq <= 0)
    return { ok: false, error: `expected <key>=<v1>,<v2>,... with key ${COMPARE_KEYS.join(', ')}; got '${text}'` };
  const key = text.slice(0, eq).trim();
  if (!(COMPARE_KEYS as readonly string[]).includes(key)) {
    return { ok: false, error: `unknown key '${key}'; use one of ${COMPARE_KEYS.join(', ')}` };
  }
  const values = text
    .slice(eq + 1)
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (values.length < 2)
    return { ok: false, error: `${key}: give at least two values to compare, got ${values.length}` };
  const duplicate = values.find((v, i) => values.indexOf(v) !== i);
  if (duplicate !== undefined) return { ok: false, error: `${key}: '${duplicate}' is listed twice` };
  const bad = values.map((v) => checkValue(key as CompareKey, v)).filter((e): e is string => e !== undefined);
  if (bad.length > 0) return { ok: false, error: bad.join('; ') };
  return { ok: true, spec: { key: key as CompareKey, values } };
}

/** Why `value` is not valid for `key`, or undefined when it is. */
export function checkValue(key: CompareKey, value: string): string | undefined {
  if (key === 'policy') {
    const names = routingPolicies.map((p) => p.name);
    return names.includes(value) ? undefined : `policy '${value}' is not one of ${names.join(', ')}`;
  }
  if (key === 'mode') {
    return (MODES as readonly string[]).includes(value)
      ? undefined
      : `mode '${value}' is not one of ${MODES.join(', ')}`;
  }
  if (value === EMULATE_NONE) return undefined;
  const [model, device, extra] = value.split('@');
  if (model === undefined || device === undefined || extra !== undefined || model === '' || device === '') {
    return `emulate '${value}' must look like <model>@<device>, e.g. llama-3.1-70b@h100`;
  }
  const problems: string[] = [];
  const m = getModel(model);
  if (!m.ok) problems.push(m.error.message);
  const d = getDevice(device);
  if (!d.ok) problems.push(d.error.message);
  return problems.length === 0 ? undefined : `emulate '${value}': ${problems.join('; ')}`;
}

export function overridesFor(key: CompareKey, value: string): ClusterOverrides {
  if (key === 'policy') return { policy: value };
  if (key === 'mode') return { mode: value as ClusterOverrides['mode'] & string };
  return { emulate: value === EMULATE_NONE ? null : value };
}

/** `--compare emulate=none,…` / `--emulate none`: no pacing, the baseline at this machine's speed. */
export const EMULATE_NONE = 'none';

/** `policy=oicf-cost` → a folder name `policy-oicf-cost`. */
export function variantSlug(key: CompareKey, value: string): string {
  return `${key}-${value}`.replace(/[^a-zA-Z0-9.-]+/g, '-');
}
