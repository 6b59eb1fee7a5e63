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
    handoffBufferedBytes: m.gauge({
      name: 'handoff_buffered',
      unit: 'bytes',
      help: 'kv.handoff payload bytes received and not yet claimed by a Decode call.',
    }),
  };
}
export type DecodeMetrics = ReturnType<typeof createDecodeMetrics>;
