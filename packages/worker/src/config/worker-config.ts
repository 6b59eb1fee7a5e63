import { getLink, targetSpecProblems } from '@oicf/core';
import { DEFAULT_METRIC_NAMES, METRIC_NAMES } from '@oicf/metrics';
import { z } from 'zod';
import { MODEL_NAMES } from '../runner/model-setup.js';

/**
 * The config keys every worker accepts (the apps' README and deploy/configs show examples). The launcher
 * writes the same shape for prefill and decode workers, so both apps parse this one schema and only
 * narrow `role`. Unknown keys are errors (strictObject); every field has a default except `workerId`.
 */

/** `<model>@<device>`: a catalog model paced to a catalog device, e.g. `llama-3.1-70b@h100`. */
const emulateSchema = z.string().superRefine((value, ctx) => {
  for (const message of targetSpecProblems(value)) ctx.addIssue({ code: 'custom', message });
});

const poolSchema = z.strictObject({
  /** `host:port` of the pool's KvPool gRPC service. */
  grpcAddress: z.string().min(1),
  /** `ws://host:port` of the pool's data plane. */
  wsAddress: z.string().regex(/^wss?:\/\//, 'must be a ws:// URL'),
});

const port = z.number().int().min(0).max(65_535).default(0);

export const workerConfigSchema = z.strictObject({
  /** Unique, stable across restarts, e.g. "decode-0". */
  /** The router's Register accepts only these ids (apps/router/src/core/registration.ts). */
  workerId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1–128 characters of [A-Za-z0-9._:-]'),
  role: z.enum(['prefill', 'decode', 'both']),
  host: z.string().default('127.0.0.1'),
  /** Tiny model the worker really runs: tiny-{mha,gqa,mqa,mla,moe} or micro-{…} (tests). */
  model: z.enum(MODEL_NAMES).default('tiny-gqa'),
  weightPrecision: z.enum(['fp32', 'int8']).default('fp32'),
  /** Seed of the deterministic weights: every worker of a cluster must use the same. */
  seed: z.number().int().min(0).default(1),
  /** onnxruntime intra-op threads. */
  threads: z.number().int().min(1).max(64).default(1),
  /** Tokens per KV block (hash-chain granularity; must match the router and pool). */
  blockTokens: z.number().int().min(1).max(4096).default(64),
  /** `host:port` of the router's Registry; "" runs standalone (ready at once, never registers). */
  routerGrpcAddress: z.string().default(''),
  /**
   * Seconds the router may stay unreachable before this worker drains and exits instead of running
   * orphaned (a supervised router comes back well within it); 0 = wait forever.
   */
  routerGraceSeconds: z.number().min(0).default(60),
  pool: poolSchema.optional(),
  /** KV memory the worker may fill (its "HBM"); replaced by the emulated device's capacity under `emulate`. */
  kvCapacityBytes: z
    .number()
    .int()
    .min(1)
    .default(256 * 1024 * 1024),
  /** Most sequences decoded in one step. */
  maxBatch: z.number().int().min(1).max(256).default(16),
  /**
   * Decode graphs built before the worker reports ready: batch 1 … this (capped at maxBatch; default maxBatch),
   * both forms (short and tiled context) of each, as vLLM captures its CUDA graphs at start. A graph not built
   * here is built by the first step that needs it, stalling every sequence on the worker for that step
   * (≈ 0.1 s + 21 ms per sequence on this machine: bench/results/sim-fidelity-r8-tpot). 1 = the old behaviour.
   */
  warmBatches: z.number().int().min(1).max(256).optional(),
  emulate: emulateSchema.optional(),
  /** Catalog link id whose bandwidth paces KV transfers under `emulate`. */
  emulateLink: z
    .string()
    .superRefine((id, ctx) => {
      const link = getLink(id);
      if (!link.ok) ctx.addIssue({ code: 'custom', message: link.error.message });
    })
    .default('rdma-400g'),
  /**
   * Measured OI: probe an engine step's kernel traffic at most this often (seconds; onnxruntime profile of
   * one more run of its graph). Off when absent: arming a probe blocks the event loop for 0.1–3 s.
   */
  trafficProbeEverySeconds: z.number().positive().optional(),
  /** Default agent-session retention for blocks offered to the pool when a request names none. */
  sessionTtlSeconds: z.number().min(0).default(300),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Anchor metric names on /metrics: this project's, vLLM's (`vllm:*`, what llm-d reads per pod), or both. */
  metricNames: z.enum(METRIC_NAMES).default(DEFAULT_METRIC_NAMES),
  httpPort: port,
  grpcPort: port,
  wsPort: port,
  /** Longest local prefill chunk per engine step (bounds decode stalls). */
  maxPrefillTokensPerStep: z.number().int().min(1).default(512),
  /** Longest sequence (prompt + output) accepted; also the RoPE table length. */
  maxTokensPerSequence: z.number().int().min(2).max(65_536).default(8192),
  /** Decode: how long received kv.handoff frames wait for their Decode call before they are dropped. */
  handoffTtlSeconds: z.number().positive().default(30),
  /** Caps on handoffs no Decode call claimed yet (decode workers): payload bytes, and open handoffs. */
  handoffMaxBufferedBytes: z
    .number()
    .int()
    .min(1)
    .default(256 * 1024 * 1024),
  handoffMaxOpen: z.number().int().min(1).default(1024),
  /** Requests a decode worker holds at once, running and queued (past it: RESOURCE_EXHAUSTED at once). */
  maxActiveSequences: z.number().int().min(1).default(1024),
  /** Decode: default wait for kv.handoff frames when a Decode call sets kv_wait_seconds = 0. */
  kvWaitSeconds: z.number().positive().default(30),
  /** Pool / peer data-plane operations (connect, get, put) fail after this long. */
  transferTimeoutSeconds: z.number().positive().default(30),
  /**
   * Same-host KV bytes through shared memory (docs/architecture.md "KV bytes"): pool gets and puts through
   * the pool's arena, handoffs through this worker's staging segment of `stagingBytes` under `dir`. The
   * handshake falls back to bytes in frames wherever the peer is not on this host.
   */
  shm: z
    .strictObject({
      enabled: z.boolean().default(true),
      dir: z.string().min(1).default('/dev/shm/oicf'),
      stagingBytes: z
        .number()
        .int()
        .positive()
        .default(256 * 1024 * 1024),
    })
    .default({ enabled: true, dir: '/dev/shm/oicf', stagingBytes: 256 * 1024 * 1024 }),
});

export type WorkerConfig = z.output<typeof workerConfigSchema>;
export type WorkerRole = WorkerConfig['role'];

/**
 * The same schema with `role` restricted to the roles an app can play (a prefill app cannot decode),
 * checked as a field so a wrong role is listed together with every other bad field.
 */
export function workerConfigSchemaFor<R extends WorkerRole>(roles: readonly [R, ...R[]]) {
  return workerConfigSchema.extend({ role: z.enum(roles) });
}
