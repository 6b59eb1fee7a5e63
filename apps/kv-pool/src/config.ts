import { getDevice, getModel, getTier } from '@oicf/core';
import { POLICY_NAMES, POLICY_PLUGINS, type PolicyName, parsePolicyParams } from '@oicf/kv';
import { type ConfigSources, loadConfig } from '@oicf/transport';
import { z } from 'zod';

/**
 * kv-pool configuration, validated once at start (every bad field listed by path).
 * Sources, later winning: JSON file (`--config pool.json`), env `OICF_KVPOOL_<PATH>` (segments
 * joined by `__`), flags `--tiers.dram.capacityBytes=1e9`.
 *
 * Tiers are optional keys, always ordered fastest first: dram > cxl > opticalPool > disk. A tier
 * is enabled by giving it. Bandwidth and latency of the paced tiers (and the placement model of
 * every tier) default to the `@oicf/core` tier catalog: dram → 'dram', cxl → 'cxl',
 * opticalPool → 'optical-pool', disk → 'nvme'.
 */

const bytes = z.number().int().nonnegative();
const policy = z
  .strictObject({
    name: z.enum(POLICY_NAMES as [PolicyName, ...PolicyName[]]).default('oicf'),
    /** Numeric parameters of the policy, checked against its schema (see packages/kv policies/README.md). */
    params: z.record(z.string(), z.number()).default({}),
  })
  .superRefine((p, ctx) => {
    const parsed = parsePolicyParams(POLICY_PLUGINS[p.name].paramSchema, p.params, 'params');
    if (!parsed.ok) for (const message of parsed.errors) ctx.addIssue({ code: 'custom', path: ['params'], message });
  });
const link = {
  bandwidthBytesPerSecond: z.number().positive().optional(),
  latencySeconds: z.number().nonnegative().optional(),
  policy: policy.optional(),
};

export const kvPoolConfigSchema = z
  .strictObject({
    host: z.string().default('127.0.0.1'),
    httpPort: z.number().int().min(0).max(65535).default(0),
    grpcPort: z.number().int().min(0).max(65535).default(0),
    wsPort: z.number().int().min(0).max(65535).default(0),
    /** Tokens per block (only full blocks are cached). */
    blockTokens: z.number().int().positive().default(64),
    /** Largest block payload; WebSocket frames above this (plus envelope) close the connection. */
    maxBlockBytes: z
      .number()
      .int()
      .positive()
      .max(256 * 1024 * 1024)
      .default(16 * 1024 * 1024),
    maxBlocksPerRequest: z.number().int().positive().default(4096),
    maxLeaseTtlSeconds: z.number().positive().default(300),
    drainTimeoutSeconds: z.number().nonnegative().default(10),
    /** Default eviction/demotion policy of every tier. */
    policy: policy.default({ name: 'oicf', params: {} }),
    /** What the oicf policy's recompute cost models: prefill of one block on this model and device. */
    recompute: z
      .strictObject({
        modelId: z.string().default('llama-3-8b'),
        deviceId: z.string().default('h100'),
        precision: z.enum(['fp32', 'bf16', 'fp16', 'fp8', 'int8', 'int4', 'fp4']).default('bf16'),
      })
      .superRefine((r, ctx) => {
        const model = getModel(r.modelId);
        if (!model.ok) ctx.addIssue({ code: 'custom', path: ['modelId'], message: model.error.message });
        const device = getDevice(r.deviceId);
        if (!device.ok) ctx.addIssue({ code: 'custom', path: ['deviceId'], message: device.error.message });
      })
      .default({ modelId: 'llama-3-8b', deviceId: 'h100', precision: 'bf16' }),
    tiers: z
      .strictObject({
        dram: z.strictObject({ capacityBytes: bytes, policy: policy.optional() }).optional(),
        cxl: z.strictObject({ capacityBytes: bytes, pace: z.boolean().default(true), ...link }).optional(),
        opticalPool: z.strictObject({ capacityBytes: bytes, pace: z.boolean().default(true), ...link }).optional(),
        disk: z
          .strictObject({
            capacityBytes: bytes,
            dataDir: z.string().min(1),
            durable: z.boolean().default(false),
            ...link,
          })
          .optional(),
      })
      .default({ dram: { capacityBytes: 1024 * 1024 * 1024 } }),
  })
  .superRefine((config, ctx) => {
    if (Object.values(config.tiers).every((t) => t === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tiers'],
        message: 'configure at least one tier (dram, cxl, opticalPool or disk)',
      });
    }
  });

export type KvPoolConfig = z.output<typeof kvPoolConfigSchema>;

/** Loads and validates the config; throws ConfigError listing every problem. */
export function loadKvPoolConfig(sources: Omit<ConfigSources, 'name' | 'envPrefix'>): KvPoolConfig {
  return loadConfig(kvPoolConfigSchema, { name: 'kv-pool', envPrefix: 'OICF_KVPOOL_', ...sources });
}

/** Catalog entry each tier's model defaults to. */
export const CATALOG_TIER = { dram: 'dram', cxl: 'cxl', opticalPool: 'optical-pool', disk: 'nvme' } as const;

/** Bandwidth and latency of a configured tier: explicit values, else the catalog's. */
export function linkOf(
  key: keyof typeof CATALOG_TIER,
  tier: { bandwidthBytesPerSecond?: number | undefined; latencySeconds?: number | undefined },
) {
  const spec = getTier(CATALOG_TIER[key]);
  if (!spec.ok) throw new Error(`tier catalog lacks '${CATALOG_TIER[key]}' (broken invariant)`);
  return {
    bandwidthBytesPerSecond: tier.bandwidthBytesPerSecond ?? spec.value.bandwidthBytesPerSecond,
    latencySeconds: tier.latencySeconds ?? spec.value.latencySeconds,
  };
}
