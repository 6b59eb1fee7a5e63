// @oicf/metrics/prometheus-text: reading the Prometheus text exposition format. Pure (no
// prom-client, no node:*), so pure packages such as @oicf/report may import it. Re-exports only.

export {
  familyOf,
  type PromMetricType,
  type PromParseIssue,
  type PromParseResult,
  type PromSample,
  parsePrometheusText,
  seriesKey,
} from './parse-prometheus-text.js';
export { selectSamples, seriesValue, sumSamples } from './sample-queries.js';
