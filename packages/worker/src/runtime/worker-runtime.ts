import type { DeviceSpec } from '@oicf/core';
import { type EmulationTarget, emulationTarget, kvCapacityTokens } from '@oicf/core';
import { KernelRunner } from '@oicf/kernels';
import { type BlockChannels, PoolControl, ShmLinks, ShmStaging, shmBlockChannels } from '@oicf/pool-client';
import type { RegisterRequest } from '@oicf/proto';
import { type Clock, WsClientPool } from '@oicf/transport';
import type { WorkerConfig } from '../config/worker-config.js';
import { Pacer } from '../emulation/pacer.js';
import { StepAnalyzer } from '../emulation/step-analyzer.js';
import type { HandoffShm } from '../kv/handoff-sender.js';
import { kvPathCounter } from '../kv/kv-path-metrics.js';
import { PayloadPool } from '../kv/payload-pool.js';
import { StepRecorder } from '../metrics/step-recorder.js';
import { createWorkerMetrics, type WorkerComponent, type WorkerMetrics } from '../metrics/worker-metrics.js';
import { KernelStepRunner } from '../runner/kernel-step-runner.js';
import { type ModelSetup, modelSetup } from '../runner/model-setup.js';
import type { Logger } from '../util/logger.js';

/**
 * Bytes of the slab prefix fetches reuse: untouched pages cost nothing; the pages a fetch touched stay this
 * worker's (the largest prefix fetched at once, rounded to chunk classes). A fetch beyond it reads the rest into
 * plain buffers, left to the garbage collector (payload-pool.ts).
 */
export const PREFIX_STAGING_BYTES = 64 * 1024 * 1024;

/** Everything a worker process builds from its config before it starts serving. */
export interface WorkerRuntime {
  readonly config: WorkerConfig;
  readonly model: ModelSetup;
  readonly kernel: KernelRunner;
  readonly steps: KernelStepRunner;
  readonly emulation: EmulationTarget | undefined;
  readonly pacer: Pacer;
  readonly analyzer: StepAnalyzer;
  readonly recorder: StepRecorder;
  readonly wm: WorkerMetrics;
  readonly clock: Clock;
  readonly log: Logger;
  /** Data-plane connections to the pool and peers (KV handoffs use them directly). */
  readonly wsClients: WsClientPool;
  /** Block get/put to the pool and peers, over those connections (@oicf/pool-client). */
  readonly blockChannels: BlockChannels;
  /** Same-host KV handoffs (sendHandoff's `shm`): handshakes and this worker's staging segment. */
  readonly handoffShm: HandoffShm;
  /**
   * Memory prefix fetches read blocks into, reused from request to request (fetchPrefix's `staging`): the
   * blocks are imported from there and the chunks given back. At most PREFIX_STAGING_BYTES of it is reused.
   */
  readonly kvStaging: PayloadPool;
  /** Counts KV payload bytes by path (shm or ws) and link. */
  readonly kvPath: ReturnType<typeof kvPathCounter>;
  readonly poolControl: PoolControl | undefined;
  /**
   * KV bytes this worker may fill, in the tiny model's bytes: the configured kvCapacityBytes, or under
   * emulation the target domain's free tokens after weights × the tiny model's KV bytes per token.
   */
  readonly kvCapacityBytes: number;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  readonly component: WorkerComponent;
  readonly clock: Clock;
  readonly log: Logger;
  /** "This machine" for regime classification (calibrated when a calibration exists). */
  readonly thisMachine: DeviceSpec;
  /** Passed to the step runner (the decode worker keeps finished sequences' KV from here). */
  readonly onRelease?: ConstructorParameters<typeof KernelStepRunner>[1]['onRelease'];
}

export function createWorkerRuntime(config: WorkerConfig, options: RuntimeOptions): WorkerRuntime {
  const model = modelSetup(config.model, config.weightPrecision, config.seed, config.maxTokensPerSequence);
  const kernel = new KernelRunner({
    config: model.config,
    intraOpNumThreads: config.threads,
    maxTokensPerSequence: config.maxTokensPerSequence,
  });
  const steps = new KernelStepRunner(kernel, {
    defaultMaxTokens: config.maxTokensPerSequence,
    ...(options.onRelease !== undefined ? { onRelease: options.onRelease } : {}),
    ...(config.trafficProbeEverySeconds !== undefined ? { trafficEverySeconds: config.trafficProbeEverySeconds } : {}),
  });
  const emulation = config.emulate === undefined ? undefined : emulationTarget(config.emulate, config.emulateLink);
  const wm = createWorkerMetrics(options.component, { workerId: config.workerId, model: config.model });
  const pacer = new Pacer(
    emulation,
    options.clock,
    (e) => wm.emulationSleep.inc({ kind: e.kind }, e.sleepSeconds),
    (s) => {
      wm.emulationPacedSteps.inc({ phase: s.phase });
      if (s.underrun) wm.emulationUnderrunSteps.inc({ phase: s.phase });
      wm.emulationStepSleepSeconds.inc({ phase: s.phase }, s.sleepSeconds);
    },
  );
  if (config.emulate !== undefined) wm.emulationInfo.set({ target: config.emulate }, 1);
  const analyzer = new StepAnalyzer(model.config, options.thisMachine, pacer, emulation?.device.id);
  const recorder = new StepRecorder(wm, analyzer, () => options.clock.nowSeconds());
  const wsClients = new WsClientPool({ connectTimeoutSeconds: 5 });
  const kvPath = kvPathCounter(wm.metrics);
  const shm = config.shm;
  // One handshake per connection, shared by pool/peer block channels and handoffs: it offers this worker's
  // staging segment (what a decode worker reads handoffs from) and opens the peer's segments (the pool's
  // arena, read and written).
  const staging = new ShmStaging({ dir: shm.dir, dataBytes: shm.stagingBytes });
  const links = new ShmLinks({ enabled: shm.enabled, writable: true, offer: () => staging.owned() });
  const blockChannels = shmBlockChannels({
    connections: wsClients,
    links,
    count: (path, direction, n) => kvPath(path, direction === 'sent' ? 'worker->pool' : 'pool->worker', n),
  });
  const handoffShm: HandoffShm = {
    links,
    staging,
    count: (path, n) => kvPath(path, 'prefill->decode', n),
  };
  const poolControl = config.pool === undefined ? undefined : new PoolControl(config.pool.grpcAddress);
  const kvCapacityBytes =
    emulation === undefined ? config.kvCapacityBytes : kvCapacityTokens(emulation) * model.kvBytesPerToken;
  return {
    config,
    model,
    kernel,
    steps,
    emulation,
    pacer,
    analyzer,
    recorder,
    wm,
    clock: options.clock,
    log: options.log,
    wsClients,
    blockChannels,
    handoffShm,
    kvStaging: new PayloadPool(PREFIX_STAGING_BYTES),
    kvPath,
    poolControl,
    kvCapacityBytes,
    close: async () => {
      poolControl?.close();
      await wsClients.close();
      staging.close();
      await kernel.close();
    },
  };
}

const ROLE = { prefill: 'WORKER_ROLE_PREFILL', decode: 'WORKER_ROLE_DECODE', both: 'WORKER_ROLE_BOTH' } as const;

/** The Register request announcing this worker at its bound addresses. */
export function registerRequest(
  rt: WorkerRuntime,
  endpoints: { grpc: string; ws: string; http?: string },
): RegisterRequest {
  return {
    workerId: rt.config.workerId,
    role: ROLE[rt.config.role],
    grpcAddress: endpoints.grpc,
    wsAddress: endpoints.ws,
    httpAddress: endpoints.http ?? '',
    modelId: rt.config.model,
    capacity: {
      kvCapacityBytes: rt.kvCapacityBytes,
      maxBatch: rt.config.maxBatch,
      maxContextTokens: rt.config.maxTokensPerSequence,
    },
    deviceId: rt.emulation?.device.id ?? 'this-machine',
    emulatedModelId: rt.emulation?.model.id ?? '',
  };
}
