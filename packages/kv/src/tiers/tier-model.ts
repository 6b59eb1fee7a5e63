import { describe, KvError } from '../errors.js';

/**
 * A memory tier as the placement logic sees it: how much it holds and how fast bytes come
 * back from it. Values normally come from `@oicf/core`'s tier catalog (`TierSpec`); any
 * object with these plain numbers works, so this package does not depend on its shape.
 */
export interface TierModel {
  /** Unique within a pool: a tier id of `@oicf/core` (hardware/tiers.ts, the one owner of tier identity). */
  readonly name: string;
  /** Payload bytes the tier may hold; Infinity for an unbounded tier. */
  readonly capacityBytes: number;
  /** Sustained read bandwidth to the consumer, bytes per second (> 0). */
  readonly bandwidthBytesPerSecond: number;
  /** Fixed cost per transfer, seconds (≥ 0). */
  readonly latencySeconds: number;
}

/** Seconds to move `numBytes` out of `tier`: latency + bytes ÷ bandwidth. */
export function transferSeconds(tier: TierModel, numBytes: number): number {
  return tier.latencySeconds + numBytes / tier.bandwidthBytesPerSecond;
}

/** Every problem with a candidate tier model, each naming its field; empty when valid. */
export function tierModelErrors(value: unknown, path = 'tier'): string[] {
  if (typeof value !== 'object' || value === null) return [`${path}: must be an object, got ${describe(value)}`];
  const t = value as Record<string, unknown>;
  const errors: string[] = [];
  if (typeof t.name !== 'string' || t.name.length === 0) errors.push(`${path}.name: must be a non-empty string`);
  const cap = t.capacityBytes;
  if (typeof cap !== 'number' || Number.isNaN(cap) || cap < 0 || (Number.isFinite(cap) && !Number.isInteger(cap))) {
    errors.push(`${path}.capacityBytes: must be a non-negative integer or Infinity, got ${describe(cap)}`);
  }
  const bw = t.bandwidthBytesPerSecond;
  if (typeof bw !== 'number' || !(bw > 0)) {
    errors.push(`${path}.bandwidthBytesPerSecond: must be a number > 0, got ${describe(bw)}`);
  }
  const lat = t.latencySeconds;
  if (typeof lat !== 'number' || !(lat >= 0) || !Number.isFinite(lat)) {
    errors.push(`${path}.latencySeconds: must be a finite number ≥ 0, got ${describe(lat)}`);
  }
  return errors;
}

/** Returns the tier model or throws INVALID_ARGUMENT listing every bad field. */
export function requireTierModel(value: unknown, path = 'tier'): TierModel {
  const errors = tierModelErrors(value, path);
  if (errors.length > 0) throw new KvError('INVALID_ARGUMENT', errors.join('; '), path);
  const t = value as TierModel;
  return {
    name: t.name,
    capacityBytes: t.capacityBytes,
    bandwidthBytesPerSecond: t.bandwidthBytesPerSecond,
    latencySeconds: t.latencySeconds,
  };
}

/** The fields of `@oicf/core`'s TierSpec this package uses (structural, so no import is needed). */
export interface TierSpecLike {
  readonly id: string;
  readonly capacityBytes: number;
  readonly bandwidthBytesPerSecond: number;
  readonly latencySeconds: number;
}

/**
 * A tier model from a catalog entry (e.g. `getTier('cxl')` of `@oicf/core`), optionally renamed
 * or given a pool-specific capacity (the catalog's capacity is per accelerator).
 */
export function tierModelFromSpec(
  spec: TierSpecLike,
  overrides: { name?: string; capacityBytes?: number } = {},
): TierModel {
  return requireTierModel(
    {
      name: overrides.name ?? spec.id,
      capacityBytes: overrides.capacityBytes ?? spec.capacityBytes,
      bandwidthBytesPerSecond: spec.bandwidthBytesPerSecond,
      latencySeconds: spec.latencySeconds,
    },
    `tier '${overrides.name ?? spec.id}'`,
  );
}
