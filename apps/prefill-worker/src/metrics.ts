import { ANCHORS, type MetricNames, nameModes, REQUEST_LATENCY_SECONDS_BUCKETS } from '@oicf/metrics';
import type { WorkerMetrics } from '@oicf/worker';

/** The prefill worker's load at one instant (what its heartbeat reports too). */
export interface PrefillLoad {
  readonly numRunning: number;
  readonly numWaiting: number;
  readonly kvUsedBytes: number;
  readonly kvCapacityBytes: number;
}

export interface PrefillMetricsOptions {
  /** `vllm` or `both` (the default everywhere) also exports the vLLM-named series below. */
  readonly metricNames: MetricNames;
  readonly modelName: string;
  /** Read at each scrape for the vLLM gauges (absent: they stay 0). */
  readonly load?: () => PrefillLoad;
}

/**
 * Prefill-only series on top of the shared worker metrics (`oicf_prefill_*`, packages/worker
 * worker-metrics.ts): requests by outcome and the time one prefill request took, with vLLM's buckets.
 *
 * Under `vllm` or `both` names the worker also exports the vLLM series a per-pod scraper (llm-d's
 * scorers, vLLM dashboards) reads from a prefill pod, each the same figure as an oicf series:
 *   vllm:num_requests_running / _waiting    prefill slot busy (0/1) / calls queued for it   (load)
 *   vllm:kv_cache_usage_perc                KV bytes held ÷ capacity, 0..1                   (load)
 *   vllm:prompt_tokens_total                computed + reused prompt tokens                  (oicf_prefill_computed_tokens_total + prefix_reused)
 *   vllm:prefix_cache_queries_total         the same tokens, each looked up once
 *   vllm:prefix_cache_hits_total            reused tokens (from the pool or a peer)          (oicf_prefill_prefix_reused_tokens_total)
 *   vllm:request_queue_time_seconds         wait for the prefill slot                        (oicf_prefill_request_queue_time_seconds)
 * Counters are read from the oicf series when scraped, so the two never disagree. TTFT, generation
 * tokens and finished requests are left to the decode workers and the router, which see whole requests.
 */
export function createPrefillMetrics(wm: WorkerMetrics, options: PrefillMetricsOptions) {
  const requests = wm.metrics.counter({
    name: 'prefill',
    unit: 'requests',
    help: 'Prefill requests by outcome (ok, or the error code).',
    labelNames: ['outcome'],
  });
  requests.inc({ outcome: 'ok' }, 0);
  const requestSeconds = wm.metrics.histogram({
    name: 'request_prefill_time',
    unit: 'seconds',
    help: 'Time of one Prefill call from receipt to reply (queue, fetch, compute, send).',
    buckets: REQUEST_LATENCY_SECONDS_BUCKETS,
  });
  const queueSeconds = wm.metrics.histogram({
    name: 'request_queue_time',
    unit: 'seconds',
    help: 'Time a Prefill call waited for the prefill slot.',
    buckets: REQUEST_LATENCY_SECONDS_BUCKETS,
  });
  for (const source of ['local', 'pool', 'peer']) wm.prefixReused.inc({ source }, 0);
  for (const link of ['prefill->decode', 'worker->pool']) wm.kvSent.inc({ link }, 0);
  wm.kvReceived.inc({ link: 'pool->worker' }, 0);
  wm.checksumFailures.inc({ link: 'pool->worker' }, 0);
  for (const outcome of ['acked', 'failed', 'rejected']) wm.handoffs.inc({ outcome }, 0);
  wm.steps.inc({ phase: 'prefill' }, 0);
  const vllmQueue = nameModes(options.metricNames).includes('vllm')
    ? vllmSeries(wm, options.modelName, options.load)
    : undefined;
  return {
    requests,
    requestSeconds,
    queueSeconds: {
      observe: (seconds: number) => {
        queueSeconds.observe(seconds);
        vllmQueue?.observe({ model_name: options.modelName }, seconds);
      },
    },
  };
}

/** The vLLM-named series (see above); returns the queue-time histogram the caller also feeds. */
function vllmSeries(wm: WorkerMetrics, modelName: string, load: (() => PrefillLoad) | undefined) {
  const model = { model_name: modelName };
  const raw = wm.metrics.raw;
  const gauge = (
    spec: (typeof ANCHORS)['numRequestsRunning' | 'numRequestsWaiting' | 'kvCacheUsageRatio'],
    read: (l: PrefillLoad) => number,
  ) =>
    raw.gauge(spec.vllm, spec.help, ['model_name'], function collect() {
      const l = load?.();
      this.set(model, l === undefined ? 0 : read(l));
    });
  gauge(ANCHORS.numRequestsRunning, (l) => l.numRunning);
  gauge(ANCHORS.numRequestsWaiting, (l) => l.numWaiting);
  gauge(ANCHORS.kvCacheUsageRatio, (l) => (l.kvCapacityBytes > 0 ? l.kvUsedBytes / l.kvCapacityBytes : 0));
  const sum = async (metric: { get(): Promise<{ values: ReadonlyArray<{ value: number }> }> }) =>
    (await metric.get()).values.reduce((a, v) => a + v.value, 0);
  const counter = (
    spec: (typeof ANCHORS)['promptTokens' | 'prefixCacheQueriedTokens' | 'prefixCacheHitTokens'],
    read: () => Promise<number>,
  ) =>
    raw.counter(`${spec.vllm}_total`, spec.help, ['model_name'], async function collect() {
      const total = await read();
      this.reset();
      this.inc(model, total);
    });
  const promptTokens = async () => (await sum(wm.computedTokens)) + (await sum(wm.prefixReused));
  counter(ANCHORS.promptTokens, promptTokens);
  counter(ANCHORS.prefixCacheQueriedTokens, promptTokens);
  counter(ANCHORS.prefixCacheHitTokens, () => sum(wm.prefixReused));
  const spec = ANCHORS.requestQueueTimeSeconds;
  const queue = raw.histogram(spec.vllm, spec.help, ['model_name'], spec.buckets);
  queue.zero(model);
  return queue;
}
