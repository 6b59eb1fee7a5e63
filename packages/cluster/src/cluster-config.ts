import { getModel, POOL_TIERS, type PoolTierConfigKey, targetSpecProblems } from '@oicf/core';
import { VARIANT_IDS } from '@oicf/kernels';
import { POLICY_NAMES, type PolicyName } from '@oicf/kv';
import { DEFAULT_METRIC_NAMES, METRIC_NAMES } from '@oicf/metrics';
import { createRoutingPolicy } from '@oicf/sched';
import { z } from 'zod';

/**
 * One file describes a whole local cluster (`oicf cluster up --config cluster.json`). Every field has
 * a default, so `{}` is a valid config: 1 router, 2 prefill workers, 2 decode workers and 1 pool on
 * 127.0.0.1, serving the tiny GQA model in fp32 with the oicf-cost policy. The catalog ids and policy
 * names and parameters are checked here, with the checks the apps run, so a bad value is reported with
 * every other one before any process starts.
 */

/** Models a cluster can serve: a tiny model the workers run that is also a catalog entry (the router prices it). */
export const SERVED_MODELS: readonly string[] = VARIANT_IDS.map((v) => `tiny-${v}`).filter((id) => getModel(id).ok);

const emulate = z
  .string()
  .superRefine((value, ctx) => {
    for (const message of targetSpecProblems(value)) ctx.addIssue({ code: 'custom', message });
  })
  .optional();

/**
 * Longest sequence (prompt + output tokens) a worker accepts: its `maxTokensPerSequence` (the workers allow
 * 2 … 65,536; also the RoPE table length). The router refuses longer requests with HTTP 400
 * `context_length_exceeded`; `oicf replay` checks a trace against the decode workers' value before sending.
 */
const maxContextTokens = z.number().int().min(2).max(65_536).default(8192);

const tier = (capacityBytes: number) =>
  z.strictObject({ capacityBytes: z.number().int().min(0).default(capacityBytes) }).prefault({});

/** Capacity of the nearest pool tier by default; the others start disabled (0). */
const DEFAULT_NEAREST_TIER_BYTES = 512 * 1024 * 1024;

/**
 * `pool.tiers`: one key per pool tier of `@oicf/core` (POOL_TIERS, by its config key: dram, cxl,
 * opticalPool, disk), in the pool's stacking order; capacity 0 leaves a tier out of the launched pool.
 */
const poolTiersShape = Object.fromEntries(
  POOL_TIERS.map((t, i) => [t.configKey, tier(i === 0 ? DEFAULT_NEAREST_TIER_BYTES : 0)]),
) as Record<PoolTierConfigKey, ReturnType<typeof tier>>;

/** The router's policy name and params, checked by the `@oicf/sched` registry (paths as in this file). */
const routerSchema = z
  .strictObject({
    httpPort: z.number().int().min(0).max(65535).default(0),
    policy: z.string().default('oicf-cost'),
    policyParams: z.record(z.string(), z.unknown()).default({}),
    /**
     * When a silent worker turns unhealthy, and when it is dropped (the router's own defaults, 3 s and 30 s,
     * when absent). A machine shared far beyond its cores can starve workers past 3 s: raise it there.
     */
    workerTimeoutSeconds: z.number().positive().optional(),
    workerDropSeconds: z.number().positive().optional(),
    /**
     * Bounded queues per worker pool (the router's `queue`; docs/reliability.md): a request that would wait
     * beyond them is refused at once with 503 + Retry-After. Absent fields: the router's defaults
     * (@oicf/sched DEFAULT_QUEUE_LIMITS, 32 per worker and 30 s). The twin reads the same fields.
     */
    queue: z
      .strictObject({
        maxQueuedPerWorker: z.number().int().min(1).optional(),
        maxQueueSeconds: z.number().positive().optional(),
      })
      .optional(),
  })
  .superRefine((r, ctx) => {
    const created = createRoutingPolicy(r.policy, r.policyParams, 'policy');
    if (created.ok) return;
    // sched reports "policy.name: …" or "policy.params.<key>: …".
    for (const line of created.errors) {
      const at = line.indexOf(': ');
      const where = at > 0 ? line.slice(0, at).split('.') : [];
      const path = where[1] === 'params' ? ['policyParams', ...where.slice(2)] : ['policy'];
      ctx.addIssue({ code: 'custom', path, message: at > 0 ? line.slice(at + 2) : line });
    }
  });

export const clusterConfigSchema = z
  .strictObject({
    host: z.string().default('127.0.0.1'),
    /** Tiny model the workers really run (`@oicf/core` catalog id: tiny-mha, tiny-gqa, tiny-mla, tiny-moe). */
    model: z
      .string()
      .refine((id) => SERVED_MODELS.includes(id), {
        error: (issue) =>
          `unknown served model ${JSON.stringify(issue.input)}; valid: ${SERVED_MODELS.join(', ')} (emulate a large model with decode.emulate)`,
      })
      .default('tiny-gqa'),
    weightPrecision: z.enum(['fp32', 'int8']).default('fp32'),
    /** Seed of the deterministic weights (every worker must use the same). */
    seed: z.number().int().min(0).default(1),
    /** Tokens per KV block (hash-chain granularity everywhere). */
    blockTokens: z.number().int().min(1).max(4096).default(64),
    mode: z.enum(['disaggregated', 'colocated']).default('disaggregated'),
    /** How long an agent session's KV stays pinned in the pool between turns. */
    sessionTtlSeconds: z.number().min(0).default(300),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** Anchor metric names every service exports: oicf's, vLLM's (`vllm:*`), or both (router and workers). */
    metricNames: z.enum(METRIC_NAMES).default(DEFAULT_METRIC_NAMES),
    router: routerSchema.prefault({}),
    prefill: z
      .strictObject({
        count: z.number().int().min(0).max(16).default(2),
        /** onnxruntime intra-op threads per worker (this machine has 2 cores for everything). */
        threads: z.number().int().min(1).default(1),
        maxContextTokens,
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
        maxContextTokens,
        emulate,
      })
      .prefault({}),
    pool: z
      .strictObject({
        enabled: z.boolean().default(true),
        tiers: z.strictObject(poolTiersShape).prefault({}),
        /** Eviction/demotion policy of the pool (`@oicf/kv` registry name). */
        policy: z.enum(POLICY_NAMES as [PolicyName, ...PolicyName[]]).default('oicf'),
      })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    // The router refuses a drop time that does not exceed the timeout (its defaults: 3 s and 30 s).
    const timeout = c.router.workerTimeoutSeconds ?? 3;
    const drop = c.router.workerDropSeconds ?? 30;
    if (drop <= timeout) {
      ctx.addIssue({
        code: 'custom',
        path: ['router', 'workerDropSeconds'],
        message: `must exceed router.workerTimeoutSeconds (${timeout})${c.router.workerDropSeconds === undefined ? ': set it (the router defaults it to 30 s)' : ''}`,
      });
    }
    // A prompt the router admits (by the decode workers' limit) must fit the prefill worker that computes it.
    if (c.prefill.count > 0 && c.mode === 'disaggregated' && c.prefill.maxContextTokens < c.decode.maxContextTokens) {
      ctx.addIssue({
        code: 'custom',
        path: ['prefill', 'maxContextTokens'],
        message: `must be ≥ decode.maxContextTokens (${c.decode.maxContextTokens}): the router admits prompts up to the decode workers' limit and a prefill worker computes them`,
      });
    }
  });

export type ClusterConfig = z.infer<typeof clusterConfigSchema>;

export type ParseClusterResult = { ok: true; value: ClusterConfig } | { ok: false; errors: string[] };

/** Validates an untrusted object; every problem is reported with its path (`decode.count: …`). */
export function parseClusterConfig(input: unknown, source = 'cluster config'): ParseClusterResult {
  const res = clusterConfigSchema.safeParse(input ?? {});
  if (res.success) return { ok: true, value: res.data };
  const errors: string[] = [];
  for (const i of res.error.issues) {
    const at = i.path.map(String);
    // One line per unknown key, by its own path, as the apps' config loader reports them.
    const lines =
      i.code === 'unrecognized_keys'
        ? i.keys.map((k) => ({ path: [...at, k], message: 'unknown setting' }))
        : [{ path: at, message: i.message }];
    for (const l of lines) errors.push(`${source}: ${l.path.length ? l.path.join('.') : '(root)'}: ${l.message}`);
  }
  return { ok: false, errors };
}

export function defaultClusterConfig(): ClusterConfig {
  return clusterConfigSchema.parse({});
}
