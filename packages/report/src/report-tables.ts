import { formatBytes, formatNumber, formatPercent, formatSeconds, type TableData } from '@oicf/plot';
import type { MetricRow } from './cluster-metrics.js';
import type { LatencyStats } from './latency-stats.js';
import type { ReplaySummary } from './replay-summary.js';

/**
 * The tables of a replay report, shared by the Markdown and HTML renderers so both show the same
 * numbers. Cells are preformatted strings; a missing quantity prints as "n/a".
 */

export const NA = 'n/a';

export function orNa<T>(value: T | null | undefined, format: (v: T) => string): string {
  return value === null || value === undefined ? NA : format(value);
}

const seconds = (v: number) => formatSeconds(v);
const rate = (unit: string) => (v: number) => `${formatNumber(v)} ${unit}`;

export function overviewTable(s: ReplaySummary): TableData {
  const g = s.goodput;
  const slo = [
    g.slo.ttftSeconds === null ? null : `TTFT ≤ ${formatSeconds(g.slo.ttftSeconds)}`,
    g.slo.tpotSeconds === null ? null : `TPOT ≤ ${formatSeconds(g.slo.tpotSeconds)}`,
  ]
    .filter((x) => x !== null)
    .join(', ');
  const rows: [string, string][] = [
    ['requests planned', String(s.numPlanned)],
    ['requests started', String(s.numStarted)],
    ['ok', String(s.byStatus.ok)],
    ['rejected (429)', String(s.byStatus.rejected)],
    ['errors', String(s.byStatus.error)],
    ['cancelled', String(s.byStatus.cancelled)],
    ['duration', formatSeconds(s.durationSeconds)],
    ['throughput', orNa(s.throughput.requestsPerSecond, rate('req/s'))],
    ['output tokens/s', orNa(s.throughput.outputTokensPerSecond, rate('tok/s'))],
    [`SLO attainment (${slo || 'no SLO'})`, orNa(g.attainment, formatPercent)],
    ['goodput', orNa(g.requestsPerSecond, rate('req/s'))],
    ['measured hit ratio (client: cached ÷ prompt tokens)', prefixHitCell(s)],
    ['KV bytes moved (router-reported)', orNa(s.kvBytesMoved, formatBytes)],
    [
      `waited for a slot (cap ${s.concurrency.limit ?? 'none'})`,
      `${s.concurrency.numWaited}${s.concurrency.slotWait ? `, mean ${formatSeconds(s.concurrency.slotWait.meanSeconds)}` : ''}`,
    ],
  ];
  if (s.interrupted) rows.unshift(['status', 'INTERRUPTED: partial report']);
  return { columns: [{ header: 'quantity' }, { header: 'value', align: 'right' }], rows };
}

/** The measured hit ratio, and beside it the ceiling an unlimited cache at the cluster's block size allows. */
function prefixHitCell(s: ReplaySummary): string {
  const hit = orNa(s.prefix.hitRatio, formatPercent);
  const c = s.reuseCeiling;
  return c === null ? hit : `${hit} (ceiling ${formatPercent(c.ratio)} at ${c.blockTokens}-token blocks)`;
}

export function latencyTable(s: ReplaySummary): TableData {
  const row = (name: string, st: LatencyStats | null) => [
    name,
    st === null ? '0' : String(st.count),
    orNa(st?.meanSeconds, seconds),
    orNa(st?.p50Seconds, seconds),
    orNa(st?.p90Seconds, seconds),
    orNa(st?.p99Seconds, seconds),
    orNa(st?.maxSeconds, seconds),
  ];
  return {
    columns: ['latency', 'samples', 'mean', 'p50', 'p90', 'p99', 'max'].map((h, i) => ({
      header: h,
      align: i === 0 ? 'left' : 'right',
    })),
    rows: [row('TTFT', s.ttft), row('TPOT', s.tpot), row('inter-token', s.interToken), row('end-to-end', s.e2e)],
    caption: 'ok requests only; nearest-rank percentiles',
  };
}

export function prefixSourceTable(s: ReplaySummary): TableData {
  const router = s.cluster.routerCachedTokens;
  return {
    columns: [
      { header: 'cache source (router)' },
      { header: 'requests', align: 'right' },
      { header: 'cached tokens', align: 'right' },
      { header: 'share of prompt tokens', align: 'right' },
      { header: 'router counted (tokens)', align: 'right' },
    ],
    rows: s.prefix.bySource.map((r) => [
      r.source,
      String(r.numRequests),
      String(r.numCachedTokens),
      formatPercent(r.shareOfPromptTokens),
      // The router counts a request's uncached tokens under 'none', so only worker and pool compare.
      router === null || r.source === 'none' || r.source === 'unknown'
        ? NA
        : formatNumber(router.find((x) => x.key === r.source)?.value ?? 0),
    ]),
    caption: `client: prompt tokens ${s.prefix.numPromptTokens}, cached ${s.prefix.numCachedTokens} (from each response's usage and oicf block)`,
  };
}

export function poolTierTable(s: ReplaySummary): TableData {
  const p = s.cluster.poolHits;
  const rows: string[][] =
    p === null
      ? [[NA, NA, NA, NA]]
      : [
          ...p.byTier.map((r) => [r.tier, String(r.hitBlocks), '', '']),
          ['all tiers', String(p.totalHitBlocks), orNa(p.totalMissBlocks, String), orNa(p.hitRatio, formatPercent)],
        ];
  return {
    columns: [
      { header: 'pool tier' },
      { header: 'hit blocks', align: 'right' },
      { header: 'miss blocks', align: 'right' },
      { header: 'hit ratio', align: 'right' },
    ],
    rows,
    caption:
      'the pool’s /metrics, Δ over the run, over the blocks the router’s prefix queries asked for (once per routed prompt); a miss is a block no tier held, so misses have no tier, and a query that found nothing counts all its blocks as misses',
  };
}

export function workerReuseTable(s: ReplaySummary): TableData {
  const w = s.cluster.workerReuse;
  const total = w === null ? 0 : w.bySource.reduce((a, r) => a + r.value, 0) + (w.computedTokens ?? 0);
  const share = (v: number) => (w?.computedTokens === null || total === 0 ? NA : formatPercent(v / total));
  const rows: string[][] =
    w === null
      ? [[NA, NA, NA]]
      : [
          ...w.bySource.map((r) => [`reused: ${r.key}`, formatNumber(r.value), share(r.value)]),
          ['computed', orNa(w.computedTokens, formatNumber), orNa(w.computedTokens, share)],
          ['prompt tokens counted (reused + computed)', orNa(w.countedPromptTokens, formatNumber), ''],
          ...(w.recomputedByReason ?? []).map((r) => [
            `recomputed (not in the ratio): ${r.key}`,
            formatNumber(r.value),
            '',
          ]),
        ];
  return {
    columns: [
      { header: 'worker prompt tokens' },
      { header: 'tokens', align: 'right' },
      { header: 'share', align: 'right' },
    ],
    rows,
    caption: `the workers’ /metrics, Δ over the run (local = the worker’s own KV memory); each prompt token is counted once, by the worker that prefills it, so “counted” should equal the ${formatNumber(s.prefix.numPromptTokens)} prompt tokens of ok requests (plus any of failed ones)`,
  };
}

export function metricRowsTable(
  rows: readonly MetricRow[] | null,
  key: string,
  value: string,
  fmt: (v: number) => string,
): TableData {
  return {
    columns: [{ header: key }, { header: value, align: 'right' }],
    rows: rows === null ? [[NA, NA]] : rows.length === 0 ? [['(none)', '0']] : rows.map((r) => [r.key, fmt(r.value)]),
  };
}

export function kvLinkTable(s: ReplaySummary): TableData {
  const source = s.cluster.kvBytesSource;
  return {
    ...metricRowsTable(s.cluster.kvBytesByLink, 'link', 'bytes', formatBytes),
    caption:
      source === 'router'
        ? 'the router’s tally of KV moved per link'
        : source === 'workers'
          ? 'the workers’ counters: per link the larger of bytes sent and bytes received'
          : 'no service serves KV byte counters',
  };
}

export function rejectsTable(s: ReplaySummary): TableData {
  const reasons = new Set([
    ...s.rejectsByReason.map((r) => r.key),
    ...(s.cluster.rejectsByReason ?? []).map((r) => r.key),
  ]);
  const rows = [...reasons]
    .sort()
    .map((reason) => [
      reason,
      String(s.rejectsByReason.find((r) => r.key === reason)?.value ?? 0),
      s.cluster.rejectsByReason === null
        ? NA
        : formatNumber(s.cluster.rejectsByReason.find((r) => r.key === reason)?.value ?? 0),
    ]);
  for (const e of s.errorsByCode) rows.push([`error: ${e.key}`, String(e.value), NA]);
  return {
    columns: [
      { header: 'reason' },
      { header: 'client saw', align: 'right' },
      { header: 'router counted', align: 'right' },
    ],
    rows: rows.length === 0 ? [['(none)', '0', s.cluster.rejectsByReason === null ? NA : '0']] : rows,
  };
}

export function phaseTable(s: ReplaySummary): TableData {
  const oi = s.cluster.intensityByPhase ?? [];
  const cf = s.cluster.capacityFootprintByWorker ?? [];
  const phases = [...new Set([...oi.map((r) => r.phase), ...cf.map((r) => r.phase)])].sort();
  const rows = phases.map((phase) => {
    const row = oi.find((r) => r.phase === phase);
    const cfMean = meanFootprint(s, phase);
    return [
      phase,
      orNa(row?.intensityFlopsPerByte, (v) => formatNumber(v)),
      row?.source ?? NA,
      orNa(row?.predictedFlopsPerByte, (v) => formatNumber(v)),
      orNa(cfMean, formatBytes),
    ];
  });
  return {
    columns: [
      { header: 'phase' },
      { header: 'OI (FLOP/byte)', align: 'right' },
      { header: 'OI source' },
      { header: 'predicted OI', align: 'right' },
      { header: 'CF per request (mean over workers)', align: 'right' },
    ],
    rows: rows.length === 0 ? [[NA, NA, NA, NA, NA]] : rows,
  };
}

/** Mean over the workers of one phase of their mean footprint per request; null when none reported. */
export function meanFootprint(s: ReplaySummary, phase: string): number | null {
  const list = (s.cluster.capacityFootprintByWorker ?? []).filter((r) => r.phase === phase && r.meanBytes > 0);
  return list.length === 0 ? null : list.reduce((a, r) => a + r.meanBytes, 0) / list.length;
}

export function footprintTable(s: ReplaySummary): TableData {
  return {
    columns: [
      { header: 'worker' },
      { header: 'phase' },
      { header: 'CF mean', align: 'right' },
      { header: 'CF max', align: 'right' },
    ],
    rows:
      s.cluster.capacityFootprintByWorker === null
        ? [[NA, NA, NA, NA]]
        : s.cluster.capacityFootprintByWorker.map((r) => [
            r.worker,
            r.phase,
            formatBytes(r.meanBytes),
            formatBytes(r.maxBytes),
          ]),
  };
}

export function routingTable(s: ReplaySummary): TableData {
  const rows: string[][] = [
    ...s.routing.byPolicy.map((r) => [`policy ${r.key}`, String(r.value)]),
    ...s.routing.byReason.map((r) => [`reason ${r.key}`, String(r.value)]),
  ];
  const e = s.routing.ttftPredictionError;
  rows.push([
    'predicted − observed TTFT (mean / mean abs)',
    e === null ? NA : `${formatSeconds(e.meanSignedSeconds)} / ${formatSeconds(e.meanAbsoluteSeconds)} (${e.count})`,
  ]);
  return { columns: [{ header: 'routing' }, { header: 'requests', align: 'right' }], rows };
}

/** A line noting metric quantities no service served and scrape targets that failed. */
export function metricsNote(s: ReplaySummary): string {
  const parts: string[] = [`${s.cluster.numTargets} metrics endpoint(s) scraped.`];
  if (s.cluster.failedTargets.length > 0) {
    parts.push(`Failed: ${s.cluster.failedTargets.map((f) => `${f.name} (${f.error})`).join('; ')}.`);
  }
  if (s.cluster.missing.length > 0) parts.push(`Not served (n/a): ${s.cluster.missing.join(', ')}.`);
  return parts.join(' ');
}
