import { getLink } from '../hardware/links.js';
import { PRECISION_IDS } from '../precision.js';
import type { DeviceSpec, LinkSpec, PrecisionId, Result, ScaleUpSpec } from '../types.js';
import { FieldChecker } from './field-checker.js';

const DEVICE_KEYS = [
  'id',
  'displayName',
  'source',
  'peakFlopsPerSecond',
  'memoryCapacityBytes',
  'memoryBandwidthBytesPerSecond',
  'scaleUp',
];
const LINK_KEYS = [
  'id',
  'displayName',
  'source',
  'bandwidthBytesPerSecond',
  'latencySeconds',
  'energyPicojoulesPerBit',
];
const positiveReal = { above: 0 } as const;

/** Validates an untrusted device description. `peakFlopsPerSecond` maps precision ids to dense
 * FLOP/s (at least one). `scaleUp.link` is a catalog link id ('nvlink4', ...) or a full link
 * object. Every problem is reported at once with its path. */
export function parseDeviceSpec(json: unknown): Result<DeviceSpec> {
  const check = new FieldChecker();
  const root = check.object(json, '');
  if (!root) return check.result('device', () => ({}) as DeviceSpec);
  check.noUnknownKeys(root, DEVICE_KEYS, '');
  const id = check.string(root, 'id', '');
  const displayName = check.string(root, 'displayName', '', id ?? 'device');
  const source = check.string(root, 'source', '', 'user JSON');
  const memoryCapacityBytes = check.number(root, 'memoryCapacityBytes', '', positiveReal);
  const memoryBandwidthBytesPerSecond = check.number(root, 'memoryBandwidthBytesPerSecond', '', positiveReal);

  const peaks: Partial<Record<PrecisionId, number>> = {};
  const peakObject = check.object(root.peakFlopsPerSecond, 'peakFlopsPerSecond');
  if (peakObject) {
    check.noUnknownKeys(peakObject, PRECISION_IDS, 'peakFlopsPerSecond');
    for (const precision of PRECISION_IDS) {
      if (peakObject[precision] === undefined) continue;
      const peak = check.number(peakObject, precision, 'peakFlopsPerSecond', positiveReal);
      if (peak !== undefined) peaks[precision] = peak;
    }
    if (Object.keys(peakObject).length === 0) {
      check.issue('peakFlopsPerSecond', `must list at least one of ${PRECISION_IDS.join(', ')}`);
    }
  }
  const scaleUp = root.scaleUp === undefined ? undefined : parseScaleUp(check, root.scaleUp);

  return check.result('device', () => ({
    id: id as string,
    displayName: displayName as string,
    source: source as string,
    peakFlopsPerSecond: peaks,
    memoryCapacityBytes: memoryCapacityBytes as number,
    memoryBandwidthBytesPerSecond: memoryBandwidthBytesPerSecond as number,
    ...(scaleUp ? { scaleUp } : {}),
  }));
}

function parseScaleUp(check: FieldChecker, value: unknown): ScaleUpSpec | undefined {
  const obj = check.object(value, 'scaleUp');
  if (!obj) return undefined;
  check.noUnknownKeys(obj, ['link', 'maxDomainDevices'], 'scaleUp');
  const maxDomainDevices = check.number(obj, 'maxDomainDevices', 'scaleUp', { integer: true, min: 1 });
  const link = parseLinkRef(check, obj.link, 'scaleUp.link');
  return link && maxDomainDevices !== undefined ? { link, maxDomainDevices } : undefined;
}

/** A catalog link id or an inline link object. */
export function parseLinkRef(check: FieldChecker, value: unknown, path: string): LinkSpec | undefined {
  if (typeof value === 'string') {
    const found = getLink(value);
    if (found.ok) return found.value;
    check.issue(path, found.error.message);
    return undefined;
  }
  const obj = check.object(value, path);
  if (!obj) return undefined;
  check.noUnknownKeys(obj, LINK_KEYS, path);
  const id = check.string(obj, 'id', path);
  const displayName = check.string(obj, 'displayName', path, id ?? 'link');
  const source = check.string(obj, 'source', path, 'user JSON');
  const bandwidthBytesPerSecond = check.number(obj, 'bandwidthBytesPerSecond', path, positiveReal);
  const latencySeconds = check.number(obj, 'latencySeconds', path, { min: 0 });
  const energy =
    obj.energyPicojoulesPerBit === undefined
      ? undefined
      : check.number(obj, 'energyPicojoulesPerBit', path, { min: 0 });
  if (!id || !displayName || !source || bandwidthBytesPerSecond === undefined || latencySeconds === undefined) {
    return undefined;
  }
  return {
    id,
    displayName,
    source,
    bandwidthBytesPerSecond,
    latencySeconds,
    ...(energy !== undefined ? { energyPicojoulesPerBit: energy } : {}),
  };
}
