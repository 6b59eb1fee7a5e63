export {
  type AnchorCounter,
  type AnchorGauge,
  type AnchorHistogram,
  type AnchorSet,
  createAnchorSet,
  DEFAULT_METRIC_NAMES,
  FINISHED_REASONS,
  METRIC_NAMES,
  type MetricNames,
  nameModes,
  zeroAnchors,
} from './anchor-set.js';
export { ANCHORS, type AnchorMetrics, anchorName, createAnchorMetrics, type NameMode } from './anchors.js';
export {
  buckets125,
  INTER_TOKEN_LATENCY_SECONDS_BUCKETS,
  ITERATION_TOKENS_BUCKETS,
  KV_TRANSFER_SECONDS_BUCKETS,
  PREFILL_TOKEN_SECONDS_BUCKETS,
  REQUEST_LATENCY_SECONDS_BUCKETS,
  TTFT_SECONDS_BUCKETS,
} from './buckets.js';
export { appendChunkGaps, chunkGaps } from './inter-token-gaps.js';
export {
  METRIC_UNITS,
  MetricNameError,
  type MetricNameParts,
  type MetricType,
  type MetricUnit,
  metricName,
} from './metric-name.js';
export { createMetrics, type MetricSpec, type MetricsOptions, type OicfMetrics } from './registry.js';
export { ScrapeCounter } from './scrape-counter.js';
export { ScrapeHistogram } from './scrape-histogram.js';
export {
  hostPort,
  type ScrapeRole,
  type ScrapeTarget,
  type ScrapeTargetGroup,
  scrapeTargetGroups,
} from './scrape-targets.js';
