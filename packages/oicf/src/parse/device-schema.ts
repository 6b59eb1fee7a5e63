import { PRECISION_IDS } from '../precision.js';
import type { DeviceSpec, PrecisionId, Result } from '../types.js';
import { deviceEconomicsSchema } from './economics-schema.js';
import { linkRefSchema } from './link-schema.js';
import { numberField, positiveInteger, positiveReal, strictFields, textField } from './zod-fields.js';
import { parseWith } from './zod-issues.js';

const positive = numberField(positiveReal);

/** Dense peak FLOP/s per precision id; at least one. */
const peaksSchema = strictFields(
  Object.fromEntries(PRECISION_IDS.map((id) => [id, positive.optional()])) as Record<
    PrecisionId,
    ReturnType<typeof positive.optional>
  >,
).superRefine((peaks, ctx) => {
  if (Object.keys(peaks).length === 0) {
    ctx.addIssue({ code: 'custom', message: `must list at least one of ${PRECISION_IDS.join(', ')}` });
  }
});

/** Scale-up domain: a link (catalog id or inline object) and how many devices it joins. */
const scaleUpSchema = strictFields({ link: linkRefSchema, maxDomainDevices: numberField(positiveInteger) });

/**
 * An untrusted device description. `peakFlopsPerSecond` maps precision ids to dense FLOP/s (at least one);
 * `scaleUp.link` is a catalog link id ('nvlink4', …) or a full link object. displayName defaults to id,
 * source to 'user JSON'. `economics` (price and power, each `{ value, source, asOf, estimate? }`) is optional;
 * without it a catalog id's figures apply (deviceEconomics()).
 */
export const deviceSpecSchema = strictFields({
  id: textField(),
  displayName: textField().optional(),
  source: textField().default('user JSON'),
  memoryCapacityBytes: positive,
  memoryBandwidthBytesPerSecond: positive,
  peakFlopsPerSecond: peaksSchema,
  scaleUp: scaleUpSchema.optional(),
  economics: deviceEconomicsSchema.optional(),
}).transform(
  ({ displayName, peakFlopsPerSecond, scaleUp, economics, ...device }): DeviceSpec => ({
    ...device,
    displayName: displayName ?? device.id,
    peakFlopsPerSecond: Object.fromEntries(Object.entries(peakFlopsPerSecond).filter(([, v]) => v !== undefined)),
    ...(scaleUp ? { scaleUp } : {}),
    ...(economics ? { economics } : {}),
  }),
);

/** Validates an untrusted device description; every problem is reported at once with its path. */
export function parseDeviceSpec(json: unknown): Result<DeviceSpec> {
  return parseWith(deviceSpecSchema, json, 'device');
}
