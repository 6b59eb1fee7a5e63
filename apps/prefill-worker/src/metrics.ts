import { REQUEST_LATENCY_SECONDS_BUCKETS } from '@oicf/metrics';
import type { WorkerMetrics } from '@oicf/worker';

/**
 * Prefill-only series on top of the shared worker metrics (`oicf_prefill_*`, packages/worker
 * worker-metrics.ts): requests by outcome and the time one prefill request took, with vLLM's buckets.
 */
export function createPrefillMetrics(wm: WorkerMetrics) {
  return {
    requests: wm.metrics.counter({
      name: 'prefill',
      unit: 'requests',
      help: 'Prefill requests by outcome (ok, or the error code).',
      labelNames: ['outcome'],
    }),
    requestSeconds: wm.metrics.histogram({
      name: 'request_prefill_time',
      unit: 'seconds',
      help: 'Time of one Prefill call from receipt to reply (queue, fetch, compute, send).',
      buckets: REQUEST_LATENCY_SECONDS_BUCKETS,
    }),
    queueSeconds: wm.metrics.histogram({
      name: 'request_queue_time',
      unit: 'seconds',
      help: 'Time a Prefill call waited for the prefill slot.',
      buckets: REQUEST_LATENCY_SECONDS_BUCKETS,
    }),
  };
}
export type PrefillMetrics = ReturnType<typeof createPrefillMetrics>;
