import { getDevice, getModel, POOL_TIERS, type PoolStoreKind } from '@oicf/core';
import { POLICY_NAMES, POLICY_PLUGINS, type PolicyName, parsePolicyParams } from '@oicf/kv';
import { type ConfigSources, loadConfig } from '@oicf/transport';
import { z } from 'zod';

/**
 * kv-pool configuration, validated once at start (every bad field listed by path).
 * Sources, later winning: JSON file (`--config pool.json`), env `OICF_KVPOOL_<PATH>` (segments
 * joined by `__`), flags `--tiers.dram.capacityBytes=1e9`.
 *
 * Tiers are optional keys under `tiers`, one per pool tier of `@oicf/core` (POOL_TIERS: its config
 * key, e.g. `opticalPool`), stacked in that list's order, nearest first. A tier is enabled by giving
 * it. Its fields depend on the kind of store the tier's entry names (TIER_CONFIG_SCHEMAS). Bandwidth
 * and latency default to the tier's figures in `@oicf/core`: paced tiers pace transfers to them, and
 * every tier's placement model and the read path it reports in Stats (what routers price) use them.
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
const common = {
  capacityBytes: bytes,
  bandwidthBytesPerSecond: z.number().positive().optional(),
  latencySeconds: z.number().nonnegative().optional(),
  /** Eviction/demotion policy of this tier (default: the pool's). */
  policy: policy.optional(),
};

/** A tier's config fields by the kind of store that keeps it. */
export const TIER_CONFIG_SCHEMAS = {
  memory: z.strictObject(common),
  'paced-memory': z.strictObject({ ...common, pace: z.boolean().default(true) }),
  files: z.strictObject({ ...common, dataDir: z.string().min(1), durable: z.boolean().default(false) }),
} satisfies Record<PoolStoreKind, z.ZodType>;

export type TierConfigOf<K extends PoolStoreKind> = z.output<(typeof TIER_CONFIG_SCHEMAS)[K]>;

/** What config and stores need of a pool tier's entry (the real ones are `@oicf/core` POOL_TIERS). */
export interface PoolTierEntry {
  readonly id: string;
  readonly configKey: string;
  readonly bandwidthBytesPerSecond: number;
  readonly latencySeconds: number;
  readonly serving: { readonly holder: 'pool'; readonly store: PoolStoreKind };
}

/** The `tiers` object: one optional key per tier, its fields by its store kind. */
export function tiersSchemaFor(tiers: readonly PoolTierEntry[]) {
  const shape: Record<string, z.ZodOptional<(typeof TIER_CONFIG_SCHEMAS)[PoolStoreKind]>> = {};
  for (const tier of tiers) shape[tier.configKey] = TIER_CONFIG_SCHEMAS[tier.serving.store].optional();
  return z.strictObject(shape);
}

/** The kv-pool config schema over a tier list (tests pass their own; the service uses POOL_TIERS). */
export function kvPoolConfigSchemaFor(tiers: readonly PoolTierEntry[]) {
  const keys = tiers.map((t) => t.configKey);
  const nearest = keys[0] as string;
  return z
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
      /** Longest agent-session retention a kv.put may ask for; longer is clamped (1 hour, as the router's cap). */
      maxSessionTtlSeconds: z.number().positive().default(3600),
      drainTimeoutSeconds: z.number().nonnegative().default(10),
      /**
       * The model and precision whose KV the pool holds (block digests bind to it; docs/reliability.md), and
       * a full block's payload bytes (blockTokens × the model's KV bytes per token; absent = not checked).
       * Used when the pool has cluster credentials; the launcher sets both.
       */
      kvFormat: z.string().min(1).default('tiny-gqa/fp32'),
      blockBytes: z.number().int().positive().optional(),
      /** kv.get only under a lease that pins every block read (docs/reliability.md); the launcher sets it. */
      requireLeaseForReads: z.boolean().default(false),
      /**
       * Exit when the router's keepalive (its Health calls) has been silent this long after the first one,
       * instead of running orphaned; 0 = never (a pool used alone).
       */
      routerGraceSeconds: z.number().min(0).default(0),
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
      /**
       * Same-host shared memory: the dram tier lives in an arena segment under `dir` (a tmpfs), which
       * same-host clients read and write directly; other clients get bytes in frames as before. Off, or
       * when the arena cannot be created (no /dev/shm), the dram tier is process memory.
       */
      shm: z
        .strictObject({
          enabled: z.boolean().default(true),
          dir: z.string().min(1).default('/dev/shm/oicf'),
          /** Arena bytes beyond the dram capacity: slots being written and evicted blocks still being read. */
          stagingBytes: bytes.default(256 * 1024 * 1024),
          /**
           * With the mapped arena (OICF_SHM_NATIVE=1), map and allocate all of its pages (dram capacity + staging) at
           * start, as a serving pool at capacity has them, instead of on each page's first put. Costs that memory from
           * the start (a KV cache preallocated, as an engine's is).
           */
          prefault: z.boolean().default(true),
        })
        .default({ enabled: true, dir: '/dev/shm/oicf', stagingBytes: 256 * 1024 * 1024, prefault: true }),
      /** The tiers; default: the nearest one with 1 GiB. */
      tiers: tiersSchemaFor(tiers).default({ [nearest]: { capacityBytes: 1024 * 1024 * 1024 } }),
    })
    .superRefine((config, ctx) => {
      if (Object.values(config.tiers).every((t) => t === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers'],
          message: `configure at least one tier (${keys.slice(0, -1).join(', ')} or ${keys.at(-1)})`,
        });
      }
    });
}

export const kvPoolConfigSchema = kvPoolConfigSchemaFor(POOL_TIERS);

export type KvPoolConfig = z.output<typeof kvPoolConfigSchema>;

/** Loads and validates the config; throws ConfigError listing every problem. */
export function loadKvPoolConfig(sources: Omit<ConfigSources, 'name' | 'envPrefix'>): KvPoolConfig {
  return loadConfig(kvPoolConfigSchema, { name: 'kv-pool', envPrefix: 'OICF_KVPOOL_', ...sources });
}

/** Bandwidth and latency of a configured tier: its own values, else its figures in `@oicf/core`. */
export function linkOf(
  entry: Pick<PoolTierEntry, 'bandwidthBytesPerSecond' | 'latencySeconds'>,
  tier: { bandwidthBytesPerSecond?: number | undefined; latencySeconds?: number | undefined },
) {
  return {
    bandwidthBytesPerSecond: tier.bandwidthBytesPerSecond ?? entry.bandwidthBytesPerSecond,
    latencySeconds: tier.latencySeconds ?? entry.latencySeconds,
  };
}
