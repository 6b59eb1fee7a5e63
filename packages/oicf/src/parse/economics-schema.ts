import type { z } from 'zod';
import type { DeviceEconomics, SourcedFigure, TierEconomics } from '../types.js';
import { flagField, numberField, strictFields, textField } from './zod-fields.js';

const DATE = /^\d{4}-\d{2}(-\d{2})?$/;

/** `{ value, source, asOf, estimate? }`: a number is never accepted without its source note and date. */
export const sourcedFigureSchema = strictFields({
  value: numberField({ min: 0 }),
  source: textField(),
  asOf: textField().refine((s) => DATE.test(s), { message: 'must be a date YYYY-MM-DD or YYYY-MM' }),
  estimate: flagField().default(false),
}).transform((f): SourcedFigure => f);

/** A device's price per device-hour, TDP and typical-load power, each sourced. */
export const deviceEconomicsSchema = strictFields({
  usdPerDeviceHour: sourcedFigureSchema,
  tdpWatts: sourcedFigureSchema,
  typicalWatts: sourcedFigureSchema,
}).transform((e): DeviceEconomics => e);

const NOTHING: SourcedFigure = {
  value: 0,
  source: 'nothing attached per accelerator',
  asOf: '2026-01',
  estimate: false,
};

/** A tier's price per GB-month and power per GB, plus optional per-accelerator terms (0 when absent). */
export const tierEconomicsSchema = strictFields({
  usdPerGbMonth: sourcedFigureSchema,
  wattsPerGb: sourcedFigureSchema,
  usdPerAcceleratorHour: sourcedFigureSchema.optional(),
  wattsPerAccelerator: sourcedFigureSchema.optional(),
}).transform(
  (e): TierEconomics => ({
    usdPerGbMonth: e.usdPerGbMonth,
    wattsPerGb: e.wattsPerGb,
    usdPerAcceleratorHour: e.usdPerAcceleratorHour ?? NOTHING,
    wattsPerAccelerator: e.wattsPerAccelerator ?? NOTHING,
  }),
);

export type SourcedFigureInput = z.input<typeof sourcedFigureSchema>;
