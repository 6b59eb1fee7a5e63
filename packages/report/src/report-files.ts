import type { PlaneDevice } from '@oicf/plot';
import { type ComparedRun, renderComparisonHtml, renderComparisonMarkdown } from './render-comparison.js';
import { renderReplayHtml } from './render-html.js';
import { renderReplayMarkdown } from './render-markdown.js';
import type { ReplayRun } from './replay-record.js';
import type { ReplaySummary } from './replay-summary.js';

/** A file of a report: a name inside the output folder and its text. */
export interface ReportFile {
  readonly name: string;
  readonly content: string;
}

export const REPLAY_REPORT_FORMAT = 'oicf-replay-report';
export const REPLAY_REPORT_VERSION = 1;

/** The JSON document of one run: metadata, summary, every request record, timelines and scrapes. */
export function replayJson(run: ReplayRun, summary: ReplaySummary): unknown {
  return {
    format: REPLAY_REPORT_FORMAT,
    version: REPLAY_REPORT_VERSION,
    meta: run.meta,
    numPlanned: run.numPlanned,
    durationSeconds: run.durationSeconds,
    interrupted: run.interrupted,
    summary,
    clientTimeline: run.clientTimeline,
    metrics: run.metrics,
    clusterEvents: run.clusterEvents ?? null,
    requests: run.records,
  };
}

/** JSON with non-finite numbers (NaN, ±Inf from a scrape) written as null, so it always parses. */
export function stringifyReport(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/** replay.json, replay.md and replay.html of one run. */
export function replayReportFiles(run: ReplayRun, summary: ReplaySummary, planeDevice: PlaneDevice): ReportFile[] {
  return [
    { name: 'replay.json', content: stringifyReport(replayJson(run, summary)) },
    { name: 'replay.md', content: renderReplayMarkdown(run, summary) },
    { name: 'replay.html', content: renderReplayHtml(run, summary, { planeDevice }) },
  ];
}

/** compare.json, compare.md and compare.html over several runs of one trace. */
export function comparisonReportFiles(
  title: string,
  entries: readonly ComparedRun[],
  planeDevice: PlaneDevice,
): ReportFile[] {
  const json = {
    format: `${REPLAY_REPORT_FORMAT}-comparison`,
    version: REPLAY_REPORT_VERSION,
    title,
    runs: entries.map((e) => ({ meta: e.run.meta, summary: e.summary })),
  };
  return [
    { name: 'compare.json', content: stringifyReport(json) },
    { name: 'compare.md', content: renderComparisonMarkdown(title, entries) },
    { name: 'compare.html', content: renderComparisonHtml(title, entries, planeDevice) },
  ];
}
