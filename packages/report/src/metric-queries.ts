import { type PromSample, seriesKey } from '@oicf/metrics/prometheus-text';
import { type MetricQuery, TARGET_ROW } from './metric-names.js';
import type { MetricsSnapshot, ScrapeTarget } from './metrics-snapshot.js';

/**
 * Evaluating the queries of metric-names.ts over a run's scrapes: counter deltas per row, gauge
 * statistics per group, and gauge timelines. Pure functions over snapshots.
 */

export interface TimelinePoint {
  readonly atSeconds: number;
  readonly value: number;
}

export interface TimelineSeries {
  readonly name: string;
  readonly points: readonly TimelinePoint[];
}

/**
 * Δ per row: for every series of the query's names in `after`, its value minus the same series
 * (same target, name and labels) in `before`; a series absent before counts from 0, and a value
 * that went down (the service restarted, resetting the counter) counts from 0 too.
 */
export function counterDelta(
  query: MetricQuery,
  before: MetricsSnapshot | null,
  after: MetricsSnapshot | null,
): Map<string, number> | null {
  if (after === null) return null;
  const names = servedNames(query, [after]);
  if (names.size === 0) return null;
  const previous = new Map<string, number>();
  for (const r of before?.results ?? []) {
    for (const s of r.samples) if (names.has(s.name)) previous.set(`${r.target.name}\u0000${seriesKey(s)}`, s.value);
  }
  const out = new Map<string, number>();
  forEachSample(after, names, (s, target) => {
    const prev = previous.get(`${target.name}\u0000${seriesKey(s)}`) ?? 0;
    const d = s.value >= prev ? s.value - prev : s.value;
    const key = rowKey(query, s, target);
    out.set(key, (out.get(key) ?? 0) + d);
  });
  return out;
}

/** The names of a query that some target actually serves ('first': only the most preferred of them). */
export function servedNames(query: MetricQuery, snapshots: readonly MetricsSnapshot[]): Set<string> {
  const present = new Set<string>();
  for (const snap of snapshots) {
    for (const r of snap.results) {
      for (const s of r.samples) present.add(s.name);
      for (const name of r.declared ?? []) present.add(name);
    }
  }
  const served = query.names.filter((n) => present.has(n));
  return new Set(query.mode === 'first' ? served.slice(0, 1) : served);
}

export function forEachSample(
  snapshot: MetricsSnapshot,
  names: ReadonlySet<string>,
  fn: (sample: PromSample, target: ScrapeTarget) => void,
): void {
  for (const r of snapshot.results) for (const s of r.samples) if (names.has(s.name)) fn(s, r.target);
}

/** Row name of a sample: its `rowLabel`, else its component label, else the component in its name, else its target. */
export function rowKey(query: MetricQuery, sample: PromSample, target: ScrapeTarget): string {
  if (query.rowLabel === TARGET_ROW) return target.name;
  return sample.labels[query.rowLabel] ?? sample.labels.component ?? componentOf(sample.name) ?? target.name;
}

/** `oicf_decode_waiting_requests` → 'decode'; undefined for names outside the oicf scheme. */
export function componentOf(name: string): string | undefined {
  return /^oicf_([a-z0-9]+)_/.exec(name)?.[1];
}

/**
 * Mean and max over the run of a gauge, per group. At each scrape a group's value is the sum
 * (`sum`: counts, bytes of one target) or the mean of its positive series (`mean`: intensities of
 * several workers, where an idle worker's 0 means "no step yet"). Scrapes where the value is 0 (an
 * idle worker has no footprint and no measured intensity) are left out of the mean over time, so
 * idle stretches do not dilute it.
 */
export function gaugeStats(
  query: MetricQuery,
  samples: readonly MetricsSnapshot[],
  group: (s: PromSample, t: ScrapeTarget) => string,
  aggregate: 'sum' | 'mean',
): Map<string, { mean: number; max: number }> {
  const names = servedNames(query, samples);
  const values = new Map<string, number[]>();
  for (const snap of samples) {
    const atThisScrape = new Map<string, number[]>();
    forEachSample(snap, names, (s, t) => {
      if (!Number.isFinite(s.value)) return;
      const key = group(s, t);
      const list = atThisScrape.get(key) ?? [];
      list.push(s.value);
      atThisScrape.set(key, list);
    });
    for (const [key, list] of atThisScrape) {
      const positive = list.filter((v) => v > 0);
      const v =
        aggregate === 'sum'
          ? list.reduce((a, b) => a + b, 0)
          : positive.length === 0
            ? 0
            : positive.reduce((a, b) => a + b, 0) / positive.length;
      const series = values.get(key) ?? [];
      series.push(v);
      values.set(key, series);
    }
  }
  const out = new Map<string, { mean: number; max: number }>();
  for (const [key, list] of values) {
    const busy = list.filter((v) => v > 0);
    out.set(key, {
      mean: busy.length === 0 ? 0 : busy.reduce((a, b) => a + b, 0) / busy.length,
      max: Math.max(...list),
    });
  }
  return out;
}

/** One series per (target, served name): the sum of its label combinations at each scrape. */
export function timeline(query: MetricQuery, samples: readonly MetricsSnapshot[], prefix: string): TimelineSeries[] {
  const names = servedNames(query, samples);
  const series = new Map<string, TimelinePoint[]>();
  for (const snap of samples) {
    const atThisScrape = new Map<string, number>();
    forEachSample(snap, names, (s, t) => {
      const key = `${prefix}: ${t.name}${names.size > 1 && query.mode === 'all' ? ` (${shortName(s.name)})` : ''}`;
      atThisScrape.set(key, (atThisScrape.get(key) ?? 0) + s.value);
    });
    for (const [key, value] of atThisScrape) {
      const points = series.get(key) ?? [];
      points.push({ atSeconds: snap.atSeconds, value });
      series.set(key, points);
    }
  }
  return [...series].map(([name, points]) => ({ name, points })).sort((a, b) => a.name.localeCompare(b.name));
}

function shortName(name: string): string {
  return name.replace(/^oicf_[a-z0-9]+_/, '').replace(/^vllm:/, '');
}
