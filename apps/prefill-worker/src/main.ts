import process from 'node:process';
import { loadProto, type PrefillRequest__Output, type PrefillResponse, type PrefillWorkerHandlers } from '@oicf/proto';
import {
  defineService,
  exitWithParentFromEnv,
  PlaneSessions,
  type RunningService,
  realClock,
  startService,
  toOicfError,
} from '@oicf/transport';
import { bootWorker, type Registration, startRegistration, thisMachine } from '@oicf/worker';
import { prefillWorkerConfigSchema } from './config.js';
import { createPrefillMetrics } from './metrics.js';
import { type PrefillCall, PrefillCore } from './prefill-core.js';
import { prefillPlaneHandler } from './request-plane.js';

// Wiring only: config → runtime (kernels, pacing, metrics, clients) → PrefillCore → the request plane (ws) and
// gRPC Prefill.
const { config, log, rt } = bootWorker(prefillWorkerConfigSchema, 'prefill-worker', 'OICF_PREFILL_WORKER_', process, {
  component: 'prefill',
  clock: realClock,
  thisMachine: thisMachine(),
});
await rt.kernel.warm([]); // build the prefill session before announcing readiness
let registration: Registration | undefined;
// Draining on the router's directive, or while shutting down (new request-plane frames are refused then).
const core = new PrefillCore(rt, () => (registration?.draining ?? false) || service?.state() === 'draining');
const pm = createPrefillMetrics(rt.wm, {
  metricNames: config.metricNames,
  modelName: config.model,
  load: () => ({
    numRunning: core.queue.busy ? 1 : 0,
    numWaiting: core.queue.numWaiting,
    kvUsedBytes: core.kvBytesUsed(),
    kvCapacityBytes: rt.kvCapacityBytes,
  }),
});

/** One prefill with its metrics, for gRPC Prefill and the request plane alike. */
async function runPrefill(req: PrefillRequest__Output, call: PrefillCall): Promise<PrefillResponse> {
  const t0 = realClock.nowSeconds();
  try {
    const res = await core.prefill(req, call);
    pm.requests.inc({ outcome: 'ok' });
    pm.queueSeconds.observe(Number(res.timings?.queueSeconds ?? 0));
    return res;
  } catch (err) {
    const e = toOicfError(err);
    pm.requests.inc({ outcome: e.code });
    log.warn('prefill failed', { requestId: req.requestId, code: e.code, error: e.message });
    throw e;
  } finally {
    pm.requestSeconds.observe(realClock.nowSeconds() - t0);
  }
}

let service: RunningService | undefined;
service = await startService({
  name: 'prefill-worker',
  host: config.host,
  httpPort: config.httpPort,
  metrics: rt.wm.metrics.registry,
  grpc: {
    port: config.grpcPort,
    services: [
      defineService<PrefillWorkerHandlers>(loadProto().PrefillWorker.service, {
        Prefill: (req, ctx) => runPrefill(req, ctx),
      }),
    ],
  },
  ws: { port: config.wsPort, onFrame: prefillPlaneHandler(runPrefill, new PlaneSessions()) },
  isReady: () => registration?.ready ?? true,
  onShutdown: async () => {
    await registration?.stop();
    await rt.close();
  },
});
registration = startRegistration(rt, service.endpoints, () => ({
  numRunningSequences: core.queue.busy ? 1 : 0,
  numWaitingSequences: core.queue.numWaiting,
  kvUsedBytes: core.kvBytesUsed(),
  kvCapacityBytes: rt.kvCapacityBytes,
  ...rt.recorder.loadSpeeds(), // decode figures stay 0: this worker never decodes
}));
exitWithParentFromEnv(process.env, () => service.shutdown('parent process exited'));
log.info('prefill worker ready', {
  model: config.model,
  emulate: config.emulate ?? null,
  endpoints: service.endpoints,
});
