import { type EmulationSummary, summarizeEmulation } from './emulation-summary.js';
import { type MetricQuery, REPLAY_METRICS } from './metric-names.js';
import { componentOf, counterDelta, gaugeStats, rowKey, type TimelineSeries, timeline } from './metric-queries.js';
import type { MetricsSnapshot, RunMetrics, ScrapeResult } from './metrics-snapshot.js';

/**
 * What the cluster's own metrics say about a run: counter deltas (after − before) and gauge
 * statistics over the run's samples, for the quantities listed in metric-names.ts. A quantity no
 * target serves is `null` (the report prints "n/a") and its title is listed in `missing`.
 */

export interface MetricRow {
  readonly key: string;
  readonly value: number;
}

export interface TierHitRow {
  readonly tier: string;
  readonly hitBlocks: number;
}

/** The pool's prefix hit ratio (docs/metrics.md, "Reuse figures"): blocks found ÷ blocks queried. */
export interface PoolHits {
  readonly byTier: readonly TierHitRow[];
  readonly totalHitBlocks: number;
  /** Blocks the requests' prefix queries asked for; null when the pool does not count queries. */
  readonly totalQueriedBlocks: number | null;
  /** queried − hit: blocks asked for and not held (a query that finds nothing counts whole). */
  readonly totalMissBlocks: number | null;
  /** hits ÷ queried. */
  readonly hitRatio: number | null;
}

/** The workers' prefix-hit ratio (docs/metrics.md, "Reuse figures"). */
export interface WorkerReuse {
  /** Reused prompt tokens by source (`local`: the worker's own memory, `pool`). */
  readonly bySource: readonly MetricRow[];
  readonly computedTokens: number | null;
  /** Σ reused + computed: the prompt tokens the workers counted (one count per request sent). */
  readonly countedPromptTokens: number | null;
  /** Σ reused ÷ (Σ reused + computed). */
  readonly hitRatio: number | null;
  /** Tokens computed again (preemption, handoff), by reason; outside the ratio. Null when not served. */
  readonly recomputedByReason: readonly MetricRow[] | null;
}

export interface PhaseIntensityRow {
  readonly phase: string;
  readonly intensityFlopsPerByte: number;
  /**
   * 'counters': ΔFLOPs ÷ Δbytes over the run; 'measured': mean of the workers' measured-OI gauge
   * (probed steps: FLOPs ÷ bytes their kernels moved); 'counted': mean of the counted-OI gauge
   * (FLOPs ÷ weight + KV bytes, both counted from the graph — not a measurement).
   */
  readonly source: 'counters' | 'measured' | 'counted';
  /** @oicf/core's analytic OI at the same shapes (mean of the predicted gauge), null when not served. */
  readonly predictedFlopsPerByte: number | null;
}

export interface WorkerFootprintRow {
  readonly worker: string;
  readonly phase: string;
  readonly meanBytes: number;
  readonly maxBytes: number;
}

export interface ClusterMetricsSummary {
  readonly numTargets: number;
  /** Targets whose last scrape failed, with the reason. */
  readonly failedTargets: readonly { readonly name: string; readonly error: string }[];
  readonly poolHits: PoolHits | null;
  readonly workerReuse: WorkerReuse | null;
  /** The router's prompt-token count by cache source (worker, pool, none). */
  readonly routerCachedTokens: readonly MetricRow[] | null;
  readonly kvBytesByLink: readonly MetricRow[] | null;
  /** 'router': its kv_moved counter; 'workers': per link the larger of the workers' sent and received bytes. */
  readonly kvBytesSource: 'router' | 'workers' | null;
  readonly intensityByPhase: readonly PhaseIntensityRow[] | null;
  readonly capacityFootprintByWorker: readonly WorkerFootprintRow[] | null;
  /** What pacing to an emulated target did, per phase; null when no worker emulates. */
  readonly emulation: EmulationSummary | null;
  readonly rejectsByReason: readonly MetricRow[] | null;
  readonly routingByReason: readonly MetricRow[] | null;
  /** Queued and running requests per target over time (seconds since the replay started). */
  readonly queueTimeline: readonly TimelineSeries[];
  /** Prompt tokens waiting per prefill worker over time. */
  readonly prefillQueueTimeline: readonly TimelineSeries[];
  /** Titles of the quantities no target served. */
  readonly missing: readonly string[];
}

export function summarizeClusterMetrics(metrics: RunMetrics): ClusterMetricsSummary {
  const m = REPLAY_METRICS;
  const missing: string[] = [];
  const note = <T>(title: string, value: T | null): T | null => {
    if (value === null) missing.push(title);
    return value;
  };
  const delta = (q: MetricQuery) => counterDelta(q, metrics.before, metrics.after);
  const samples = [...metrics.during, ...(metrics.after ? [metrics.after] : [])];

  const hits = delta(m.poolHitBlocks);
  const queried = delta(m.poolQueriedBlocks);
  const poolHits = note(m.poolHitBlocks.title, hits === null ? null : poolHitSummary(hits, queried));

  const reused = delta(m.workerReusedTokens);
  const computed = delta(m.workerComputedTokens);
  const recomputed = delta(m.workerRecomputedTokens);
  const workerReuse = note(
    m.workerReusedTokens.title,
    reused === null ? null : reuseSummary(reused, computed === null ? null : sum(computed), recomputed),
  );

  const routerCached = note(m.routerCachedTokens.title, delta(m.routerCachedTokens));
  const kv = kvBytes(delta(m.routerKvBytesByLink), delta(m.workerKvSentBytes), delta(m.workerKvReceivedBytes));
  note(m.routerKvBytesByLink.title, kv.rows);
  const rejects = note(m.rejectsByReason.title, delta(m.rejectsByReason));
  const routing = note(m.routingByReason.title, delta(m.routingByReason));

  const intensityByPhase = note(m.countedIntensityByPhase.title, phaseIntensity(metrics, samples));
  const footprints = note(m.capacityFootprintByWorker.title, workerFootprints(samples));

  return {
    numTargets: metrics.targets.length,
    failedTargets: failed(metrics.after ?? metrics.before),
    poolHits,
    workerReuse,
    routerCachedTokens: routerCached === null ? null : rows(routerCached),
    kvBytesByLink: kv.rows,
    kvBytesSource: kv.source,
    intensityByPhase,
    capacityFootprintByWorker: footprints,
    emulation: summarizeEmulation(metrics),
    rejectsByReason: rejects === null ? null : rows(rejects),
    routingByReason: routing === null ? null : rows(routing),
    queueTimeline: [
      ...timeline(m.queuedRequests, samples, 'queued'),
      ...timeline(m.runningRequests, samples, 'running'),
    ],
    prefillQueueTimeline: timeline(m.prefillQueueTokens, samples, 'prefill queue'),
    missing,
  };
}

function poolHitSummary(hits: Map<string, number>, queried: Map<string, number> | null): PoolHits {
  const byTier = rows(hits).map(({ key, value }) => ({ tier: key, hitBlocks: value }));
  const totalHitBlocks = sum(hits);
  const totalQueriedBlocks = queried === null ? null : sum(queried);
  return {
    byTier,
    totalHitBlocks,
    totalQueriedBlocks,
    totalMissBlocks: totalQueriedBlocks === null ? null : Math.max(0, totalQueriedBlocks - totalHitBlocks),
    hitRatio: totalQueriedBlocks === null || totalQueriedBlocks === 0 ? null : totalHitBlocks / totalQueriedBlocks,
  };
}

function reuseSummary(
  reused: Map<string, number>,
  computed: number | null,
  recomputed: Map<string, number> | null,
): WorkerReuse {
  const total = sum(reused);
  return {
    bySource: rows(reused),
    computedTokens: computed,
    countedPromptTokens: computed === null ? null : total + computed,
    hitRatio: computed === null || total + computed === 0 ? null : total / (total + computed),
    recomputedByReason: recomputed === null ? null : rows(recomputed),
  };
}

/**
 * KV bytes per link. The router's tally wins when served. Otherwise each link's bytes are counted
 * on both ends where both ends are workers (prefill->decode: sent and received) but on one end only
 * where the other end is the pool, so per link the larger of the two sides is the transfer.
 */
function kvBytes(
  router: Map<string, number> | null,
  sent: Map<string, number> | null,
  received: Map<string, number> | null,
): { rows: MetricRow[] | null; source: 'router' | 'workers' | null } {
  if (router !== null) return { rows: rows(router), source: 'router' };
  if (sent === null && received === null) return { rows: null, source: null };
  const merged = new Map<string, number>();
  for (const map of [sent, received]) {
    for (const [link, bytes] of map ?? []) merged.set(link, Math.max(merged.get(link) ?? 0, bytes));
  }
  return { rows: rows(merged), source: 'workers' };
}

function phaseIntensity(metrics: RunMetrics, samples: readonly MetricsSnapshot[]): PhaseIntensityRow[] | null {
  const flops = counterDelta(REPLAY_METRICS.executedFlopsByPhase, metrics.before, metrics.after);
  const bytes = counterDelta(REPLAY_METRICS.movedBytesByPhase, metrics.before, metrics.after);
  const byPhase = (q: MetricQuery) => gaugeStats(q, samples, (s, t) => rowKey(q, s, t), 'mean');
  const measured = byPhase(REPLAY_METRICS.measuredIntensityByPhase);
  const counted = byPhase(REPLAY_METRICS.countedIntensityByPhase);
  const predicted = byPhase(REPLAY_METRICS.predictedIntensityByPhase);
  const out: PhaseIntensityRow[] = [];
  const predictedFor = (phase: string) => {
    const p = predicted.get(phase)?.mean;
    return p === undefined || p <= 0 ? null : p;
  };
  for (const [phase, f] of flops ?? []) {
    const b = bytes?.get(phase);
    if (b !== undefined && b > 0 && f > 0) {
      out.push({ phase, intensityFlopsPerByte: f / b, source: 'counters', predictedFlopsPerByte: predictedFor(phase) });
    }
  }
  for (const [source, gauge] of [
    ['measured', measured],
    ['counted', counted],
  ] as const) {
    for (const [phase, stats] of gauge) {
      if (stats.mean > 0 && !out.some((r) => r.phase === phase)) {
        out.push({ phase, intensityFlopsPerByte: stats.mean, source, predictedFlopsPerByte: predictedFor(phase) });
      }
    }
  }

  return out.length === 0 ? null : out.sort((a, b) => a.phase.localeCompare(b.phase));
}

function workerFootprints(samples: readonly MetricsSnapshot[]): WorkerFootprintRow[] | null {
  const q = REPLAY_METRICS.capacityFootprintByWorker;
  const phaseOf = new Map<string, string>();
  const stats = gaugeStats(
    q,
    samples,
    (s, t) => {
      phaseOf.set(t.name, s.labels.phase ?? s.labels.component ?? componentOf(s.name) ?? 'unknown');
      return t.name;
    },
    'sum',
  );
  if (stats.size === 0) return null;
  return [...stats]
    .map(([worker, st]) => ({ worker, phase: phaseOf.get(worker) ?? 'unknown', meanBytes: st.mean, maxBytes: st.max }))
    .sort((a, b) => a.worker.localeCompare(b.worker));
}

function failed(snapshot: MetricsSnapshot | null): { name: string; error: string }[] {
  return (snapshot?.results ?? [])
    .filter((r: ScrapeResult) => !r.ok)
    .map((r) => ({ name: r.target.name, error: r.error ?? 'scrape failed' }));
}

function rows(map: Map<string, number>): MetricRow[] {
  return [...map].map(([key, value]) => ({ key, value })).sort((a, b) => a.key.localeCompare(b.key));
}

function sum(map: Map<string, number>): number {
  let total = 0;
  for (const v of map.values()) total += v;
  return total;
}
