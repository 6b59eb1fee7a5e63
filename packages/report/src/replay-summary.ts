import { type ClusterMetricsSummary, type MetricRow, summarizeClusterMetrics } from './cluster-metrics.js';
import { computeGoodput, type Goodput, type Slo } from './goodput.js';
import { type LatencyStats, latencyStats } from './latency-stats.js';
import {
  type CacheSource,
  type ClusterEvents,
  REQUEST_STATUSES,
  type ReplayRequestRecord,
  type ReplayRun,
  type RequestStatus,
  type ReuseCeilingFigure,
} from './replay-record.js';
import { type ReuseFigure, reuseFigures } from './reuse-figures.js';

/**
 * The numbers of one replay report. Latencies are over `ok` requests only (a reject has no TTFT);
 * rates divide by the run's duration (replay start to the last request's end), as vLLM's
 * benchmark does.
 */
export interface ReplaySummary {
  readonly label: string;
  readonly numPlanned: number;
  /** Requests the driver started (sent, or waiting for a slot when cancelled). */
  readonly numStarted: number;
  readonly byStatus: Readonly<Record<RequestStatus, number>>;
  /** Client-side count of 429s by the reject reason the router gave. */
  readonly rejectsByReason: readonly MetricRow[];
  /** Other failures by code (`http-500`, `network`, `incomplete-stream`, …). */
  readonly errorsByCode: readonly MetricRow[];
  readonly durationSeconds: number;
  readonly interrupted: boolean;
  readonly ttft: LatencyStats | null;
  readonly tpot: LatencyStats | null;
  readonly interToken: LatencyStats | null;
  readonly e2e: LatencyStats | null;
  readonly throughput: {
    readonly requestsPerSecond: number | null;
    readonly outputTokensPerSecond: number | null;
    readonly inputTokensPerSecond: number | null;
  };
  readonly goodput: Goodput;
  readonly prefix: PrefixSummary;
  /** The client's, the workers' and the pool's reuse figures, each defined once (reuse-figures.ts). */
  readonly reuse: readonly ReuseFigure[];
  /** What an unlimited cache at the cluster's block size could serve of the prompts sent (run.meta); null if unknown. */
  readonly reuseCeiling: ReuseCeilingFigure | null;
  /** Worker health events during the run (router-recorded); null when the router does not serve them. */
  readonly events: ClusterEvents | null;
  /** Σ of the router's `kv_bytes_moved` over requests that reported it; null when none did. */
  readonly kvBytesMoved: number | null;
  readonly concurrency: {
    readonly limit: number | null;
    /** Requests that found every slot taken and had to wait. */
    readonly numWaited: number;
    readonly slotWait: LatencyStats | null;
  };
  readonly routing: {
    readonly byPolicy: readonly MetricRow[];
    readonly byReason: readonly MetricRow[];
    /** Predicted − observed TTFT (observed: the router's own TTFT when given, else the client's). */
    readonly ttftPredictionError: {
      readonly count: number;
      readonly meanSignedSeconds: number;
      readonly meanAbsoluteSeconds: number;
    } | null;
  };
  readonly cluster: ClusterMetricsSummary;
}

export interface PrefixSummary {
  /** Prompt tokens of ok requests whose cached count is known. */
  readonly numPromptTokens: number;
  readonly numCachedTokens: number;
  /** cached ÷ prompt tokens; null when no request reported a cached count. */
  readonly hitRatio: number | null;
  /** Share of all those prompt tokens served from each cache source (the shares add up to hitRatio). */
  readonly bySource: readonly {
    readonly source: CacheSource | 'unknown';
    readonly numRequests: number;
    readonly numCachedTokens: number;
    readonly shareOfPromptTokens: number;
  }[];
}

export function summarizeReplay(run: ReplayRun, slo: Slo): ReplaySummary {
  const records = run.records;
  const ok = records.filter((r) => r.status === 'ok');
  const byStatus = Object.fromEntries(REQUEST_STATUSES.map((s) => [s, 0])) as Record<RequestStatus, number>;
  for (const r of records) byStatus[r.status] += 1;
  const duration = run.durationSeconds;
  const rate = (n: number) => (duration > 0 ? n / duration : null);
  const waited = records.filter((r) => r.slotWaitSeconds > 0);
  const prefix = prefixSummary(ok);
  const cluster = summarizeClusterMetrics(run.metrics);
  return {
    label: run.meta.label,
    numPlanned: run.numPlanned,
    numStarted: records.length,
    byStatus,
    rejectsByReason: countBy(
      records.filter((r) => r.status === 'rejected'),
      (r) => r.errorCode ?? 'unknown',
    ),
    errorsByCode: countBy(
      records.filter((r) => r.status === 'error'),
      (r) => r.errorCode ?? 'unknown',
    ),
    durationSeconds: duration,
    interrupted: run.interrupted,
    ttft: latencyStats(values(ok, (r) => r.ttftSeconds)),
    tpot: latencyStats(values(ok, (r) => r.tpotSeconds)),
    interToken: latencyStats(ok.flatMap((r) => r.interTokenSeconds)),
    e2e: latencyStats(values(ok, (r) => r.e2eSeconds)),
    throughput: {
      requestsPerSecond: rate(ok.length),
      outputTokensPerSecond: rate(ok.reduce((a, r) => a + r.numOutputTokens, 0)),
      inputTokensPerSecond: rate(ok.reduce((a, r) => a + r.numInputTokens, 0)),
    },
    goodput: computeGoodput(records, slo, duration),
    prefix,
    reuse: reuseFigures(prefix, cluster),
    reuseCeiling: run.meta.reuseCeiling ?? null,
    events: run.clusterEvents ?? null,
    kvBytesMoved: sumKnown(values(records, (r) => r.routing?.kvBytesMoved ?? null)),
    concurrency: {
      limit: run.meta.concurrencyLimit,
      numWaited: waited.length,
      slotWait: latencyStats(waited.map((r) => r.slotWaitSeconds)),
    },
    routing: {
      byPolicy: countBy(
        records.filter((r) => r.routing?.policy),
        (r) => r.routing?.policy ?? '',
      ),
      byReason: countBy(
        records.filter((r) => r.routing?.reason),
        (r) => r.routing?.reason ?? '',
      ),
      ttftPredictionError: predictionError(ok),
    },
    cluster,
  };
}

export function prefixSummary(ok: readonly ReplayRequestRecord[]): PrefixSummary {
  const known = ok.filter((r) => r.numCachedTokens !== null);
  const numPromptTokens = known.reduce((a, r) => a + r.numInputTokens, 0);
  const numCachedTokens = known.reduce((a, r) => a + (r.numCachedTokens ?? 0), 0);
  const groups = new Map<CacheSource | 'unknown', { n: number; cached: number }>();
  for (const r of known) {
    const source = r.routing?.cacheSource ?? 'unknown';
    const g = groups.get(source) ?? { n: 0, cached: 0 };
    g.n += 1;
    g.cached += r.numCachedTokens ?? 0;
    groups.set(source, g);
  }
  const order = ['worker', 'pool', 'none', 'unknown'];
  return {
    numPromptTokens,
    numCachedTokens,
    hitRatio: known.length === 0 || numPromptTokens === 0 ? null : numCachedTokens / numPromptTokens,
    bySource: [...groups]
      .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
      .map(([source, g]) => ({
        source,
        numRequests: g.n,
        numCachedTokens: g.cached,
        shareOfPromptTokens: numPromptTokens === 0 ? 0 : g.cached / numPromptTokens,
      })),
  };
}

function predictionError(ok: readonly ReplayRequestRecord[]): ReplaySummary['routing']['ttftPredictionError'] {
  const errors: number[] = [];
  for (const r of ok) {
    const predicted = r.routing?.predictedTtftSeconds ?? null;
    const observed = r.routing?.serverTtftSeconds ?? r.ttftSeconds;
    if (predicted !== null && observed !== null) errors.push(predicted - observed);
  }
  if (errors.length === 0) return null;
  return {
    count: errors.length,
    meanSignedSeconds: errors.reduce((a, e) => a + e, 0) / errors.length,
    meanAbsoluteSeconds: errors.reduce((a, e) => a + Math.abs(e), 0) / errors.length,
  };
}

function values(records: readonly ReplayRequestRecord[], pick: (r: ReplayRequestRecord) => number | null): number[] {
  const out: number[] = [];
  for (const r of records) {
    const v = pick(r);
    if (v !== null) out.push(v);
  }
  return out;
}

function sumKnown(list: readonly number[]): number | null {
  return list.length === 0 ? null : list.reduce((a, b) => a + b, 0);
}

/** Counts by key, most frequent first (ties by key). */
export function countBy<T>(items: readonly T[], key: (item: T) => string): MetricRow[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts]
    .map(([k, value]) => ({ key: k, value }))
    .sort((a, b) => b.value - a.value || a.key.localeCompare(b.key));
}
