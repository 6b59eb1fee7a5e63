import { createMetrics, ITERATION_TOKENS_BUCKETS, KV_TRANSFER_SECONDS_BUCKETS, type OicfMetrics } from '@oicf/metrics';

/**
 * The metrics both workers export (`oicf_prefill_*` / `oicf_decode_*`, docs/metrics.md). Every series
 * carries `component`, `worker_id` and `model`. Links name the direction KV moved:
 *   prefill->decode  kv.handoff frames        pool->worker  kv.get from the pool
 *   worker->pool     kv.put offers            worker->worker  kv.get served from a decode worker's cache
 */
export type WorkerComponent = 'prefill' | 'decode';
export type KvLink = 'prefill->decode' | 'pool->worker' | 'worker->pool' | 'worker->worker';
export type Phase = 'prefill' | 'decode';

/** Step durations from ~0.1 ms (a tiny decode step) to 10 s (a paced long prefill). */
export const STEP_SECONDS_BUCKETS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
export const BATCH_SEQUENCES_BUCKETS: readonly number[] = [1, 2, 4, 8, 16, 32, 64, 128, 256];

export function createWorkerMetrics(component: WorkerComponent, labels: { workerId: string; model: string }) {
  const metrics: OicfMetrics = createMetrics({
    component,
    defaultMetrics: true,
    labels: { worker_id: labels.workerId, model: labels.model },
  });
  return {
    metrics,
    steps: metrics.counter({
      name: 'executed',
      unit: 'steps',
      help: 'Kernel steps run, by phase.',
      labelNames: ['phase'],
    }),
    stepSeconds: metrics.histogram({
      name: 'step',
      unit: 'seconds',
      help: 'Duration of one step as the cluster sees it (kernel time plus emulation pacing), by phase.',
      labelNames: ['phase'],
      buckets: STEP_SECONDS_BUCKETS,
    }),
    stepTokens: metrics.histogram({
      name: 'step',
      unit: 'tokens',
      help: 'Tokens processed by one step (prefill: new tokens; decode: batch).',
      labelNames: ['phase'],
      buckets: ITERATION_TOKENS_BUCKETS,
    }),
    batchSize: metrics.histogram({
      name: 'batch',
      unit: 'sequences',
      help: 'Sequences in one step.',
      labelNames: ['phase'],
      buckets: BATCH_SEQUENCES_BUCKETS,
    }),
    countedIntensity: metrics.gauge({
      name: 'counted_intensity',
      unit: 'flops_per_byte',
      help: 'Counted operational intensity of a recent step: counted FLOPs ÷ counted weight + KV bytes of the graph run (a count, not a measurement).',
      labelNames: ['phase'],
    }),
    measuredIntensity: metrics.gauge({
      name: 'measured_intensity',
      unit: 'flops_per_byte',
      help: 'Measured operational intensity of a probed step: counted FLOPs ÷ bytes its executed kernels moved (onnxruntime profile of one more run of the same graph, plus the weights read). Only when traffic probes are on.',
      labelNames: ['phase'],
    }),
    measuredBandwidth: metrics.gauge({
      name: 'measured_bandwidth',
      unit: 'bytes_per_second',
      help: 'Bytes the kernels of a probed step moved ÷ its measured session.run time. Only when traffic probes are on.',
      labelNames: ['phase'],
    }),
    predictedIntensity: metrics.gauge({
      name: 'predicted_intensity',
      unit: 'flops_per_byte',
      help: '@oicf/core analytic OI of the last step of this model at the same shape.',
      labelNames: ['phase'],
    }),
    capacityFootprint: metrics.gauge({
      name: 'capacity_footprint',
      unit: 'bytes',
      help: 'Capacity footprint of this worker: KV bytes per running sequence.',
    }),
    regimeSteps: metrics.counter({
      name: 'regime',
      unit: 'steps',
      help: 'Steps by @oicf/core regime, classified on this machine or the emulated device.',
      labelNames: ['phase', 'regime', 'device'],
    }),
    kvSent: metrics.counter({
      name: 'kv_sent',
      unit: 'bytes',
      help: 'KV payload bytes sent, by link.',
      labelNames: ['link'],
    }),
    kvReceived: metrics.counter({
      name: 'kv_received',
      unit: 'bytes',
      help: 'KV payload bytes received and verified, by link.',
      labelNames: ['link'],
    }),
    kvTransferSeconds: metrics.histogram({
      name: 'kv_transfer',
      unit: 'seconds',
      help: 'Time of one KV transfer (a handoff, a pool get or put batch), by link, pacing included.',
      labelNames: ['link'],
      buckets: KV_TRANSFER_SECONDS_BUCKETS,
    }),
    prefixReused: metrics.counter({
      name: 'prefix_reused',
      unit: 'tokens',
      help: 'Prompt tokens of a request this worker prefills whose KV came from a cache instead of being computed, by source (local, pool, peer).',
      labelNames: ['source'],
    }),
    computedTokens: metrics.counter({
      name: 'computed',
      unit: 'tokens',
      help: 'Prompt tokens whose KV this worker computed for the request it prefills (each prompt token once; recomputation is counted apart).',
    }),
    recomputedTokens: metrics.counter({
      name: 'recomputed',
      unit: 'tokens',
      help: 'Tokens whose KV this worker computed again, by reason: preemption (a preempted sequence is prefilled anew), handoff (a handoff gap or a rejected handoff).',
      labelNames: ['reason'],
    }),
    handoffs: metrics.counter({
      name: 'handoff',
      unit: 'requests',
      help: 'KV handoffs by outcome.',
      labelNames: ['outcome'],
    }),
    preemptions: metrics.counter({
      name: 'preempted',
      unit: 'sequences',
      help: 'Running sequences evicted to make room (recomputed later).',
    }),
    checksumFailures: metrics.counter({
      name: 'checksum_failed',
      unit: 'blocks',
      help: 'Received KV blocks rejected by their XXH32 checksum (counted as misses), by link.',
      labelNames: ['link'],
    }),
    blockMisses: metrics.counter({
      name: 'kv_miss',
      unit: 'blocks',
      help: 'KV blocks asked for and not usable (missing, failed, wrong identity or size), by link.',
      labelNames: ['link', 'reason'],
    }),
    emulationSleep: metrics.counter({
      name: 'emulation_sleep',
      unit: 'seconds',
      help: 'Time slept to pace real work to the emulated target, by kind (step, transfer).',
      labelNames: ['kind'],
    }),
    emulationInfo: metrics.gauge({
      name: 'emulation',
      unit: 'info',
      help: 'The emulated target (value 1) when this worker paces its steps to one: the target model@device.',
      labelNames: ['target'],
    }),
    emulationPacedSteps: metrics.counter({
      name: 'emulation_paced',
      unit: 'steps',
      help: 'Steps paced to the emulated target, by phase.',
      labelNames: ['phase'],
    }),
    emulationUnderrunSteps: metrics.counter({
      name: 'emulation_underrun',
      unit: 'steps',
      help: "Paced steps whose real time already exceeded the target's (nothing to sleep: they ran at this machine's speed, slower than the target), by phase.",
      labelNames: ['phase'],
    }),
    emulationStepSleepSeconds: metrics.counter({
      name: 'emulation_step_sleep',
      unit: 'seconds',
      help: 'Time slept pacing steps to the emulated target, by phase (the rest of step_seconds is real work).',
      labelNames: ['phase'],
    }),
    loopCpuSeconds: metrics.counter({
      name: 'loop_cpu',
      unit: 'seconds',
      help: "Process CPU (all threads, user and system apart) spent while the worker's loop was in a part: decode worker idle, turn (between a step's flush and the next step), step or step_after_wait (the engine's step, its kernel; after_wait: the loop waited idle or slept pacing just before), pace (classifying, sleeping to the emulated target, recording), flush; prefill worker between (waiting for and taking a request), fetch, kernel, pace (the same), send. A measurement only.",
      labelNames: ['part', 'kind'],
    }),
    loopWallSeconds: metrics.counter({
      name: 'loop_wall',
      unit: 'seconds',
      help: "Wall time the worker's loop spent in each part (the parts of loop_cpu_seconds).",
      labelNames: ['part'],
    }),
    loopIntervals: metrics.counter({
      name: 'loop_part',
      unit: 'steps',
      help: "Times the worker's loop went through each part (the parts of loop_cpu_seconds), one per step or prefill: e.g. decode steps that followed a wait (step_after_wait) or not (step).",
      labelNames: ['part'],
    }),
    queueDepth: metrics.gauge({
      name: 'queue_depth',
      unit: 'tokens',
      help: 'Prompt tokens waiting to be prefilled on this worker.',
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
