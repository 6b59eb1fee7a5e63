import { fail, ok } from '../errors.js';
import type { TierId } from '../hardware/tiers.js';
import type { DeviceEconomics, DeviceSpec, Result, TierEconomics } from '../types.js';
import { DEVICE_ECONOMICS } from './device-economics.js';
import { TIER_ECONOMICS } from './tier-economics.js';

/**
 * Price and power of `device`: its own `economics` (user JSON) when given, else the catalog's entry for its
 * id. NOT_FOUND naming the device and how to add them otherwise (a user device without figures cannot be
 * ranked per dollar or per watt).
 */
export function deviceEconomics(device: DeviceSpec): Result<DeviceEconomics> {
  const figures = device.economics ?? DEVICE_ECONOMICS[device.id];
  if (figures !== undefined) return ok(figures);
  return fail({
    code: 'NOT_FOUND',
    message: `device '${device.id}' has no price or power: add "economics": { "usdPerDeviceHour", "tdpWatts", "typicalWatts" } (each { "value", "source", "asOf" }) to its JSON`,
    issues: [{ path: 'economics', message: 'missing' }],
  });
}

/** Price and power of a catalog tier. */
export function tierEconomics(id: TierId): TierEconomics {
  return TIER_ECONOMICS[id];
}
