export {
  type ClusterMetricsSummary,
  type MetricRow,
  type PhaseIntensityRow,
  type PoolHits,
  summarizeClusterMetrics,
  type TierHitRow,
  type WorkerFootprintRow,
  type WorkerReuse,
} from './cluster-metrics.js';
export {
  type EmulationPhaseRow,
  type EmulationSummary,
  summarizeEmulation,
  UNDERRUN_WARN_SHARE,
} from './emulation-summary.js';
export { emulationTable, eventsTable, fidelityWarnings, modelLine, reuseTable } from './fidelity-tables.js';
export { computeGoodput, DEFAULT_SLO, type Goodput, meetsSlo, type Slo } from './goodput.js';
export { type LatencyStats, latencyStats } from './latency-stats.js';
export { markdownTable } from './markdown-table.js';
export {
  type MetricQuery,
  REPLAY_METRICS,
  type ReplayMetricKey,
  replayMetricNames,
  TARGET_ROW,
  TIMELINE_METRICS,
} from './metric-names.js';
export {
  componentOf,
  counterDelta,
  gaugeStats,
  rowKey,
  servedNames,
  type TimelinePoint,
  type TimelineSeries,
  timeline,
} from './metric-queries.js';
export {
  filterSnapshot,
  type MetricsSnapshot,
  type RunMetrics,
  type ScrapeResult,
  type ScrapeTarget,
} from './metrics-snapshot.js';
export { type ReadReplayResult, readReplayJson } from './read-replay-json.js';
export {
  type ComparedRun,
  comparisonTable,
  renderComparisonHtml,
  renderComparisonMarkdown,
} from './render-comparison.js';
export { type HtmlReportOptions, renderReplayHtml } from './render-html.js';
export { renderReplayMarkdown } from './render-markdown.js';
export { LATENCY_TITLES, type LatencyKind, latencySamples } from './replay-charts.js';
export {
  type CacheSource,
  type ClientTimelinePoint,
  type ClusterEvent,
  type ClusterEvents,
  REQUEST_STATUSES,
  type ReplayMeta,
  type ReplayRequestRecord,
  type ReplayRun,
  type RequestStatus,
  type ReuseCeilingFigure,
  type RoutingInfo,
} from './replay-record.js';
export { countBy, type PrefixSummary, prefixSummary, type ReplaySummary, summarizeReplay } from './replay-summary.js';
export {
  comparisonReportFiles,
  REPLAY_REPORT_FORMAT,
  REPLAY_REPORT_VERSION,
  type ReportFile,
  replayJson,
  replayReportFiles,
  stringifyReport,
} from './report-files.js';
export { type ReuseFigure, reuseFigures } from './reuse-figures.js';
export { type FigureError, simAndReal, simVsReal, simVsRealTable } from './sim-vs-real.js';
