import { describe, expect, it } from 'vitest';
import { createRouterMetrics, type FinishedObservation } from './metrics.js';
import { metricValue } from './testing/router-harness.js';

const obs: FinishedObservation = {
  ttftSeconds: 0.2,
  interTokenSeconds: [0.05, 0.05],
  e2eSeconds: 0.3,
  queueSeconds: 0.01,
  prefillSeconds: 0.1,
  decodeSeconds: 0.1,
  numPromptTokens: 100,
  numCompletionTokens: 3,
  numCachedTokens: 64,
  cacheSource: 'pool',
  finishReason: 'length',
  predictedTtftSeconds: 0.17,
};

function make(metricNames: 'oicf' | 'vllm' | 'both') {
  return createRouterMetrics({
    metricNames,
    modelName: 'tiny-gqa',
    weightPrecision: 'fp32',
    maxContextTokens: 1000,
    inflightRequests: () => 2,
    workers: () => [
      {
        workerId: 'd0',
        role: 'decode',
        healthy: true,
        kvUsedBytes: 250,
        kvCapacityBytes: 1000,
        numWaitingSequences: 3,
      },
      { workerId: 'd1', role: 'both', healthy: true, kvUsedBytes: 0, kvCapacityBytes: 1000, numWaitingSequences: 2 },
      { workerId: 'p0', role: 'prefill', healthy: false, kvUsedBytes: 0, kvCapacityBytes: 0, numWaitingSequences: 9 },
    ],
  });
}

describe('router metrics', () => {
  it.each([
    ['oicf', true, false],
    ['vllm', false, true],
    ['both', true, true],
  ] as const)('metricNames %s: oicf anchors %s, vllm anchors %s', async (mode, oicf, vllm) => {
    const m = make(mode);
    m.finished(obs);
    const text = await m.source.metrics();
    const model = { model_name: 'tiny-gqa', component: 'router' };
    expect(metricValue(text, 'oicf_router_time_to_first_token_seconds_count', model) === 1).toBe(oicf);
    expect(metricValue(text, 'vllm:time_to_first_token_seconds_count', model) === 1).toBe(vllm);
    // Router-only series exist in every mode.
    expect(metricValue(text, 'oicf_router_ttft_prediction_error_ratio_count', { component: 'router' })).toBe(1);
  });

  it('splits prompt tokens by KV source, records the TTFT error, and shows workers and KV usage', async () => {
    const m = make('oicf');
    m.finished(obs);
    m.kvMoved('pool->prefill', 4096);
    m.kvMoved('pool->prefill', 0);
    const text = await m.source.metrics();
    const c = { component: 'router' };
    // 64 of 100 prompt tokens came from the pool; the other 36 were computed.
    expect(metricValue(text, 'oicf_router_prefix_cached_tokens_total', { ...c, source: 'pool' })).toBe(64);
    expect(metricValue(text, 'oicf_router_prefix_cached_tokens_total', { ...c, source: 'none' })).toBe(36);
    // |0.17 − 0.2| / 0.2 = 0.15: in the (0.1, 0.25] bucket.
    expect(metricValue(text, 'oicf_router_ttft_prediction_error_ratio_bucket', { ...c, le: '0.1' })).toBe(0);
    expect(metricValue(text, 'oicf_router_ttft_prediction_error_ratio_bucket', { ...c, le: '0.25' })).toBe(1);
    expect(metricValue(text, 'oicf_router_last_predicted_ttft_seconds', c)).toBe(0.17);
    expect(metricValue(text, 'oicf_router_last_observed_ttft_seconds', c)).toBe(0.2);
    expect(metricValue(text, 'oicf_router_kv_moved_bytes_total', { ...c, link: 'pool->prefill' })).toBe(4096);
    expect(
      metricValue(text, 'oicf_router_worker_info', { ...c, worker_id: 'p0', role: 'prefill', health: 'unhealthy' }),
    ).toBe(1);
    const model = { ...c, model_name: 'tiny-gqa' };
    // Decode-capable workers only (d0, d1): 250 / (1000 + 1000); waiting 3 + 2, not the prefill worker's 9.
    expect(metricValue(text, 'oicf_router_kv_cache_usage_ratio', model)).toBe(0.125);
    expect(metricValue(text, 'oicf_router_waiting_requests', model)).toBe(5);
    expect(metricValue(text, 'oicf_router_running_requests', model)).toBe(2);
    expect(metricValue(text, 'oicf_router_finished_requests_total', { ...model, finished_reason: 'length' })).toBe(1);
  });

  it('starts every known reason, source and link at 0, and the vLLM anchors too, before any request', async () => {
    const text = await make('both').source.metrics();
    const c = { component: 'router' };
    for (const reason of ['slo', 'capacity', 'no-worker']) {
      expect(metricValue(text, 'oicf_router_admission_rejected_requests_total', { ...c, reason })).toBe(0);
    }
    for (const source of ['worker', 'pool', 'none']) {
      expect(metricValue(text, 'oicf_router_prefix_cached_tokens_total', { ...c, source })).toBe(0);
    }
    for (const link of ['pool->prefill', 'prefill->decode+pool', 'pool->decode']) {
      expect(metricValue(text, 'oicf_router_kv_moved_bytes_total', { ...c, link })).toBe(0);
    }
    const model = { ...c, model_name: 'tiny-gqa' };
    expect(metricValue(text, 'vllm:prefix_cache_queries_total', model)).toBe(0);
    expect(metricValue(text, 'vllm:prefix_cache_hits_total', model)).toBe(0);
    expect(metricValue(text, 'vllm:request_success_total', { ...model, finished_reason: 'stop' })).toBe(0);
    expect(metricValue(text, 'vllm:time_to_first_token_seconds_count', model)).toBe(0);
    // The fake workers: 250 of 2000 decode KV bytes in use.
    expect(metricValue(text, 'vllm:kv_cache_usage_perc', model)).toBe(0.125);
  });

  it('keeps running totals the dashboard reads, equal to what /metrics counts', () => {
    const m = make('vllm');
    m.finished(obs);
    m.finished({ ...obs, cacheSource: 'none', numCachedTokens: 0, interTokenSeconds: [] });
    m.routed('oicf-cost', 'remote-prefill');
    m.rejected('slo');
    m.handled('http', '429');
    m.handled('http', '200');
    m.handled('http', '200');
    expect(m.totals.snapshot()).toEqual({
      numFinished: 2,
      numPromptTokens: 200,
      numGenerationTokens: 6,
      ttftSecondsSum: 0.4,
      numInterTokenGaps: 2,
      interTokenSecondsSum: 0.1,
      e2eSecondsSum: 0.6,
      // First request: 64 from the pool, 36 computed; second: all 100 computed.
      promptTokensBySource: { worker: 0, pool: 64, none: 136 },
      handledByStatus: { '429': 1, '200': 2 },
      routedByReason: { 'remote-prefill': 1 },
      rejectedByReason: { slo: 1 },
    });
  });
});
