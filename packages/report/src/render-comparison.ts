import {
  formatBytes,
  formatNumber,
  formatPercent,
  formatSeconds,
  type HtmlSection,
  type PlaneDevice,
  renderHtmlPage,
  type TableData,
} from '@oicf/plot';
import type { LatencyStats } from './latency-stats.js';
import { markdownTable } from './markdown-table.js';
import { withSvg } from './render-html.js';
import { groupedBars, latencyCdf, phasePlane } from './replay-charts.js';
import type { ReplayRun } from './replay-record.js';
import type { ReplaySummary } from './replay-summary.js';
import { NA, orNa } from './report-tables.js';
import { simAndReal, simVsRealTable } from './sim-vs-real.js';

/** The twin's error per figure when a comparison holds one real run and simulated ones. */
function simVsRealMarkdown(entries: readonly ComparedRun[]): string[] {
  const pair = simAndReal(entries);
  if (pair === undefined) return [];
  return [
    '## Simulated vs real',
    '',
    'Error = (sim − real) ÷ real; the prefix-hit ratio as the difference in percentage points.',
    '',
    markdownTable(simVsRealTable(pair.real, pair.sims)),
  ];
}

/**
 * `oicf replay --compare`: the same trace under several configurations, side by side: one table,
 * grouped bars per quantity, overlaid latency CDFs and the measured phases on one OI–CF plane.
 */
export interface ComparedRun {
  readonly run: ReplayRun;
  readonly summary: ReplaySummary;
}

export function comparisonTable(entries: readonly ComparedRun[]): TableData {
  const sec = (v: number) => formatSeconds(v);
  // A simulated run beside real ones: say which is which.
  const withKind = entries.some((e) => e.run.meta.targetKind === 'sim');
  const headers = [
    'configuration',
    ...(withKind ? ['kind'] : []),
    'ok / started',
    'rejected',
    'TTFT p50',
    'TTFT p99',
    'TPOT p50',
    'TPOT p99',
    'e2e p99',
    'req/s',
    'output tok/s',
    'SLO attainment',
    'goodput req/s',
    'prefix hit ratio',
    'KV bytes moved',
    'emulation underruns',
  ];
  return {
    columns: headers.map((header, i) => ({ header, align: i === 0 ? 'left' : 'right' })),
    rows: entries.map(({ run, summary: s }) => [
      s.label + (s.interrupted ? ' (interrupted)' : ''),
      ...(withKind ? [run.meta.targetKind === 'sim' ? 'sim' : 'real'] : []),
      `${s.byStatus.ok} / ${s.numStarted}`,
      String(s.byStatus.rejected),
      orNa(s.ttft?.p50Seconds, sec),
      orNa(s.ttft?.p99Seconds, sec),
      orNa(s.tpot?.p50Seconds, sec),
      orNa(s.tpot?.p99Seconds, sec),
      orNa(s.e2e?.p99Seconds, sec),
      orNa(s.throughput.requestsPerSecond, (v) => formatNumber(v)),
      orNa(s.throughput.outputTokensPerSecond, (v) => formatNumber(v)),
      orNa(s.goodput.attainment, formatPercent),
      orNa(s.goodput.requestsPerSecond, (v) => formatNumber(v)),
      orNa(s.prefix.hitRatio, formatPercent),
      orNa(s.kvBytesMoved, formatBytes),
      underruns(s),
    ]),
  };
}

/** Per phase, the share of paced steps that ran slower here than on the target ('none' without emulation). */
function underruns(s: ReplaySummary): string {
  const e = s.cluster.emulation;
  if (e === null || e.byPhase.length === 0) return 'none (not emulating)';
  return e.byPhase.map((r) => `${r.phase} ${orNa(r.underrunShare, formatPercent)}`).join(', ');
}

export function renderComparisonMarkdown(title: string, entries: readonly ComparedRun[]): string {
  const first = entries[0]?.run.meta;
  const slo = entries[0]?.summary.goodput.slo;
  return [
    `# ${title}`,
    '',
    first
      ? `- trace: \`${first.traceFile}\`, ${first.loop} loop, speed ×${formatNumber(first.speed)}, token scale ×${formatNumber(first.tokenScale)}`
      : '',
    slo ? `- SLOs: TTFT ≤ ${orNa(slo.ttftSeconds, formatSeconds)}, TPOT ≤ ${orNa(slo.tpotSeconds, formatSeconds)}` : '',
    '',
    markdownTable(comparisonTable(entries)),
    ...simVsRealMarkdown(entries),
    'Each configuration’s full report is in its own folder beside this file.',
    '',
  ]
    .filter((line, i, all) => !(line === '' && all[i - 1] === ''))
    .join('\n');
}

export function renderComparisonHtml(title: string, entries: readonly ComparedRun[], planeDevice: PlaneDevice): string {
  const runs = entries.map((e) => e.run);
  const names = entries.map((e) => e.summary.label);
  const pct = (pick: (s: LatencyStats) => number, stats: (s: ReplaySummary) => LatencyStats | null) =>
    entries.map((e) => {
      const st = stats(e.summary);
      return st === null ? null : pick(st);
    });
  const latencyBars = (key: 'ttft' | 'tpot' | 'e2e', label: string) =>
    groupedBars(
      `bars-${key}`,
      `${label} percentiles`,
      ['p50', 'p90', 'p99'],
      names.map((name, i) => ({
        name,
        values: [
          pct(
            (s) => s.p50Seconds,
            (s) => s[key],
          )[i] ?? null,
          pct(
            (s) => s.p90Seconds,
            (s) => s[key],
          )[i] ?? null,
          pct(
            (s) => s.p99Seconds,
            (s) => s[key],
          )[i] ?? null,
        ],
      })),
      { title: `${label} (s)`, format: 'seconds' },
    );
  const pair = simAndReal(entries);
  const sections: HtmlSection[] = [
    { heading: 'Side by side', table: comparisonTable(entries) },
    ...(pair === undefined ? [] : [{ heading: 'Simulated vs real', table: simVsRealTable(pair.real, pair.sims) }]),
    withSvg({ heading: 'TTFT' }, latencyBars('ttft', 'TTFT')),
    withSvg({ heading: 'TPOT' }, latencyBars('tpot', 'TPOT')),
    withSvg({ heading: 'End-to-end' }, latencyBars('e2e', 'end-to-end')),
    withSvg(
      { heading: 'Throughput and goodput' },
      groupedBars(
        'bars-rates',
        'Requests per second',
        ['throughput', 'goodput (met SLOs)'],
        entries.map((e) => ({
          name: e.summary.label,
          values: [e.summary.throughput.requestsPerSecond, e.summary.goodput.requestsPerSecond],
        })),
        { title: 'requests/s', unit: 'req/s' },
      ),
    ),
    withSvg(
      { heading: 'SLO attainment and prefix hits' },
      groupedBars(
        'bars-fractions',
        'Fractions',
        ['SLO attainment', 'prefix hit ratio'],
        entries.map((e) => ({
          name: e.summary.label,
          values: [e.summary.goodput.attainment, e.summary.prefix.hitRatio],
        })),
        { title: 'fraction', format: 'percent', range: [0, 1] },
      ),
    ),
    withSvg({ heading: 'TTFT CDFs' }, latencyCdf(runs, 'ttft', 'cdf-ttft')),
    withSvg({ heading: 'TPOT CDFs' }, latencyCdf(runs, 'tpot', 'cdf-tpot')),
    withSvg({ heading: 'End-to-end CDFs' }, latencyCdf(runs, 'e2e', 'cdf-e2e')),
    withSvg({ heading: 'OI and CF per phase' }, phasePlane(entries, planeDevice, 'plane')),
  ];
  const first = entries[0]?.run.meta;
  return renderHtmlPage({
    title,
    subtitle: first
      ? `${first.traceFile} · ${first.loop} loop · speed ×${formatNumber(first.speed)} · token scale ×${formatNumber(first.tokenScale)}`
      : NA,
    sections,
    footer: 'Written by `oicf replay --compare`. Each configuration’s own report is in its folder beside this page.',
  });
}
