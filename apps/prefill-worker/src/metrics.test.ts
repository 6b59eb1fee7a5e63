import { parsePrometheusText, seriesValue } from '@oicf/metrics/prometheus-text';
import { createWorkerMetrics } from '@oicf/worker';
import { describe, expect, it } from 'vitest';
import { createPrefillMetrics } from './metrics.js';

const labels = { component: 'prefill', worker_id: 'prefill-0', model: 'tiny-gqa' };

async function scrape(wm: ReturnType<typeof createWorkerMetrics>) {
  const samples = parsePrometheusText(await wm.metrics.registry.metrics()).samples;
  return (name: string, extra: Record<string, string> = {}) => seriesValue(samples, name, { ...labels, ...extra });
}

describe('prefill worker metrics', () => {
  it('exports the vLLM series a per-pod scraper reads, equal to its own counters', async () => {
    const wm = createWorkerMetrics('prefill', { workerId: 'prefill-0', model: 'tiny-gqa' });
    let load = { numRunning: 1, numWaiting: 3, kvUsedBytes: 256, kvCapacityBytes: 1024 };
    const pm = createPrefillMetrics(wm, { metricNames: 'both', modelName: 'tiny-gqa', load: () => load });
    const model = { model_name: 'tiny-gqa' };
    let value = await scrape(wm);
    // Before any request: every series there, at 0 (gauges read the load).
    expect(value('vllm:prompt_tokens_total', model)).toBe(0);
    expect(value('vllm:prefix_cache_hits_total', model)).toBe(0);
    expect(value('vllm:request_queue_time_seconds_count', model)).toBe(0);
    expect(value('oicf_prefill_prefix_reused_tokens_total', { source: 'pool' })).toBe(0);
    expect(value('oicf_prefill_handoff_requests_total', { outcome: 'acked' })).toBe(0);
    expect(value('vllm:num_requests_waiting', model)).toBe(3);
    // 256 of 1024 bytes: 0.25.
    expect(value('vllm:kv_cache_usage_perc', model)).toBe(0.25);

    // One prefill of a 100-token prompt with 64 tokens from the pool: 36 computed.
    wm.computedTokens.inc(36);
    wm.prefixReused.inc({ source: 'pool' }, 64);
    pm.queueSeconds.observe(0.2);
    load = { numRunning: 0, numWaiting: 0, kvUsedBytes: 0, kvCapacityBytes: 1024 };
    value = await scrape(wm);
    expect(value('vllm:prompt_tokens_total', model)).toBe(100);
    expect(value('vllm:prefix_cache_queries_total', model)).toBe(100);
    expect(value('vllm:prefix_cache_hits_total', model)).toBe(64);
    expect(value('vllm:request_queue_time_seconds_count', model)).toBe(1);
    expect(value('oicf_prefill_request_queue_time_seconds_count')).toBe(1);
    expect([value('vllm:num_requests_running', model), value('vllm:kv_cache_usage_perc', model)]).toEqual([0, 0]);
  });

  it('exports only its own names under oicf', async () => {
    const wm = createWorkerMetrics('prefill', { workerId: 'prefill-0', model: 'tiny-gqa' });
    createPrefillMetrics(wm, { metricNames: 'oicf', modelName: 'tiny-gqa' });
    expect(await wm.metrics.registry.metrics()).not.toContain('vllm:');
  });
});
