import process from 'node:process';
import { loadProto, type PrefillWorkerHandlers } from '@oicf/proto';
import { defineService, exitWithParentFromEnv, OicfError, realClock, startService, toOicfError } from '@oicf/transport';
import { bootWorker, type Registration, startRegistration, thisMachine } from '@oicf/worker';
import { prefillWorkerConfigSchema } from './config.js';
import { createPrefillMetrics } from './metrics.js';
import { PrefillCore } from './prefill-core.js';

// Wiring only: config → runtime (kernels, pacing, metrics, clients) → PrefillCore → gRPC service.
const { config, log, rt } = bootWorker(prefillWorkerConfigSchema, 'prefill-worker', 'OICF_PREFILL_WORKER_', process, {
  component: 'prefill',
  clock: realClock,
  thisMachine: thisMachine(),
});
await rt.kernel.warm([]); // build the prefill session before announcing readiness
let registration: Registration | undefined;
const core = new PrefillCore(rt, () => registration?.draining ?? false);
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

const service = await startService({
  name: 'prefill-worker',
  host: config.host,
  httpPort: config.httpPort,
  metrics: rt.wm.metrics.registry,
  grpc: {
    port: config.grpcPort,
    services: [
      defineService<PrefillWorkerHandlers>(loadProto().PrefillWorker.service, {
        Prefill: async (req, ctx) => {
          const t0 = realClock.nowSeconds();
          try {
            const res = await core.prefill(req, ctx);
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
        },
      }),
    ],
  },
  ws: {
    port: config.wsPort,
    onFrame: (frame) => {
      throw new OicfError(
        'UNIMPLEMENTED',
        `a prefill worker accepts no ${frame.kind} frames: it pushes KV, it does not hold any`,
      );
    },
  },
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
