// The router's Prometheus metrics (`oicf_router_*`, docs/metrics.md). Anchor histograms (TTFT,
// inter-token, end-to-end, queue, prefill, decode; vLLM buckets) come from @oicf/metrics under this
// project's names, vLLM's names, or both (`metricNames`, default both); the router-only series (routing
// decisions, rejects, predicted-vs-observed TTFT, prefix cache sources, KV bytes moved, workers) are oicf
// names only. Series labelled by a known reason, source or link start at 0, so dashboards show 0.
import { buckets125, createAnchorSet, createMetrics, type MetricNames, type OicfMetrics } from '@oicf/metrics';
import type { RejectReason } from '@oicf/sched';
import type { MetricsSource } from '@oicf/transport';
import { type RouterTotals, routerTotals } from './router-totals.js';

/** One finished request, as the pipeline observed it (seconds on the router's clock unless noted). */
export interface FinishedObservation {
  readonly ttftSeconds: number;
  /** Gaps between consecutive output tokens (tokens arriving together split their chunk's gap evenly). */
  readonly interTokenSeconds: readonly number[];
  readonly e2eSeconds: number;
  readonly queueSeconds: number;
  readonly prefillSeconds: number;
  readonly decodeSeconds: number;
  readonly numPromptTokens: number;
  readonly numCompletionTokens: number;
  readonly numCachedTokens: number;
  readonly cacheSource: 'worker' | 'pool' | 'none';
  readonly finishReason: 'stop' | 'length' | 'abort';
  /** The policy's predicted TTFT (0 = no prediction: skip the error histogram). */
  readonly predictedTtftSeconds: number;
}

/** A worker as /metrics shows it. */
export interface WorkerSnapshot {
  readonly workerId: string;
  readonly role: string;
  readonly healthy: boolean;
  readonly kvUsedBytes: number;
  readonly kvCapacityBytes: number;
  /** Sequences queued on the worker at its last heartbeat (0 before the first). */
  readonly numWaitingSequences: number;
}

/** Every reason admission refuses with (429: slo; 503: the others, docs/reliability.md), each counted from 0. */
export const REJECT_REASONS = [
  'slo',
  'capacity',
  'no-worker',
  'queue-full',
  'queue-time',
] as const satisfies readonly RejectReason[];
// Fails to compile when @oicf/sched adds a reason this list lacks.
const _everyRejectReason: [Exclude<RejectReason, (typeof REJECT_REASONS)[number]>] extends [never] ? true : never =
  true;
export const KV_LINKS = ['pool->prefill', 'prefill->decode+pool', 'pool->decode'] as const;
export type KvLink = (typeof KV_LINKS)[number];
export const CACHE_SOURCES = ['worker', 'pool', 'none'] as const;

export interface RouterMetrics {
  readonly registry: OicfMetrics['registry'];
  /** Running totals of what this router counted, for the dashboard (the same numbers /metrics shows). */
  readonly totals: RouterTotals;
  /** The model this router serves and its weight precision (also exported as oicf_router_served_model_info). */
  readonly served: { readonly modelName: string; readonly weightPrecision: 'fp32' | 'int8' };
  /** /metrics source: refreshes the worker gauges, then renders. */
  readonly source: MetricsSource;
  handled(door: 'http' | 'ws' | 'grpc', status: string): void;
  routed(policy: string, reason: string): void;
  rejected(reason: string): void;
  /** A remote prefill failed; `next` is what the failover did (remote, local, fail). */
  prefillFailover(next: 'remote' | 'local' | 'fail'): void;
  /** A decode worker failed mid-stream: the request moved to another one (`migrated`), or could not (`failed`). */
  decodeMigration(outcome: 'migrated' | 'failed'): void;
  kvMoved(link: KvLink, bytes: number): void;
  finished(o: FinishedObservation): void;
}

type Child = { inc(value?: number): void };
type Labelled = { labels(labels: Record<string, string>): Child };

/**
 * A counter's children by label values, made once per label set and reused: no label object is built per
 * request (the values come from small closed sets: doors, statuses, policies, reasons, sources, links).
 */
function children1(counter: Labelled, name: string): (a: string) => Child {
  const byValue = new Map<string, Child>();
  return (a) => {
    let child = byValue.get(a);
    if (child === undefined) {
      child = counter.labels({ [name]: a });
      byValue.set(a, child);
    }
    return child;
  };
}

function children2(counter: Labelled, first: string, second: string): (a: string, b: string) => Child {
  const byFirst = new Map<string, (b: string) => Child>();
  return (a, b) => {
    let inner = byFirst.get(a);
    if (inner === undefined) {
      const fixed = counter;
      inner = children1({ labels: (l) => fixed.labels({ [first]: a, ...l }) }, second);
      byFirst.set(a, inner);
    }
    return inner(b);
  };
}

/** |predicted − observed| / observed, as a ratio. 0.1 = within 10 %. */
const ERROR_RATIO_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 100];

export function createRouterMetrics(options: {
  metricNames: MetricNames;
  modelName: string;
  weightPrecision: 'fp32' | 'int8';
  maxContextTokens: number;
  workers: () => readonly WorkerSnapshot[];
  inflightRequests: () => number;
  /** Bandwidths the cost model currently prices transfers with (learned, or the catalog's). */
  transferBandwidths?: () => { readonly 'pool-read': number; readonly handoff: number };
}): RouterMetrics {
  const m = createMetrics({ component: 'router' });
  const a = createAnchorSet(m, options.metricNames, { modelName: options.modelName });
  // Frozen: @oicf/metrics finds a frozen label object's series by identity (no key per update).
  const model = Object.freeze({ model_name: options.modelName });
  const totals = routerTotals();
  // Label sets built once (prom-client hashes the object on every update; no spread per request).
  const successLabels = {
    stop: Object.freeze({ ...model, finished_reason: 'stop' }),
    length: Object.freeze({ ...model, finished_reason: 'length' }),
    abort: Object.freeze({ ...model, finished_reason: 'abort' }),
  } as const;

  const handled = m.counter({
    name: 'handled',
    unit: 'requests',
    help: 'Requests answered, by front door and status (HTTP status code, or gRPC/WebSocket error code).',
    labelNames: ['door', 'status'],
  });
  const routed = m.counter({
    name: 'routed',
    unit: 'requests',
    help: 'Routing decisions by policy and reason.',
    labelNames: ['policy', 'reason'],
  });
  const rejected = m.counter({
    name: 'admission_rejected',
    unit: 'requests',
    help: 'Requests refused at admission, by reason: slo (HTTP 429); capacity, no-worker, queue-full, queue-time (HTTP 503).',
    labelNames: ['reason'],
  });
  const migrations = m.counter({
    name: 'decode_migrations',
    unit: 'requests',
    help: 'Decode streams whose worker failed mid-stream, by outcome: migrated (to another decode worker), failed (the limit, or no worker left).',
    labelNames: ['outcome'],
  });
  for (const outcome of ['migrated', 'failed']) migrations.inc({ outcome }, 0);
  const failovers = m.counter({
    name: 'prefill_failover',
    unit: 'requests',
    help: 'Remote prefills that failed, by what followed: remote (another prefill worker), local (the decode worker), fail.',
    labelNames: ['next'],
  });
  const errorRatio = m.histogram({
    name: 'ttft_prediction_error',
    unit: 'ratio',
    help: 'Relative error of the predicted time to first token: |predicted − observed| / observed.',
    buckets: ERROR_RATIO_BUCKETS,
  });
  const predicted = m.gauge({
    name: 'last_predicted_ttft',
    unit: 'seconds',
    help: 'Predicted TTFT of the last request.',
  });
  const observed = m.gauge({ name: 'last_observed_ttft', unit: 'seconds', help: 'Observed TTFT of the last request.' });
  const cached = m.counter({
    name: 'prefix_cached',
    unit: 'tokens',
    help: 'Prompt tokens by where their KV came from: a worker cache, the pool, or none (computed).',
    labelNames: ['source'],
  });
  const moved = m.counter({
    name: 'kv_moved',
    unit: 'bytes',
    help: 'KV bytes moved for routed requests, as reported by workers (prefill) and the pool (block sizes).',
    labelNames: ['link'],
  });
  const promptLen = m.histogram({
    name: 'request_prompt',
    unit: 'tokens',
    help: 'Prompt length of finished requests.',
    buckets: buckets125(options.maxContextTokens),
  });
  const servedInfo = m.gauge({
    name: 'served_model',
    unit: 'info',
    help: 'The model this router serves (value 1), labelled with its name and weight precision.',
    labelNames: ['model_name', 'weight_precision'],
  });
  servedInfo.set({ model_name: options.modelName, weight_precision: options.weightPrecision }, 1);
  const workerInfo = m.gauge({
    name: 'worker',
    unit: 'info',
    help: 'One series per registered worker (value 1), labelled with its role and health.',
    labelNames: ['worker_id', 'role', 'health'],
  });

  const handledChild = children2(handled, 'door', 'status');
  const routedChild = children2(routed, 'policy', 'reason');
  const rejectedChild = children1(rejected, 'reason');
  const cachedChild = children1(cached, 'source');
  const movedChild = children1(moved, 'link');

  const pathBandwidth = m.gauge({
    name: 'transfer_path_bandwidth',
    unit: 'bytes_per_second',
    help: 'Bandwidth the cost model prices KV transfers with, by path (pool-read, handoff): learned from finished requests, starting from the catalog.',
    labelNames: ['path'],
  });

  for (const reason of REJECT_REASONS) rejected.inc({ reason }, 0);
  for (const source of CACHE_SOURCES) cached.inc({ source }, 0);
  for (const link of KV_LINKS) moved.inc({ link }, 0);

  const refresh = () => {
    const bw = options.transferBandwidths?.();
    if (bw !== undefined) {
      pathBandwidth.set({ path: 'pool-read' }, bw['pool-read']);
      pathBandwidth.set({ path: 'handoff' }, bw.handoff);
    }
    workerInfo.reset();
    let used = 0;
    let capacity = 0;
    let waiting = 0;
    for (const w of options.workers()) {
      workerInfo.set({ worker_id: w.workerId, role: w.role, health: w.healthy ? 'healthy' : 'unhealthy' }, 1);
      if (w.role !== 'prefill') {
        used += w.kvUsedBytes;
        capacity += w.kvCapacityBytes;
        waiting += w.numWaitingSequences;
      }
    }
    // The router queues nothing itself (a request is routed or rejected at once): waiting is the decode
    // workers' queues as their heartbeats last reported them, what autoscalers keyed on
    // vllm:num_requests_waiting expect. Preemptions happen on workers and are counted there only.
    a.numRequestsRunning.set(model, options.inflightRequests());
    a.numRequestsWaiting.set(model, waiting);
    a.kvCacheUsageRatio.set(model, capacity > 0 ? used / capacity : 0);
  };

  return {
    registry: m.registry,
    totals,
    served: { modelName: options.modelName, weightPrecision: options.weightPrecision },
    source: {
      contentType: m.registry.contentType,
      metrics: async () => {
        refresh();
        return m.registry.metrics();
      },
    },
    handled: (door, status) => {
      handledChild(door, status).inc();
      totals.handled(status);
    },
    routed: (policy, reason) => {
      routedChild(policy, reason).inc();
      totals.routed(reason);
    },
    rejected: (reason) => {
      rejectedChild(reason).inc();
      totals.rejected(reason);
    },
    prefillFailover: (next) => failovers.inc({ next }),
    decodeMigration: (outcome) => migrations.inc({ outcome }),
    kvMoved: (link, bytes) => {
      if (bytes > 0) movedChild(link).inc(bytes);
    },
    finished: (o) => {
      a.timeToFirstTokenSeconds.observe(model, o.ttftSeconds);
      for (const gap of o.interTokenSeconds) a.interTokenLatencySeconds.observe(model, gap);
      a.e2eRequestLatencySeconds.observe(model, o.e2eSeconds);
      a.requestQueueTimeSeconds.observe(model, o.queueSeconds);
      a.requestPrefillTimeSeconds.observe(model, o.prefillSeconds);
      a.requestDecodeTimeSeconds.observe(model, o.decodeSeconds);
      a.promptTokens.inc(model, o.numPromptTokens);
      a.generationTokens.inc(model, o.numCompletionTokens);
      a.prefixCacheQueriedTokens.inc(model, o.numPromptTokens);
      a.prefixCacheHitTokens.inc(model, o.numCachedTokens);
      a.requestSuccess.inc(successLabels[o.finishReason]);
      totals.finished(o);
      promptLen.observe(o.numPromptTokens);
      if (o.cacheSource !== 'none') cachedChild(o.cacheSource).inc(o.numCachedTokens);
      cachedChild('none').inc(o.numPromptTokens - (o.cacheSource === 'none' ? 0 : o.numCachedTokens));
      observed.set(o.ttftSeconds);
      if (o.predictedTtftSeconds > 0) {
        predicted.set(o.predictedTtftSeconds);
        if (o.ttftSeconds > 0) errorRatio.observe(Math.abs(o.predictedTtftSeconds - o.ttftSeconds) / o.ttftSeconds);
      }
    },
  };
}
