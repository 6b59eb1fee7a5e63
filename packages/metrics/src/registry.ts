// A prom-client Registry per service with a `component` label on every series, and metric factories that
// enforce the naming rules of metric-name.ts. Pass `metrics.registry` to the transport's startService as
// its /metrics source. Counters and histograms are this package's scrape-time ones (scrape-counter.ts,
// scrape-histogram.ts: plain numbers per series on the hot path, prom-client's exposition at scrape time);
// gauges are prom-client's.
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { type MetricUnit, metricName } from './metric-name.js';
import { ScrapeCounter } from './scrape-counter.js';
import { ScrapeHistogram } from './scrape-histogram.js';

export interface MetricsOptions {
  /** snake_case component name, used in metric names and as the `component` label: `kvpool`, `router`. */
  component: string;
  /** Also export Node process metrics (CPU, memory, event loop lag, GC). Default false. */
  defaultMetrics?: boolean;
  /** Extra labels on every series, e.g. `{ worker_id: 'decode-0' }`. */
  labels?: Record<string, string>;
}

export interface MetricSpec<L extends string> {
  /** What is measured, snake_case, without the unit. */
  name: string;
  unit: MetricUnit;
  help: string;
  labelNames?: readonly L[];
}

export interface OicfMetrics {
  readonly component: string;
  readonly registry: Registry;
  counter<L extends string = string>(spec: MetricSpec<L>): ScrapeCounter<L>;
  gauge<L extends string = string>(spec: MetricSpec<L>): Gauge<L>;
  histogram<L extends string = string>(spec: MetricSpec<L> & { buckets: readonly number[] }): ScrapeHistogram<L>;
  /**
   * Registers a metric under an exact name (the vLLM-compatible names); no oicf naming rules apply.
   * `collect` runs before each scrape reads the metric (to mirror a value kept elsewhere; `this` is it).
   */
  raw: {
    counter<L extends string>(
      name: string,
      help: string,
      labelNames: readonly L[],
      collect?: (this: ScrapeCounter<L>) => void | Promise<void>,
    ): ScrapeCounter<L>;
    gauge<L extends string>(
      name: string,
      help: string,
      labelNames: readonly L[],
      collect?: (this: Gauge<L>) => void | Promise<void>,
    ): Gauge<L>;
    histogram<L extends string>(
      name: string,
      help: string,
      labelNames: readonly L[],
      buckets: readonly number[],
    ): ScrapeHistogram<L>;
  };
}

export function createMetrics(options: MetricsOptions): OicfMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ component: options.component, ...options.labels });
  if (options.defaultMetrics === true) collectDefaultMetrics({ register: registry });
  const { component } = options;
  const registers = [registry];

  const raw: OicfMetrics['raw'] = {
    counter: (name, help, labelNames, collect) =>
      new ScrapeCounter({ name, help, labelNames, registers, ...(collect ? { collect } : {}) }),
    gauge: (name, help, labelNames, collect) =>
      new Gauge({ name, help, labelNames: [...labelNames], registers, ...(collect ? { collect } : {}) }),
    histogram: (name, help, labelNames, buckets) => new ScrapeHistogram({ name, help, labelNames, buckets, registers }),
  };

  return {
    component,
    registry,
    counter: (spec) =>
      raw.counter(metricName({ component, ...spec, type: 'counter' }), spec.help, spec.labelNames ?? []),
    gauge: (spec) => raw.gauge(metricName({ component, ...spec, type: 'gauge' }), spec.help, spec.labelNames ?? []),
    histogram: (spec) =>
      raw.histogram(
        metricName({ component, ...spec, type: 'histogram' }),
        spec.help,
        spec.labelNames ?? [],
        spec.buckets,
      ),
    raw,
  };
}
