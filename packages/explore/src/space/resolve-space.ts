// From a parsed space.json to an ExploreSpace: the model and precision resolved, user devices added to the
// catalog's, role pools enumerated (devices × TP × instances, TP kept only where it can exist: within the
// device's scale-up domain and dividing the model's attention heads), tier options built from the catalog's
// tiers and the space's variants.
import {
  DEVICES,
  type DeviceSpec,
  fieldIssues,
  getModel,
  getPrecision,
  type ModelSpec,
  OicfCoreError,
  POOL_TIERS,
  type PrecisionConfig,
  parseDeviceSpec,
  parseModelSpec,
  type Result,
  tierEconomics,
} from '@oicf/core';
import { routingPolicies } from '@oicf/sched';
import { type SpaceFile, spaceFileSchema } from './space-schema.js';
import type { ExploreSpace, RolePool, TierOption } from './space-types.js';

/** Devices in one scale-up domain: the device's NVLink/Infinity Fabric domain, 1 without a scale-up link. */
export function scaleUpDomainSize(device: DeviceSpec): number {
  return device.scaleUp?.maxDomainDevices ?? 1;
}

/** Validates space.json and resolves it; every problem at once, each with its path. */
export function parseSpace(json: unknown): Result<ExploreSpace> {
  const parsed = spaceFileSchema.safeParse(json);
  if (!parsed.success) return invalid(fieldIssues(parsed.error.issues));
  try {
    return resolveSpace(parsed.data);
  } catch (err) {
    if (err instanceof OicfCoreError) return invalid([...err.issues]);
    throw err;
  }
}

function invalid(issues: { path: string; message: string }[]): Result<ExploreSpace> {
  const lines = issues.map((i) => `${i.path}: ${i.message}`);
  return {
    ok: false,
    error: {
      code: 'INVALID_ARGUMENT',
      message: `invalid space (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n  ${lines.join('\n  ')}`,
      issues,
    },
  };
}

function resolveSpace(file: SpaceFile): Result<ExploreSpace> {
  const issues: { path: string; message: string }[] = [];
  const model = resolveModel(file.model, issues);
  const precision = resolvePrecision(file.precision, issues);
  const devices = new Map<string, DeviceSpec>(DEVICES.map((d) => [d.id, d]));
  file.devices.forEach((json, i) => {
    const d = parseDeviceSpec(json);
    if (d.ok) devices.set(d.value.id, d.value);
    else for (const x of d.error.issues ?? []) issues.push({ path: `devices[${i}].${x.path}`, message: x.message });
  });
  const known = new Set(routingPolicies.map((p) => p.name));
  file.policies.forEach((p, i) => {
    if (!known.has(p))
      issues.push({ path: `policies[${i}]`, message: `unknown policy '${p}'; valid: ${[...known].join(', ')}` });
  });
  const options = tierOptions(file, issues);
  const tierSets = file.kvTiers.map((set, i) =>
    set.map((id, k) => {
      const option = options.get(id);
      if (option === undefined) {
        issues.push({
          path: `kvTiers[${i}][${k}]`,
          message: `unknown tier '${id}'; valid: ${[...options.keys()].join(', ')}`,
        });
      }
      return option as TierOption;
    }),
  );
  tierSets.forEach((set, i) => {
    const bases = set.filter((t) => t !== undefined).map((t) => t.base);
    if (new Set(bases).size < bases.length) {
      issues.push({ path: `kvTiers[${i}]`, message: 'lists two options of one tier (the pool holds one of each)' });
    }
  });
  const skipped: string[] = [];
  const pools = (role: 'prefill' | 'decode'): RolePool[] => {
    const r = file[role];
    const out: RolePool[] = [];
    const check = (deviceId: string, tp: number, path: string): boolean => {
      const device = devices.get(deviceId);
      if (device === undefined) {
        issues.push({ path, message: `unknown device '${deviceId}'; valid: ${[...devices.keys()].join(', ')}` });
        return false;
      }
      const domain = scaleUpDomainSize(device);
      if (tp > domain) {
        skipped.push(`${role} ${deviceId} tp${tp}: beyond its scale-up domain of ${domain}`);
        return false;
      }
      if (model !== undefined && model.numHeads % tp !== 0) {
        skipped.push(`${role} ${deviceId} tp${tp}: ${model.numHeads} heads do not split over ${tp}`);
        return false;
      }
      return true;
    };
    r.devices.forEach((deviceId, i) => {
      if (!devices.has(deviceId)) {
        check(deviceId, 1, `${role}.devices[${i}]`);
        return;
      }
      for (const tp of r.tp) {
        if (!check(deviceId, tp, `${role}.devices[${i}]`)) continue;
        for (const count of r.instances) out.push([{ deviceId, tp, count }]);
      }
    });
    r.mixes.forEach((mix, i) => {
      const ok = mix.every((g, k) => check(g.device, g.tp, `${role}.mixes[${i}][${k}].device`));
      if (ok) out.push(mix.map((g) => ({ deviceId: g.device, tp: g.tp, count: g.instances })));
    });
    return out;
  };
  const prefillPools = file.modes.includes('disaggregated') ? pools('prefill') : [];
  const decodePools = pools('decode');
  if (issues.length > 0 || model === undefined || precision === undefined) return invalid(issues);
  return {
    ok: true,
    value: {
      name: file.name,
      description: file.description,
      model,
      precision,
      devices,
      modes: file.modes,
      prefillPools,
      decodePools,
      tierSets,
      policies: file.policies,
      budget: { usdPerHour: file.budget.usdPerHour ?? null, watts: file.budget.watts ?? null },
      maxBatch: file.maxBatch,
      skipped: [...new Set(skipped)],
    },
  };
}

function resolveModel(model: SpaceFile['model'], issues: { path: string; message: string }[]): ModelSpec | undefined {
  const r = typeof model === 'string' ? getModel(model) : parseModelSpec(model);
  if (r.ok) return r.value;
  issues.push(...(r.error.issues ?? []).map((i) => ({ path: `model.${i.path}`, message: i.message })));
  if ((r.error.issues ?? []).length === 0) issues.push({ path: 'model', message: r.error.message });
  return undefined;
}

function resolvePrecision(
  p: SpaceFile['precision'],
  issues: { path: string; message: string }[],
): PrecisionConfig | undefined {
  if (typeof p === 'string') {
    const r = getPrecision(p);
    if (r.ok) return r.value;
    issues.push({ path: 'precision', message: r.error.message });
    return undefined;
  }
  const ids = ['weights', 'kv', 'activations'] as const;
  const out: Record<string, string> = {};
  for (const k of ids) {
    const v = p[k];
    if (typeof v !== 'string' || !getPrecision(v).ok) {
      issues.push({
        path: `precision.${k}`,
        message: `must be a precision id (fp32, bf16, fp16, fp8, int8, int4, fp4), got ${JSON.stringify(v)}`,
      });
    } else out[k] = v;
  }
  return Object.keys(out).length === 3 ? (out as unknown as PrecisionConfig) : undefined;
}

/** The catalog pool tiers plus the space's variants, by option id. */
function tierOptions(file: SpaceFile, issues: { path: string; message: string }[]): Map<string, TierOption> {
  const out = new Map<string, TierOption>();
  for (const t of POOL_TIERS) {
    out.set(t.id, {
      id: t.id,
      base: t.id,
      displayName: t.displayName,
      capacityBytes: t.capacityBytes,
      bandwidthBytesPerSecond: t.bandwidthBytesPerSecond,
      latencySeconds: t.latencySeconds,
      economics: tierEconomics(t.id),
    });
  }
  file.tiers.forEach((v, i) => {
    const base = out.get(v.base);
    if (base === undefined) return;
    if (out.has(v.id) && POOL_TIERS.some((t) => t.id === v.id) && v.id !== v.base) {
      issues.push({ path: `tiers[${i}].id`, message: `'${v.id}' is a catalog tier; name the variant differently` });
      return;
    }
    out.set(v.id, {
      id: v.id,
      base: v.base,
      displayName: v.displayName ?? v.id,
      capacityBytes: v.capacityBytes ?? base.capacityBytes,
      bandwidthBytesPerSecond: v.bandwidthBytesPerSecond ?? base.bandwidthBytesPerSecond,
      latencySeconds: v.latencySeconds ?? base.latencySeconds,
      economics: v.economics ?? base.economics,
    });
  });
  return out;
}
