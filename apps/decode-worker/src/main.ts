import process from 'node:process';
import { LocalBlockCache } from '@oicf/kv';
import { ShmPeers } from '@oicf/pool-client';
import { type DecodeWorkerHandlers, loadProto } from '@oicf/proto';
import {
  defineService,
  exitWithParentFromEnv,
  isRequestPlaneKind,
  PlaneSessions,
  type RunningService,
  realClock,
  startService,
} from '@oicf/transport';
import { bootWorker, loopCpuMeter, PayloadPool, type Registration, startRegistration, thisMachine } from '@oicf/worker';
import { decodeWorkerConfigSchema } from './config.js';
import { dataPlaneHandler } from './data-plane.js';
import { DecodeLoop, type DecodeLoopPart } from './decode-loop.js';
import { DecodeService } from './decode-service.js';
import { FinishedBlocks } from './finished-blocks.js';
import { HandoffStore } from './handoff-store.js';
import { LandedPrompts } from './landed-prompts.js';
import { createDecodeMetrics } from './metrics.js';
import { PrefixWaiters } from './prefix-waiters.js';
import { decodePlaneHandler } from './request-plane.js';

/** Seconds the handoff payload slab stays after it went idle (new pages cost a fault each; payload-pool.ts). */
const SLAB_TRIM_AFTER_SECONDS = 10;

// Wiring only: config → runtime (kernels, pacing, metrics, clients) → engine loop, KV stores → services.
let loop: DecodeLoop | undefined;
const { config, log, rt } = bootWorker(decodeWorkerConfigSchema, 'decode-worker', 'OICF_DECODE_WORKER_', process, {
  component: 'decode',
  clock: realClock,
  thisMachine: thisMachine(),
  onRelease: (seqId, kv) => loop?.handleRelease(seqId, kv),
});
{
  // Every decode batch shape's graphs before ready, not in the middle of someone's stream (config.warmBatches).
  const upTo = Math.min(config.warmBatches ?? config.maxBatch, config.maxBatch);
  const t0 = performance.now();
  log.info('building decode graphs', { batches: `1…${upTo}` });
  // One batch size at a time, each logged: the launcher's start timeout counts from the latest log line.
  for (let batch = 1; batch <= upTo; batch++) {
    await rt.kernel.warm([batch]);
    log.info('decode graphs built', { batch, of: upTo });
  }
  // Each batch size's two sessions hold their own copy of the weights (≈ 62–70 MiB each for tiny-gqa, measured in
  // packages/kernels/bench/results/warm-r9.md): the resident size after this is what a memory limit must cover.
  log.info('decode graphs ready', {
    batches: `1…${upTo}`,
    seconds: Number(((performance.now() - t0) / 1000).toFixed(2)),
    rssMiB: Math.round(process.memoryUsage.rss() / 2 ** 20),
  });
}
const dm = createDecodeMetrics(rt.wm, { metricNames: config.metricNames, modelName: config.model });
const cache = new LocalBlockCache();
const sessions = new Map<string, { sessionId: string; ttlSeconds: number }>();
const handoffs = new HandoffStore({
  clock: realClock,
  kvBytesPerToken: rt.model.kvBytesPerToken,
  ttlSeconds: config.handoffTtlSeconds,
  // The payload slab goes back to the OS 10 s after the last handoff left it (payload-pool.ts).
  pool: new PayloadPool(undefined, SLAB_TRIM_AFTER_SECONDS),
  maxUnclaimedBytes: config.handoffMaxBufferedBytes,
  maxUnclaimedHandoffs: config.handoffMaxOpen,
  onVerified: (bytes) => rt.wm.kvReceived.inc({ link: 'prefill->decode' }, bytes),
  onRejected: (requestId, error) => {
    if (error.code === 'CHECKSUM_MISMATCH') rt.wm.checksumFailures.inc({ link: 'prefill->decode' });
    rt.wm.handoffs.inc({ outcome: 'rejected' });
    log.warn('rejected a kv.handoff frame', { requestId, code: error.code, error: error.message });
  },
  onExpired: (requestId, bytes) => {
    rt.wm.handoffs.inc({ outcome: 'expired' });
    log.warn('dropped an unclaimed KV handoff', { requestId, bytes });
  },
});
const waiters = new PrefixWaiters(cache);
const finished = new FinishedBlocks(
  rt,
  cache,
  () => rt.kvCapacityBytes - (loop?.engine.kvBytesUsed ?? 0),
  () => waiters.notify(),
);
const prompts = new LandedPrompts(rt, finished, waiters, dm, sessions);
loop = new DecodeLoop(rt, {
  kvCapacityBytes: rt.kvCapacityBytes,
  onFinished: (seqId, tokens, kv) => {
    const s = sessions.get(seqId);
    const t0 = performance.now();
    finished.keep(tokens, kv, { sessionId: s?.sessionId ?? '', ttlSeconds: s?.ttlSeconds ?? 0 });
    dm.mainThreadSeconds.inc({ work: 'finished_keep' }, (performance.now() - t0) / 1000);
  },
  afterStep: (used) => {
    cache.shrinkTo(rt.kvCapacityBytes - used);
    dm.anchors.numRequestsRunning.set({ model_name: config.model }, loop?.engine.numRunning ?? 0);
    dm.anchors.numRequestsWaiting.set({ model_name: config.model }, loop?.engine.numWaiting ?? 0);
    dm.anchors.kvCacheUsageRatio.set({ model_name: config.model }, used / rt.kvCapacityBytes);
    dm.cacheBytes.set(cache.bytes);
    dm.cacheBlocks.set(cache.numBlocks);
    rt.wm.queueDepth.set(loop?.engine.numQueuedPrefillTokens ?? 0);
  },
  onPreempt: () => {
    rt.wm.preemptions.inc();
    dm.anchors.numPreemptions.inc({ model_name: config.model });
  },
  onLoopTimes: (t) => {
    const labels = { phase: t.phase, batch: t.batch >= 4 ? '4+' : String(t.batch) };
    dm.loopFlushSeconds.observe(labels, t.flushSeconds);
    dm.loopTurnSeconds.observe(labels, t.turnSeconds);
  },
  onFirstStep: (_seqId, waitSeconds) => dm.firstStepWaitSeconds.observe(waitSeconds),
  cpu: loopCpuMeter<DecodeLoopPart>(rt.wm),
});
loop.start();
let registration: Registration | undefined;
const decoder = new DecodeService(rt, {
  loop,
  cache,
  handoffs,
  finished,
  prompts,
  dm,
  sessions,
  // Draining: on the router's directive, or shutting down (the request plane, unlike a gRPC server, takes
  // frames on open connections while the service drains: new requests are refused, running ones finish).
  isDraining: () => (registration?.draining ?? false) || service?.state() === 'draining',
});
const planeSessions = new PlaneSessions();
const requestPlane = decodePlaneHandler(decoder, planeSessions);
const dataPlane = dataPlaneHandler({
  handoffs,
  cache,
  wm: rt.wm,
  shm: new ShmPeers({ enabled: config.shm.enabled }),
  count: (path, bytes) => rt.kvPath(path, 'prefill->decode', bytes),
  onReceiveSeconds: (seconds) => dm.mainThreadSeconds.inc({ work: 'handoff_receive' }, seconds),
});
const expiry = setInterval(
  () => {
    handoffs.expire();
    dm.handoffBufferedBytes.set(handoffs.bufferedBytes);
  },
  Math.min(1, config.handoffTtlSeconds / 2) * 1000,
);
expiry.unref();

let service: RunningService | undefined;
service = await startService({
  name: 'decode-worker',
  host: config.host,
  httpPort: config.httpPort,
  metrics: rt.wm.metrics.registry,
  grpc: {
    port: config.grpcPort,
    services: [
      defineService<DecodeWorkerHandlers>(loadProto().DecodeWorker.service, {
        Decode: (req, write, ctx) => decoder.decode(req, write, ctx),
        Cancel: (req) => decoder.cancel(req),
      }),
    ],
  },
  // One ws port, two planes: the router's request plane (decode, cancel, credits) and the KV data plane
  // (kv.hello shared-memory handshakes and kv.handoff from prefill workers, kv.get from peers).
  ws: {
    port: config.wsPort,
    onFrame: (frame, conn) => (isRequestPlaneKind(frame.kind) ? requestPlane(frame, conn) : dataPlane(frame, conn)),
  },
  isReady: () => registration?.ready ?? true,
  onShutdown: async () => {
    clearInterval(expiry);
    await registration?.stop();
    await loop?.stop();
    await finished.settled();
    await rt.close();
  },
});
registration = startRegistration(rt, service.endpoints, () => ({
  numRunningSequences: loop?.engine.numRunning ?? 0,
  numWaitingSequences: (loop?.engine.numWaiting ?? 0) + decoder.numGathering,
  kvUsedBytes: loop?.engine.kvBytesUsed ?? 0,
  kvCapacityBytes: rt.kvCapacityBytes,
  ...rt.recorder.loadSpeeds(),
}));
exitWithParentFromEnv(process.env, () => service.shutdown('parent process exited'));
log.info('decode worker ready', {
  model: config.model,
  role: config.role,
  kvCapacityBytes: rt.kvCapacityBytes,
  emulate: config.emulate ?? null,
  endpoints: service.endpoints,
});
