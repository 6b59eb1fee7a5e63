import type { OicfMetrics } from '@oicf/metrics';
import type { KvLink } from '../metrics/worker-metrics.js';

/**
 * `oicf_<component>_kv_path_bytes_total{path, link}`: KV payload bytes a worker moved, by the path they
 * took (shm = through a shared-memory segment on this host, ws = inside WebSocket frames) and the link
 * (the same link names as kv_sent/kv_received). Registered beside the worker's other series.
 */
export function kvPathCounter(metrics: OicfMetrics) {
  const counter = metrics.counter({
    name: 'kv_path',
    unit: 'bytes',
    help: 'KV payload bytes moved, by path (shm: shared memory on this host; ws: in frames) and link.',
    labelNames: ['path', 'link'],
  });
  return (path: 'shm' | 'ws', link: KvLink, numBytes: number): void => counter.inc({ path, link }, numBytes);
}
