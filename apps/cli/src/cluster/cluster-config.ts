import { z } from 'zod';

/**
 * One file describes a whole local cluster (`oicf cluster up --config cluster.json`). Every field has
 * a default, so `{}` is a valid config: 1 router, 2 prefill workers, 2 decode workers and 1 pool on
 * 127.0.0.1, serving the tiny GQA model in fp32 with the oicf-cost policy.
 */
const emulate = z
  .string()
  .regex(/^[a-z0-9.-]+@[a-z0-9.-]+$/, 'must look like <model>@<device>, e.g. llama-3.1-70b@h100')
  .optional();

const tier = (capacityBytes: number) =>
  z.strictObject({ capacityBytes: z.number().int().min(0).default(capacityBytes) }).prefault({});

export const clusterConfigSchema = z.strictObject({
  host: z.string().default('127.0.0.1'),
  /** Tiny model the workers really run (`@oicf/core` catalog id: tiny-mha, tiny-gqa, tiny-mla, tiny-moe). */
  model: z.string().default('tiny-gqa'),
  weightPrecision: z.enum(['fp32', 'int8']).default('fp32'),
  /** Seed of the deterministic weights (every worker must use the same). */
  seed: z.number().int().min(0).default(1),
  /** Tokens per KV block (hash-chain granularity everywhere). */
  blockTokens: z.number().int().min(1).max(4096).default(64),
  mode: z.enum(['disaggregated', 'colocated']).default('disaggregated'),
  /** How long an agent session's KV stays pinned in the pool between turns. */
  sessionTtlSeconds: z.number().min(0).default(300),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  router: z
    .strictObject({
      httpPort: z.number().int().min(0).max(65535).default(0),
      policy: z.string().default('oicf-cost'),
      policyParams: z.record(z.string(), z.unknown()).default({}),
    })
    .prefault({}),
  prefill: z
    .strictObject({
      count: z.number().int().min(0).max(16).default(2),
      /** onnxruntime intra-op threads per worker (this machine has 2 cores for everything). */
      threads: z.number().int().min(1).default(1),
      emulate,
    })
    .prefault({}),
  decode: z
    .strictObject({
      count: z.number().int().min(1).max(16).default(2),
      threads: z.number().int().min(1).default(1),
      /** KV memory each decode worker may fill (plays HBM). */
      kvCapacityBytes: z
        .number()
        .int()
        .min(1)
        .default(256 * 1024 * 1024),
      maxBatch: z.number().int().min(1).default(16),
      emulate,
    })
    .prefault({}),
  pool: z
    .strictObject({
      enabled: z.boolean().default(true),
      tiers: z
        .strictObject({
          dram: tier(512 * 1024 * 1024),
          cxl: tier(0),
          opticalPool: tier(0),
          disk: tier(0),
        })
        .prefault({}),
      /** Eviction/demotion policy of the pool (`@oicf/kv` registry name). */
      policy: z.string().default('oicf'),
    })
    .prefault({}),
});

export type ClusterConfig = z.infer<typeof clusterConfigSchema>;

export type ParseClusterResult = { ok: true; value: ClusterConfig } | { ok: false; errors: string[] };

/** Validates an untrusted object; every problem is reported with its path (`decode.count: …`). */
export function parseClusterConfig(input: unknown, source = 'cluster config'): ParseClusterResult {
  const res = clusterConfigSchema.safeParse(input ?? {});
  if (res.success) return { ok: true, value: res.data };
  return {
    ok: false,
    errors: res.error.issues.map((i) => `${source}: ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
  };
}

export function defaultClusterConfig(): ClusterConfig {
  return clusterConfigSchema.parse({});
}
