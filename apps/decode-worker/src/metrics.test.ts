import { parsePrometheusText, seriesValue } from '@oicf/metrics/prometheus-text';
import { createWorkerMetrics } from '@oicf/worker';
import { describe, expect, it } from 'vitest';
import { createDecodeMetrics } from './metrics.js';

const labels = { component: 'decode', worker_id: 'decode-0', model: 'tiny-gqa' };

describe('decode worker metrics', () => {
  it.each([
    ['both', true, true],
    ['vllm', false, true],
    ['oicf', true, false],
  ] as const)('%s: oicf anchors %s, vLLM anchors %s, all at 0 before the first request', async (names, oicf, vllm) => {
    const wm = createWorkerMetrics('decode', { workerId: 'decode-0', model: 'tiny-gqa' });
    createDecodeMetrics(wm, { metricNames: names, modelName: 'tiny-gqa' });
    const samples = parsePrometheusText(await wm.metrics.registry.metrics()).samples;
    const value = (name: string, extra: Record<string, string>) => seriesValue(samples, name, { ...labels, ...extra });
    const model = { model_name: 'tiny-gqa' };
    expect(value('oicf_decode_prefix_cache_hit_tokens_total', model)).toBe(oicf ? 0 : undefined);
    expect(value('vllm:prefix_cache_hits_total', model)).toBe(vllm ? 0 : undefined);
    expect(value('vllm:prefix_cache_queries_total', model)).toBe(vllm ? 0 : undefined);
    expect(value('vllm:kv_cache_usage_perc', model)).toBe(vllm ? 0 : undefined);
    expect(value('vllm:request_success_total', { ...model, finished_reason: 'abort' })).toBe(vllm ? 0 : undefined);
    // The worker's own series by known label values exist in every mode.
    for (const source of ['local', 'pool', 'peer']) {
      expect(value('oicf_decode_prefix_reused_tokens_total', { source })).toBe(0);
    }
    expect(value('oicf_decode_kv_received_bytes_total', { link: 'prefill->decode' })).toBe(0);
    expect(value('oicf_decode_handoff_requests_total', { outcome: 'recomputed' })).toBe(0);
  });
});
