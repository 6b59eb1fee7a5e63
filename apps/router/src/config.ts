// The router's configuration: one zod schema, validated once at startup (loadConfig from @oicf/transport
// fills it from --config <file>, OICF_ROUTER_* env vars and --flags, and lists every bad field). The keys
// the launcher writes (packages/cluster/src/service-configs.ts) come first; the rest are optional extras
// with defaults. Checks that need the catalogs (model id, policy name and params, link id) run here too,
// so a bad config fails at startup, never on the first request.
import { getLink, getModel } from '@oicf/core';
import { DEFAULT_METRIC_NAMES, METRIC_NAMES } from '@oicf/metrics';
import { createRoutingPolicy, DEFAULT_QUEUE_LIMITS } from '@oicf/sched';
import { z } from 'zod';

const port = z.number().int().min(0).max(65535).default(0);

/** A catalog id field: checked where it is declared, so its issue is reported even when others fail. */
const catalogId = (lookup: (id: string) => { ok: true } | { ok: false; error: { message: string } }) =>
  z
    .string()
    .min(1)
    .superRefine((id, ctx) => {
      const found = lookup(id);
      if (!found.ok) ctx.addIssue({ code: 'custom', message: found.error.message });
    });

const policySchema = z
  .strictObject({
    name: z.string().min(1).default('oicf-cost'),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((p, ctx) => {
    const policy = createRoutingPolicy(p.name, p.params, 'policy');
    if (policy.ok) return;
    // sched reports "policy.params.x: message"; split the path back out so loadConfig names the field.
    for (const line of policy.errors) {
      const at = line.indexOf(': ');
      const path = at > 0 ? line.slice(0, at).split('.').slice(1) : [];
      ctx.addIssue({ code: 'custom', path, message: at > 0 ? line.slice(at + 2) : line });
    }
  });
const positiveSeconds = (fallback: number) => z.number().positive().default(fallback);

export const routerConfigSchema = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1'),
    httpPort: port,
    grpcPort: port,
    /** WebSocket front door (`generate` frames); 0 = any free port. */
    wsPort: port,
    /** The one model id served (`@oicf/core` catalog id of a tiny model the workers run). */
    model: catalogId(getModel).default('tiny-gqa'),
    weightPrecision: z.enum(['fp32', 'int8']).default('fp32'),
    /** Tokens per KV block; must equal the workers' and the pool's (block ids depend on it). */
    blockTokens: z.number().int().min(1).max(65_536).default(64),
    mode: z.enum(['disaggregated', 'colocated']).default('disaggregated'),
    /** Routing policy by `@oicf/sched` registry name, with its parameters. */
    policy: policySchema.prefault({}),
    /** The kv-pool; absent = no pool (every lookup is a miss). */
    pool: z
      .strictObject({
        grpcAddress: z.string().min(1),
        wsAddress: z.string().min(1),
        /** http://host:port of the pool's /metrics, listed by GET /v1/oicf/workers for scrapers. */
        httpAddress: z.string().min(1).optional(),
      })
      .optional(),
    /** Default agent-session retention TTL when a request names a session but no TTL. */
    sessionTtlSeconds: z.number().min(0).default(300),
    /** Longest session TTL a client may ask for (session_ttl_seconds beyond it is a 400): 1 hour. */
    maxSessionTtlSeconds: z.number().min(0).default(3600),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    // --- optional extras --------------------------------------------------------------------------
    /** Heartbeat period told to workers at registration. */
    heartbeatIntervalSeconds: positiveSeconds(0.5),
    /** A worker silent this long is unhealthy (not routed to). */
    workerTimeoutSeconds: positiveSeconds(3),
    /** A worker silent this long is forgotten (it must Register again). Must exceed workerTimeoutSeconds. */
    workerDropSeconds: positiveSeconds(30),
    /** Longest prompt accepted, in tokens (400 beyond). */
    maxPromptTokens: z.number().int().min(1).default(32_768),
    /** Largest HTTP request body, in bytes (413 beyond). */
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .default(4 * 1024 * 1024),
    /** Anchor metric names: this project's, vLLM's, or both (the default, docs/metrics.md). */
    metricNames: z.enum(METRIC_NAMES).default(DEFAULT_METRIC_NAMES),
    /** Lifetime of the pool lease that pins a request's cached prefix until its worker has fetched it. */
    leaseTtlSeconds: positiveSeconds(30),
    /** Seconds between the router's pool keepalive calls (the pool's orphan check hears them). */
    poolKeepaliveSeconds: positiveSeconds(2),
    /** Most seconds a pool Lookup/Lease may take before the request goes on as a miss. */
    poolTimeoutSeconds: positiveSeconds(2),
    /** How often the router asks the pool for its tiers' read paths (Stats) to price pool reads with. */
    poolReadPathsRefreshSeconds: positiveSeconds(10),
    /**
     * Remote prefill attempts per request before the decode worker prefills it locally (docs/reliability.md):
     * 2 = the planned prefill worker and one other.
     */
    prefillMaxAttempts: z.number().int().min(1).max(8).default(2),
    /**
     * Times one request may move to another decode worker after its decode worker failed mid-stream
     * (docs/reliability.md, request migration): 0 turns it off. Dynamo's --migration-limit (off by default
     * there) suggests starting at 3.
     */
    decodeMaxMigrations: z.number().int().min(0).max(16).default(3),
    /** Most seconds for a remote Prefill call. */
    prefillTimeoutSeconds: positiveSeconds(120),
    /** Most seconds between two chunks of a Decode stream (the first one included). */
    decodeIdleTimeoutSeconds: positiveSeconds(120),
    /**
     * A worker whose request channel (one WebSocket per worker, pinged every heartbeat) brings nothing, not
     * even a pong, for this long is taken for dead: the channel closes and its in-flight requests fail
     * (UNAVAILABLE, naming the worker). A connection that drops (the worker died) is noticed at once; this
     * only bounds a hung one, so it is as long as workerDropSeconds: a worker busy building a kernel for a new
     * batch size on a loaded machine can leave a ping unanswered for seconds, and must not lose its requests.
     * (workerTimeoutSeconds only stops new routing to a silent worker.)
     */
    channelTimeoutSeconds: positiveSeconds(30),
    /** Catalog link the cost model uses for the prefill → decode KV handoff. */
    handoffLink: catalogId(getLink).default('rdma-400g'),
    /**
     * Learn the pool-read and handoff bandwidths from finished requests, starting from the catalog's
     * figures (TransferLinks in @oicf/sched); false prices every transfer at the catalog's figures.
     */
    learnTransferPaths: z.boolean().default(true),
    /**
     * Cost-model priors until a worker's heartbeat reports measured speeds (0 = not measured yet).
     * 2.5e-4 s/token ≈ 2 · 12.6 M parameters ≈ 25 MFLOP per token of a tiny model at ~100 GFLOP/s;
     * 5 ms per decode step is the same order for the tiny model's weights streamed at ~10 GB/s.
     */
    priorPrefillSecondsPerToken: z.number().min(0).default(2.5e-4),
    priorDecodeStepSeconds: z.number().min(0).default(0.005),
    /**
     * Bounded queues per worker pool (@oicf/sched queue-limits.ts): a request that would wait beyond them is
     * refused at once with 503 + Retry-After (docs/reliability.md). 32 per worker ≈ two full batches of the
     * default 16 behind the running one; 30 s is well past any healthy TTFT of the tiny models here.
     */
    queue: z
      .strictObject({
        maxQueuedPerWorker: z.number().int().min(1).default(DEFAULT_QUEUE_LIMITS.maxQueuedPerWorker),
        maxQueueSeconds: positiveSeconds(DEFAULT_QUEUE_LIMITS.maxQueueSeconds),
      })
      .prefault({}),
    /**
     * The public API's keys (docs/reliability.md): with any set, /v1/*, the WebSocket front door and
     * Router.Generate need `Authorization: Bearer <key>`. `keysFile` adds one key per line. Without keys the
     * API is open: fine on loopback; on another host the router warns at start, or refuses to start when
     * `requireKeys`. `maxInFlightPerClient` > 0 caps requests running per client (429 client-limit).
     */
    api: z
      .strictObject({
        keys: z.array(z.string().min(16, 'an API key must have at least 16 characters')).default([]),
        keysFile: z.string().min(1).optional(),
        requireKeys: z.boolean().default(false),
        maxInFlightPerClient: z.number().int().min(0).default(0),
      })
      .prefault({}),
    /**
     * Serve POST /v1/completions and /v1/chat/completions on the fast door (front/fast-http: a strict
     * HTTP/1.1 reader on the raw connections, same bytes on the wire); false leaves every request to
     * node:http. Env: OICF_ROUTER_FAST_HTTP=false.
     */
    fastHttp: z.boolean().default(true),
    /**
     * A one-choice HTTP generation request (n = 1) hands its events straight from the pipeline to its reply
     * writer (front/http-generate.ts); false pulls them through the pipeline's async generator as n > 1
     * does (same decisions, same bytes: kept to compare the two). Env: OICF_ROUTER_ONE_CHOICE_RELAY=false.
     */
    oneChoiceRelay: z.boolean().default(true),
    /** Seconds to let in-flight requests finish on SIGTERM. */
    drainTimeoutSeconds: positiveSeconds(10),
  })
  .superRefine((c, ctx) => {
    if (c.workerDropSeconds <= c.workerTimeoutSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['workerDropSeconds'],
        message: `must exceed workerTimeoutSeconds (${c.workerTimeoutSeconds})`,
      });
    }
  });

export type RouterConfig = z.output<typeof routerConfigSchema>;

/** A full config from a partial one (tests and the bench); throws the zod error on bad input. */
export function routerConfig(input: Partial<z.input<typeof routerConfigSchema>> = {}): RouterConfig {
  return routerConfigSchema.parse(input);
}
