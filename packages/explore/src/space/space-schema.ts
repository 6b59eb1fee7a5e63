// space.json: what a user writes to describe the designs to search. Validated with zod; every problem is
// reported at once by its path (`decode.tp.0: must be an integer ≥ 1, got 0`). resolve-space.ts turns the
// parsed file into an ExploreSpace (catalog lookups, TP filtering, tier options).
import { POOL_TIER_IDS, type PoolTierId, tierEconomicsSchema } from '@oicf/core';
import { z } from 'zod';

const int = (min: number) =>
  z
    .number({ error: (i) => `must be an integer ≥ ${min}, got ${JSON.stringify(i.input) ?? 'nothing (missing)'}` })
    .int({ error: (i) => `must be an integer ≥ ${min}, got ${JSON.stringify(i.input)}` })
    .min(min, { error: (i) => `must be an integer ≥ ${min}, got ${JSON.stringify(i.input)}` });
const positive = z
  .number({ error: (i) => `must be a number > 0, got ${JSON.stringify(i.input) ?? 'nothing (missing)'}` })
  .gt(0, { error: (i) => `must be a number > 0, got ${JSON.stringify(i.input)}` });
const text = z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' });
const nonEmpty = <T extends z.ZodType>(item: T) =>
  z.array(item, { error: 'must be an array' }).min(1, { error: 'must list at least one value' });

const groupSchema = z.strictObject({ device: text, tp: int(1), instances: int(1) });

/** One role's choices: the cartesian product devices × tp × instances, plus explicit mixed pools. */
const roleSchema = z.strictObject({
  devices: z.array(text).default([]),
  tp: nonEmpty(int(1)).default([1, 2, 4, 8]),
  instances: nonEmpty(int(1)).default([1]),
  /** Pools of several kinds at once (several accelerator kinds serving one role). */
  mixes: z.array(nonEmpty(groupSchema)).default([]),
});

/** A tier option: a catalog pool tier, or a variant of one with its own figures. */
const tierSchema = z.strictObject({
  id: text,
  base: z.enum(POOL_TIER_IDS as readonly [PoolTierId, ...PoolTierId[]], {
    error: (i) => `must be one of ${POOL_TIER_IDS.join(', ')}, got ${JSON.stringify(i.input)}`,
  }),
  displayName: text.optional(),
  capacityBytes: positive.optional(),
  bandwidthBytesPerSecond: positive.optional(),
  latencySeconds: z.number().min(0).optional(),
  economics: tierEconomicsSchema.optional(),
});

export const spaceFileSchema = z
  .strictObject({
    name: text.default('space'),
    description: z.string().default(''),
    /** A catalog model id or a model object (@oicf/core ModelSpec JSON). */
    model: z.union([text, z.record(z.string(), z.unknown())], {
      error: 'must be a catalog model id or a model object',
    }),
    /** A precision preset id (bf16, fp8, …) or { weights, kv, activations }. */
    precision: z.union([text, z.record(z.string(), z.unknown())]).default('fp8'),
    /** Extra devices (DeviceSpec JSON, with `economics`). */
    devices: z.array(z.unknown()).default([]),
    modes: nonEmpty(z.enum(['disaggregated', 'colocated'])).default(['disaggregated', 'colocated']),
    prefill: roleSchema.default({ devices: [], tp: [1, 2, 4, 8], instances: [1], mixes: [] }),
    decode: roleSchema,
    /** Tier options below HBM beyond the catalog's (dram, cxl, optical-pool, disk are always known). */
    tiers: z.array(tierSchema).default([]),
    /** Each entry is one stack of tier option ids below HBM, nearest first; [] = HBM only. */
    kvTiers: nonEmpty(z.array(text)).default([[]]),
    policies: nonEmpty(text).default(['oicf-cost']),
    budget: z.strictObject({ usdPerHour: positive.optional(), watts: positive.optional() }).default({}),
    maxBatch: int(1).default(512),
  })
  .superRefine((space, ctx) => {
    if (
      space.modes.includes('disaggregated') &&
      space.prefill.devices.length === 0 &&
      space.prefill.mixes.length === 0
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['prefill', 'devices'],
        message: 'a disaggregated mode needs prefill devices (or mixes)',
      });
    }
    if (space.decode.devices.length === 0 && space.decode.mixes.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['decode', 'devices'], message: 'must list at least one device (or mix)' });
    }
  });

export type SpaceFile = z.output<typeof spaceFileSchema>;
