// The anchor metrics every serving engine reports (TTFT, inter-token latency, end-to-end and phase times,
// queue depth, KV usage, token counts), in two name modes:
//   'oicf'  oicf_<component>_time_to_first_token_seconds, …  (this project's naming)
//   'vllm'  vllm:time_to_first_token_seconds, …              (vLLM's names, so existing dashboards,
//                                                            autoscalers and llm-d scorers read them as is)
// Same buckets and the same `model_name` label in both modes; only the names differ. vLLM's names and
// meanings: vllm/v1/metrics/loggers.py (see buckets.ts for the commit).
import type { Gauge } from 'prom-client';
import {
  INTER_TOKEN_LATENCY_SECONDS_BUCKETS,
  REQUEST_LATENCY_SECONDS_BUCKETS,
  TTFT_SECONDS_BUCKETS,
} from './buckets.js';
import type { MetricUnit } from './metric-name.js';
import type { OicfMetrics } from './registry.js';
import type { ScrapeCounter } from './scrape-counter.js';
import type { ScrapeHistogram } from './scrape-histogram.js';

export type NameMode = 'oicf' | 'vllm';

type Kind = 'counter' | 'gauge' | 'histogram';
interface AnchorSpec {
  kind: Kind;
  /** oicf name part and unit: oicf_<component>_<name>_<unit>[_total]. */
  name: string;
  unit: MetricUnit;
  /** vLLM's exact name (counters: without the `_total` that the exposition adds). */
  vllm: string;
  help: string;
  buckets?: readonly number[];
  extraLabels?: readonly string[];
}

/** The anchors and their vLLM names. */
export const ANCHORS = {
  timeToFirstTokenSeconds: {
    kind: 'histogram',
    name: 'time_to_first_token',
    unit: 'seconds',
    vllm: 'vllm:time_to_first_token_seconds',
    help: 'Time from request arrival to its first output token.',
    buckets: TTFT_SECONDS_BUCKETS,
  },
  interTokenLatencySeconds: {
    kind: 'histogram',
    name: 'inter_token_latency',
    unit: 'seconds',
    vllm: 'vllm:inter_token_latency_seconds',
    help: 'Time between consecutive output tokens of a request (TPOT per token).',
    buckets: INTER_TOKEN_LATENCY_SECONDS_BUCKETS,
  },
  e2eRequestLatencySeconds: {
    kind: 'histogram',
    name: 'e2e_request_latency',
    unit: 'seconds',
    vllm: 'vllm:e2e_request_latency_seconds',
    help: 'Time from request arrival to its last output token.',
    buckets: REQUEST_LATENCY_SECONDS_BUCKETS,
  },
  requestQueueTimeSeconds: {
    kind: 'histogram',
    name: 'request_queue_time',
    unit: 'seconds',
    vllm: 'vllm:request_queue_time_seconds',
    help: 'Time a request waited before it was scheduled.',
    buckets: REQUEST_LATENCY_SECONDS_BUCKETS,
  },
  requestPrefillTimeSeconds: {
    kind: 'histogram',
    name: 'request_prefill_time',
    unit: 'seconds',
    vllm: 'vllm:request_prefill_time_seconds',
    help: 'Time a request spent in prefill.',
    buckets: REQUEST_LATENCY_SECONDS_BUCKETS,
  },
  requestDecodeTimeSeconds: {
    kind: 'histogram',
    name: 'request_decode_time',
    unit: 'seconds',
    vllm: 'vllm:request_decode_time_seconds',
    help: 'Time a request spent in decode.',
    buckets: REQUEST_LATENCY_SECONDS_BUCKETS,
  },
  numRequestsRunning: {
    kind: 'gauge',
    name: 'running',
    unit: 'requests',
    vllm: 'vllm:num_requests_running',
    help: 'Requests in the running batch.',
  },
  numRequestsWaiting: {
    kind: 'gauge',
    name: 'waiting',
    unit: 'requests',
    vllm: 'vllm:num_requests_waiting',
    help: 'Requests admitted and waiting to be scheduled.',
  },
  kvCacheUsageRatio: {
    kind: 'gauge',
    name: 'kv_cache_usage',
    unit: 'ratio',
    vllm: 'vllm:kv_cache_usage_perc',
    help: 'Fraction of KV cache memory in use, 0..1 (vLLM names it _perc but also reports 0..1).',
  },
  promptTokens: {
    kind: 'counter',
    name: 'prompt',
    unit: 'tokens',
    vllm: 'vllm:prompt_tokens',
    help: 'Prompt tokens processed.',
  },
  generationTokens: {
    kind: 'counter',
    name: 'generation',
    unit: 'tokens',
    vllm: 'vllm:generation_tokens',
    help: 'Output tokens generated.',
  },
  prefixCacheQueriedTokens: {
    kind: 'counter',
    name: 'prefix_cache_queried',
    unit: 'tokens',
    vllm: 'vllm:prefix_cache_queries',
    help: 'Prompt tokens looked up in the prefix cache.',
  },
  prefixCacheHitTokens: {
    kind: 'counter',
    name: 'prefix_cache_hit',
    unit: 'tokens',
    vllm: 'vllm:prefix_cache_hits',
    help: 'Prompt tokens found in the prefix cache.',
  },
  numPreemptions: {
    kind: 'counter',
    name: 'preempted',
    unit: 'requests',
    vllm: 'vllm:num_preemptions',
    help: 'Requests preempted (their KV freed) to make room.',
  },
  requestSuccess: {
    kind: 'counter',
    name: 'finished',
    unit: 'requests',
    vllm: 'vllm:request_success',
    help: 'Finished requests by finish reason (stop, length, abort).',
    extraLabels: ['finished_reason'],
  },
} as const satisfies Record<string, AnchorSpec>;

type Anchors = typeof ANCHORS;
type MetricOf<K extends keyof Anchors> = Anchors[K]['kind'] extends 'histogram'
  ? ScrapeHistogram<string>
  : Anchors[K]['kind'] extends 'gauge'
    ? Gauge<string>
    : ScrapeCounter<string>;

export type AnchorMetrics = { [K in keyof Anchors]: MetricOf<K> };

/** The series name an anchor is exported under in `mode` (counters get `_total` in the exposition). */
export function anchorName(key: keyof Anchors, mode: NameMode, component: string): string {
  const a: AnchorSpec = ANCHORS[key];
  const base = mode === 'vllm' ? a.vllm : `oicf_${component}_${a.name}_${a.unit}`;
  return a.kind === 'counter' ? `${base}_total` : base;
}

/**
 * Registers every anchor on `metrics` under the names of `mode`, all labelled `model_name` (plus
 * `finished_reason` on requestSuccess), like vLLM.
 */
export function createAnchorMetrics(metrics: OicfMetrics, mode: NameMode): AnchorMetrics {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(ANCHORS) as Array<[keyof Anchors, AnchorSpec]>) {
    const labels = ['model_name', ...(spec.extraLabels ?? [])];
    if (mode === 'vllm') {
      // prom-client wants counter names without `_total` too: it does not append one.
      const name = spec.kind === 'counter' ? `${spec.vllm}_total` : spec.vllm;
      out[key] =
        spec.kind === 'histogram'
          ? metrics.raw.histogram(name, spec.help, labels, spec.buckets ?? [])
          : spec.kind === 'gauge'
            ? metrics.raw.gauge(name, spec.help, labels)
            : metrics.raw.counter(name, spec.help, labels);
    } else {
      const s = { name: spec.name, unit: spec.unit, help: spec.help, labelNames: labels };
      out[key] =
        spec.kind === 'histogram'
          ? metrics.histogram({ ...s, buckets: spec.buckets ?? [] })
          : spec.kind === 'gauge'
            ? metrics.gauge(s)
            : metrics.counter(s);
    }
  }
  return out as AnchorMetrics;
}
