import { createAnchorMetrics } from '@oicf/metrics';
import type { WorkerMetrics } from '@oicf/worker';

/**
 * Decode-only series on top of the shared worker metrics (`oicf_decode_*`): the vLLM anchor metrics
 * under this project's names (running/waiting, KV usage, token counters, prefix-cache hits,
 * preemptions, finished requests, queue and decode time), and the local block cache.
 */
export function createDecodeMetrics(wm: WorkerMetrics) {
  const m = wm.metrics;
  return {
    anchors: createAnchorMetrics(m, 'oicf'),
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
