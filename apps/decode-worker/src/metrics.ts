import { type AnchorSet, createAnchorSet, type MetricNames } from '@oicf/metrics';
import type { WorkerMetrics } from '@oicf/worker';

/**
 * Decode-only series on top of the shared worker metrics (`oicf_decode_*`): the vLLM anchor metrics
 * (running/waiting, KV usage, token counters, prefix-cache queries and hits, preemptions, finished
 * requests, TTFT, inter-token, queue, prefill, decode and end-to-end time) under this project's names,
 * vLLM's names or both (`metricNames`, default both: per-pod scrapers such as llm-d read the decode
 * workers' `vllm:` series), and the local block cache. Series labelled by a known source, link, outcome,
 * phase or finish reason start at 0, so dashboards show 0 before the first request.
 */
/** 0.1 ms … 1 s: a flush is sub-millisecond, a turn that imports a large handoff takes tens of ms. */
const LOOP_SECONDS_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2, 0.5, 1,
];

export function createDecodeMetrics(
  wm: WorkerMetrics,
  options: { readonly metricNames: MetricNames; readonly modelName: string },
) {
  const m = wm.metrics;
  const anchors: AnchorSet = createAnchorSet(m, options.metricNames, { modelName: options.modelName });
  for (const source of ['local', 'pool', 'peer']) wm.prefixReused.inc({ source }, 0);
  for (const link of ['worker->pool', 'worker->worker']) wm.kvSent.inc({ link }, 0);
  for (const link of ['prefill->decode', 'pool->worker', 'worker->worker']) {
    wm.kvReceived.inc({ link }, 0);
    wm.checksumFailures.inc({ link }, 0);
  }
  for (const outcome of ['received', 'recomputed', 'expired', 'rejected']) wm.handoffs.inc({ outcome }, 0);
  for (const phase of ['prefill', 'decode']) wm.steps.inc({ phase }, 0);
  return {
    anchors,
    cacheBytes: m.gauge({ name: 'local_cache', unit: 'bytes', help: 'KV bytes held in the local block cache.' }),
    cacheBlocks: m.gauge({ name: 'local_cache', unit: 'blocks', help: 'Blocks held in the local block cache.' }),
    prefixWaits: m.counter({
      name: 'prefix_wait',
      unit: 'requests',
      help: 'Decode calls that waited for an in-flight prefix to land in the local block cache, by outcome (held, timeout, ended, cancelled).',
      labelNames: ['outcome'],
    }),
    // Measured where the decode loop's thread goes besides the steps (issue 12: what the twin must model between
    // a step's end and the next step's start). Observed once per loop iteration, by the step's phase and batch.
    loopFlushSeconds: m.histogram({
      name: 'loop_flush',
      unit: 'seconds',
      help: "Time the decode loop spent after a step's end (pacing included) handing its tokens to the sinks and updating gauges (flush + afterStep), by the step's phase and batch (1, 2, 3, 4+).",
      labelNames: ['phase', 'batch'],
      buckets: LOOP_SECONDS_BUCKETS,
    }),
    loopTurnSeconds: m.histogram({
      name: 'loop_turn',
      unit: 'seconds',
      help: "Time from the end of the decode loop's flush to the start of its next step: one event-loop turn, in which other callbacks run (kv.handoff receipts, Decode calls gathering and importing KV, request-plane I/O, timers), by the finished step's phase and batch.",
      labelNames: ['phase', 'batch'],
      buckets: LOOP_SECONDS_BUCKETS,
    }),
    mainThreadSeconds: m.counter({
      name: 'main_thread_work',
      unit: 'seconds',
      help: 'Measured wall seconds of synchronous work on the main thread besides the engine’s compute, by work: handoff_receive, kv_import and decode_call outside the engine’s step code, in a loop turn or while a step awaits its kernels (a kv.handoff frame checked and copied; a Decode call importing gathered KV into the runner; a Decode call’s checks and prompt block hashes before it gathers), finished_keep inside a step, as the engine finishes a sequence (its blocks copied into the local cache and offered to the pool; also in that step’s measured time).',
      labelNames: ['work'],
    }),
    firstStepWaitSeconds: m.histogram({
      name: 'first_step_wait',
      unit: 'seconds',
      help: 'After a remote prefill: from the sequence joining the engine to the start of the first step that includes it (the step in flight, its flush and one loop turn).',
      buckets: LOOP_SECONDS_BUCKETS,
    }),
    handoffBufferedBytes: m.gauge({
      name: 'handoff_buffered',
      unit: 'bytes',
      help: 'kv.handoff payload bytes received and not yet claimed by a Decode call.',
    }),
  };
}
export type DecodeMetrics = ReturnType<typeof createDecodeMetrics>;
