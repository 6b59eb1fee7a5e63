import { formatNumber, type HtmlSection, type PlaneDevice, renderHtmlPage } from '@oicf/plot';
import { emulationTable, eventsTable, fidelityWarnings, reuseTable } from './fidelity-tables.js';
import { runFacts } from './render-markdown.js';
import { groupedBars, latencyCdf, phasePlane, prefillQueueChart, queueChart } from './replay-charts.js';
import type { ReplayRun } from './replay-record.js';
import type { ReplaySummary } from './replay-summary.js';
import {
  footprintTable,
  kvLinkTable,
  latencyTable,
  meanFootprint,
  metricsNote,
  overviewTable,
  phaseTable,
  poolTierTable,
  prefixSourceTable,
  rejectsTable,
  routingTable,
  workerReuseTable,
} from './report-tables.js';

export interface HtmlReportOptions {
  /** Device whose ridge and capacity wall frame the OI–CF plane (the machine the kernels ran on). */
  readonly planeDevice: PlaneDevice;
}

/** One self-contained HTML page (inline SVG, no external URLs) for one run. */
export function renderReplayHtml(run: ReplayRun, s: ReplaySummary, options: HtmlReportOptions): string {
  const runs = [run];
  const sections: HtmlSection[] = [
    {
      heading: 'Overview',
      text: [
        s.interrupted ? '**Interrupted (Ctrl-C): partial report.**' : '',
        ...fidelityWarnings(s).map((w) => `**Warning:** ${w}`),
        ...runFacts(run, s).map(([k, v]) => `- ${k}: ${v}`),
      ]
        .filter((x) => x !== '')
        .join('\n'),
      table: overviewTable(s),
    },
    {
      heading: 'Latency',
      text: 'TTFT is measured from sending the request (after any wait for a concurrency slot) to the first streamed token; TPOT is (end-to-end − TTFT) ÷ (output tokens − 1); inter-token gaps are per streamed chunk.',
      table: latencyTable(s),
    },
    withSvg({ heading: 'TTFT distribution' }, latencyCdf(runs, 'ttft', 'cdf-ttft')),
    withSvg({ heading: 'TPOT distribution' }, latencyCdf(runs, 'tpot', 'cdf-tpot')),
    withSvg({ heading: 'Inter-token distribution' }, latencyCdf(runs, 'interToken', 'cdf-itl')),
    withSvg({ heading: 'End-to-end distribution' }, latencyCdf(runs, 'e2e', 'cdf-e2e')),
    withSvg(
      {
        heading: 'Queueing over time',
        text: 'Client counts come from the replay driver; cluster series from the services’ queue gauges, scraped about once a second.',
      },
      queueChart(run, s, 'queue'),
    ),
    ...(s.cluster.prefillQueueTimeline.length > 0
      ? [withSvg({ heading: 'Prefill queue over time' }, prefillQueueChart(s, 'prefill-queue'))]
      : []),
    {
      heading: 'Reuse figures',
      text: 'Three figures of prefix reuse, each defined once in docs/metrics.md: what clients were told, what the workers counted, what the pool found for the router’s queries.',
      table: reuseTable(s),
    },
    withSvg(
      {
        heading: 'Prefix cache',
        text: 'Share of prompt tokens served from each cache source the router reported, then the tiers’ own counters.',
        table: prefixSourceTable(s),
      },
      groupedBars(
        'prefix',
        'Prefix hits: share of prompt tokens',
        s.prefix.bySource.filter((r) => r.source !== 'none').map((r) => r.source),
        [
          {
            name: run.meta.label,
            values: s.prefix.bySource.filter((r) => r.source !== 'none').map((r) => r.shareOfPromptTokens),
          },
        ],
        { title: 'share of prompt tokens', format: 'percent' },
      ),
    ),
    { heading: 'Prefix hits per pool tier', table: poolTierTable(s) },
    { heading: 'Prefix reuse at the workers', table: workerReuseTable(s) },
    withSvg(
      { heading: 'KV bytes by link', table: kvLinkTable(s) },
      groupedBars(
        'kv-links',
        'KV bytes moved per link',
        (s.cluster.kvBytesByLink ?? []).map((r) => r.key),
        [{ name: run.meta.label, values: (s.cluster.kvBytesByLink ?? []).map((r) => r.value) }],
        { title: 'bytes', format: 'bytes' },
      ),
    ),
    withSvg(
      {
        heading: 'OI and CF per phase',
        text: planeText(s, options.planeDevice),
        table: phaseTable(s),
      },
      phasePlane([{ run, summary: s }], options.planeDevice, 'plane'),
    ),
    { heading: 'Capacity footprint per worker', table: footprintTable(s) },
    ...(s.cluster.emulation === null ? [] : [{ heading: 'Emulation', table: emulationTable(s) }]),
    { heading: 'Worker events', table: eventsTable(s) },
    withSvg(
      { heading: 'Rejects and errors', table: rejectsTable(s) },
      groupedBars(
        'rejects',
        'Rejected requests by reason',
        s.rejectsByReason.map((r) => r.key),
        [{ name: run.meta.label, values: s.rejectsByReason.map((r) => r.value) }],
        { title: 'requests', unit: 'requests' },
      ),
    ),
    { heading: 'Routing', table: routingTable(s) },
    { heading: 'Metrics sources', text: metricsNote(s) },
  ];
  return renderHtmlPage({
    title: `Replay: ${run.meta.label}`,
    subtitle: `${run.meta.traceFile} · ${s.numStarted} of ${s.numPlanned} requests · ${run.meta.loop} loop`,
    sections,
    footer: 'Written by `oicf replay`. Raw per-request records are in replay.json beside this page.',
  });
}

function planeText(s: ReplaySummary, device: PlaneDevice): string {
  const ridge = formatNumber(device.peakFlopsPerSecond / device.bandwidthBytesPerSecond);
  const unplaced = (s.cluster.intensityByPhase ?? [])
    .filter((r) => meanFootprint(s, r.phase) === null)
    .map((r) => r.phase);
  return [
    `Measured operational intensity of the real kernels per phase against the mean capacity footprint per request of that phase’s workers, on the plane of ${device.name} (ridge ${ridge} FLOP/byte).`,
    unplaced.length > 0
      ? `Not on the plane (no footprint reported: such workers hold no sequence between steps): ${unplaced.join(', ')}.`
      : '',
  ]
    .filter((x) => x !== '')
    .join(' ');
}

/** Adds a chart to a section when there is one; otherwise says, in plain words, why there is none. */
export function withSvg(section: HtmlSection, svg: string | undefined): HtmlSection {
  if (svg !== undefined) return { ...section, svg };
  const why = 'No chart: nothing to plot for this run (no scraped service reported it, or every value is zero).';
  return { ...section, text: [section.text, why].filter(Boolean).join('\n\n') };
}
