import {
  type BarSeries,
  type LineSeries,
  type PlaneDevice,
  type PlaneSeries,
  renderBarChart,
  renderCdfChart,
  renderLineChart,
  renderOicfPlane,
  type ValueAxis,
} from '@oicf/plot';
import type { ReplayRun } from './replay-record.js';
import type { ReplaySummary } from './replay-summary.js';
import { meanFootprint } from './report-tables.js';

/**
 * SVG charts of replay reports (single runs and comparisons). Each returns undefined when it has
 * nothing to draw, so the page shows the table (with its n/a) instead of an empty frame.
 */

export type LatencyKind = 'ttft' | 'tpot' | 'interToken' | 'e2e';

export const LATENCY_TITLES: Record<LatencyKind, string> = {
  ttft: 'time to first token',
  tpot: 'time per output token',
  interToken: 'inter-token latency',
  e2e: 'end-to-end latency',
};

/** The samples behind one latency kind: ok requests only. */
export function latencySamples(run: ReplayRun, kind: LatencyKind): number[] {
  const ok = run.records.filter((r) => r.status === 'ok');
  if (kind === 'interToken') return ok.flatMap((r) => r.interTokenSeconds);
  const pick = { ttft: 'ttftSeconds', tpot: 'tpotSeconds', e2e: 'e2eSeconds' } as const;
  return ok.map((r) => r[pick[kind]]).filter((v): v is number => v !== null);
}

/** Overlaid CDFs of one latency kind, one series per run (log x axis: latencies span decades). */
export function latencyCdf(runs: readonly ReplayRun[], kind: LatencyKind, id: string): string | undefined {
  const series = runs.map((r) => ({ name: r.meta.label, samples: latencySamples(r, kind) }));
  if (series.every((s) => s.samples.length === 0)) return undefined;
  const positive = series.every((s) => s.samples.every((v) => v > 0));
  return renderCdfChart({
    id,
    title: `CDF of ${LATENCY_TITLES[kind]}`,
    xAxis: { title: `${LATENCY_TITLES[kind]} (s)`, format: 'seconds', scale: positive ? 'log' : 'linear' },
    series,
  });
}

/** Queueing over time: the client's in-flight and slot-waiting counts plus the cluster's queue gauges. */
export function queueChart(run: ReplayRun, summary: ReplaySummary, id: string): string | undefined {
  const t = run.clientTimeline;
  const series: LineSeries[] = [
    { name: 'client: in flight', points: t.map((p) => ({ x: p.atSeconds, y: p.numInFlight })) },
    { name: 'client: waiting for a slot', points: t.map((p) => ({ x: p.atSeconds, y: p.numWaitingForSlot })) },
    ...summary.cluster.queueTimeline.map((s) => ({
      name: s.name,
      points: s.points.filter((p) => p.atSeconds >= 0).map((p) => ({ x: p.atSeconds, y: p.value })),
    })),
  ].filter((s) => s.points.length > 0);
  if (series.length === 0) return undefined;
  return renderLineChart({
    id,
    title: 'Queueing over time',
    xAxis: { title: 'time since replay start (s)', format: 'seconds' },
    yAxis: { title: 'requests', unit: 'requests' },
    series,
    step: true,
  });
}

/** Prompt tokens waiting per prefill worker over time (its own chart: tokens, not requests). */
export function prefillQueueChart(summary: ReplaySummary, id: string): string | undefined {
  const series = summary.cluster.prefillQueueTimeline
    .map((s) => ({
      name: s.name,
      points: s.points.filter((p) => p.atSeconds >= 0).map((p) => ({ x: p.atSeconds, y: p.value })),
    }))
    .filter((s) => s.points.length > 0);
  if (series.length === 0) return undefined;
  return renderLineChart({
    id,
    title: 'Prefill queue over time',
    xAxis: { title: 'time since replay start (s)', format: 'seconds' },
    yAxis: { title: 'tokens waiting', unit: 'tokens' },
    series,
    step: true,
  });
}

/** Grouped bars: categories × one series per run; skipped when every value is null. */
export function groupedBars(
  id: string,
  title: string,
  categories: readonly string[],
  series: readonly BarSeries[],
  yAxis: ValueAxis,
): string | undefined {
  if (categories.length === 0 || series.every((s) => s.values.every((v) => v === null))) return undefined;
  return renderBarChart({ id, title, categories, series, yAxis });
}

/**
 * Measured points per phase on the OI–CF plane of `device`: x = mean capacity footprint per
 * request of the phase's workers, y = the phase's OI (measured on probed steps when the workers
 * probed any, else counted; the report's OI table names the source). Only phases with both are drawn.
 */
export function phasePlane(
  runs: readonly { run: ReplayRun; summary: ReplaySummary }[],
  device: PlaneDevice,
  id: string,
): string | undefined {
  const series: PlaneSeries[] = [];
  for (const { run, summary } of runs) {
    const points = (summary.cluster.intensityByPhase ?? []).flatMap((row) => {
      const cf = meanFootprint(summary, row.phase);
      return cf !== null && cf > 0 && row.intensityFlopsPerByte > 0
        ? [{ capacityFootprintBytes: cf, intensityFlopsPerByte: row.intensityFlopsPerByte, label: row.phase }]
        : [];
    });
    if (points.length > 0) series.push({ name: run.meta.label, points, connect: false });
  }
  if (series.length === 0) return undefined;
  return renderOicfPlane({
    id,
    title: 'Measured OI and CF per phase',
    subtitle: `on ${device.name}`,
    devices: [device],
    series,
    connect: false,
  });
}
