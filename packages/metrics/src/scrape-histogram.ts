// A Prometheus histogram whose observations are counted in typed arrays and turned into exposition values
// only when /metrics is scraped. prom-client's own Histogram builds a label hash, a closure and a label/value
// object per observation; on a serving path that observes a dozen histograms per finished request that was
// ≈ 9 µs of the router's CPU per request (apps/router/bench/results/cpu-profile-summary.md). The scrape
// output is prom-client's: registered in a prom-client Registry, `get()` returns the same values in the same
// order (buckets cumulative with `le`, then +Inf, _sum and _count per series), so the text is unchanged
// (scrape-histogram.test.ts compares the two).
import { inspect } from 'node:util';
import type { Registry } from 'prom-client';
import { checkNames, type LabelValues, labelsFromArgs, SeriesIndex } from './series-key.js';

export interface ScrapeHistogramConfig<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
  /** Upper bounds, ascending (+Inf is implied). */
  readonly buckets: readonly number[];
  readonly registers: readonly Registry[];
}

class Series {
  /** Observations per bucket, not cumulative; index buckets.length is above the last bound (+Inf only). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(
    readonly labels: Record<string, string | number>,
    numBuckets: number,
  ) {
    this.counts = new Float64Array(numBuckets + 1);
  }
}

/** One value of the exposition, in prom-client's shape (labels are the bucket's, sharedLabels the series'). */
interface ExpositionValue {
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string | number>;
  value: number;
  metricName: string;
  exemplar: null | undefined;
}

export class ScrapeHistogram<L extends string = string> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  readonly upperBounds: readonly number[];
  private readonly series: SeriesIndex<Series>;
  /** The series of a histogram without labels (prom-client shows it from the start). */
  private unlabelled: Series | undefined;

  constructor(config: ScrapeHistogramConfig<L>) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = [...(config.labelNames ?? [])];
    checkNames(this.name, this.labelNames);
    if ((this.labelNames as readonly string[]).includes('le')) throw new Error('le is a reserved label keyword');
    this.upperBounds = [...config.buckets];
    const n = this.upperBounds.length;
    this.series = new SeriesIndex(this.labelNames, (labels) => new Series(labels, n));
    if (this.labelNames.length === 0) this.unlabelled = this.series.of({});
    for (const r of config.registers) r.registerMetric(this as never);
  }

  /** Observes `value` for the series of `labels` (or, with one argument, for the series without labels). */
  observe(value: number): void;
  observe(labels: LabelValues<L>, value: number): void;
  observe(labelsOrValue: LabelValues<L> | number, maybeValue?: number): void {
    // The value is checked before its series is looked up: a refused observe makes no series (as prom-client).
    const labelled = typeof labelsOrValue === 'object' && labelsOrValue !== null;
    const value = (labelled ? maybeValue : labelsOrValue) as number;
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${inspect(value)}`);
    this.add(labelled ? this.series.of(labelsOrValue) : (this.unlabelled ?? this.series.of({})), value);
  }

  private add(s: Series, value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${inspect(value)}`);
    s.sum += value;
    s.count += 1;
    const bounds = this.upperBounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    (s.counts as Float64Array)[i] = (s.counts[i] as number) + 1;
  }

  /** Creates the series of `labels` with every bucket at 0 (shown before its first observation). */
  zero(labels: LabelValues<L>): void {
    const s = this.series.of(labels);
    s.counts.fill(0);
    s.sum = 0;
    s.count = 0;
  }

  labels(...args: Array<string | number | LabelValues<L>>): { observe(value: number): void } {
    const series = this.series.bound(labelsFromArgs(this.labelNames, args));
    return {
      observe: (value: number) => {
        if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${inspect(value)}`);
        this.add(series(), value);
      },
    };
  }

  remove(...args: Array<string | number | LabelValues<L>>): void {
    this.series.remove(labelsFromArgs(this.labelNames, args));
  }

  /** Forgets every series (a histogram without labels shows nothing until its next observation). */
  reset(): void {
    this.series.clear();
    this.unlabelled = undefined;
  }

  /** The exposition values as the registry renders them (prom-client's getForPromString shape). */
  async getForPromString(): Promise<{
    name: string;
    help: string;
    type: 'histogram';
    values: ExpositionValue[];
    aggregator: 'sum';
  }> {
    const values: ExpositionValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.upperBounds.length; i++) {
        cumulative += s.counts[i] as number;
        const le = this.upperBounds[i] as number;
        values.push({ labels: { le }, sharedLabels: s.labels, value: cumulative, metricName: bucket, exemplar: null });
      }
      values.push({
        labels: { le: '+Inf' },
        sharedLabels: s.labels,
        value: s.count,
        metricName: bucket,
        exemplar: null,
      });
      values.push({
        labels: {},
        sharedLabels: s.labels,
        value: s.sum,
        metricName: `${this.name}_sum`,
        exemplar: undefined,
      });
      values.push({
        labels: {},
        sharedLabels: s.labels,
        value: s.count,
        metricName: `${this.name}_count`,
        exemplar: undefined,
      });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** The exposition values with each series' labels merged into its values' labels (prom-client's get). */
  async get(): Promise<{
    name: string;
    help: string;
    type: 'histogram';
    values: Array<{
      labels: Record<string, string | number>;
      value: number;
      metricName: string;
      exemplar: null | undefined;
    }>;
    aggregator: 'sum';
  }> {
    const data = await this.getForPromString();
    return {
      ...data,
      values: data.values.map(({ sharedLabels, labels, ...rest }) => ({
        ...rest,
        labels: { ...labels, ...sharedLabels },
      })),
    };
  }
}
