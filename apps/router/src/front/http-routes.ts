// The router's HTTP routes (served by startService next to /metrics, /healthz, /readyz): the OpenAI-
// compatible API, vLLM's utility routes (vllm-routes.ts) and the registry view `oicf cluster status` reads.
// What none of them matches is answered by fallback-routes.ts (`/v1/models/{id}`, 404, 405).
import type { HttpRoute } from '@oicf/transport';
import { longestSequenceTokens } from '../core/context-window.js';
import { dashboardRoutes } from '../dashboard/routes.js';
import type { WorkerRegistry } from '../registry/registry.js';
import { generateRoute, type HttpGenerateDeps } from './http-generate.js';
import { modelList } from './model-routes.js';
import { sendJson } from './send-json.js';
import { vllmRoutes } from './vllm-routes.js';

/** The context limit from the registered workers (core/context-window.ts). */
export function registryContextTokens(registry: WorkerRegistry, kvBytesPerToken: number): () => number | undefined {
  return () =>
    longestSequenceTokens(
      registry.table.entries().map((e) => ({
        role: e.registration.role,
        maxContextTokens: e.registration.maxContextTokens,
        kvCapacityBytes: e.load?.kvCapacityBytes || e.registration.kvCapacityBytes,
      })),
      kvBytesPerToken,
    );
}

export function httpRoutes(
  deps: HttpGenerateDeps & {
    registry: WorkerRegistry;
    /** The configured pool, listed by GET /v1/oicf/workers so scrapers find its /metrics. */
    pool?: { grpcAddress: string; wsAddress: string; httpAddress?: string } | undefined;
  },
): Record<string, HttpRoute> {
  return {
    ...dashboardRoutes(deps), // GET /dashboard, /dashboard/events, /dashboard/snapshot, /v1/oicf/sd
    'GET /v1/models': (_req, res) => sendJson(res, 200, modelList(deps.limits.servedModel, deps.contextTokens())),
    ...vllmRoutes({
      servedModel: deps.limits.servedModel,
      maxBodyBytes: deps.maxBodyBytes,
      maxModelLen: () => deps.contextTokens() ?? deps.limits.maxPromptTokens,
    }),
    'POST /v1/completions': generateRoute('completion', deps),
    'POST /v1/chat/completions': generateRoute('chat', deps),
    'GET /v1/oicf/events': (req, res) =>
      sendJson(
        res,
        200,
        deps.registry.events.since(Number(new URL(req.url ?? '/', 'http://x').searchParams.get('after'))),
      ),
    'GET /v1/oicf/workers': (_req, res) => {
      const now = deps.clock.nowSeconds();
      const workers = deps.registry.table.entries().map((e) => {
        const r = e.registration;
        return {
          worker_id: r.workerId,
          role: r.role,
          healthy: deps.registry.isHealthy(e),
          failure: e.failure ?? null,
          grpc_address: r.grpcAddress,
          ws_address: r.wsAddress,
          http_address: r.httpAddress,
          model_id: r.modelId,
          device_id: r.deviceId,
          emulated_model_id: r.emulatedModelId,
          capacity: {
            kv_capacity_bytes: r.kvCapacityBytes,
            max_batch: r.maxBatch,
            max_context_tokens: r.maxContextTokens,
          },
          registered_seconds_ago: now - e.registeredAtSeconds,
          last_heartbeat_seconds_ago: now - e.lastSeenSeconds,
          load:
            e.load === undefined
              ? null
              : {
                  num_running_sequences: e.load.numRunningSequences,
                  num_waiting_sequences: e.load.numWaitingSequences,
                  kv_used_bytes: e.load.kvUsedBytes,
                  kv_capacity_bytes: e.load.kvCapacityBytes,
                  prefill_seconds_per_token: e.load.prefillSecondsPerToken,
                  prefill_fixed_seconds: e.load.prefillFixedSeconds,
                  decode_step_seconds: e.load.decodeStepSeconds,
                  prefill_intensity_flops_per_byte: e.load.prefillIntensityFlopsPerByte,
                  decode_intensity_flops_per_byte: e.load.decodeIntensityFlopsPerByte,
                },
        };
      });
      const pool = deps.pool;
      sendJson(res, 200, {
        object: 'list',
        data: workers,
        pool:
          pool === undefined
            ? null
            : { grpc_address: pool.grpcAddress, ws_address: pool.wsAddress, http_address: pool.httpAddress ?? '' },
      });
    },
  };
}
