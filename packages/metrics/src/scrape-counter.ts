// A Prometheus counter kept as plain numbers per series and read out when /metrics is scraped, with
// prom-client's Counter semantics and exposition (registered in a prom-client Registry; `get()` returns the
// same values in the same order): prom-client builds a label hash per increment, which a serving path pays
// a dozen times per finished request. `collect` runs before each scrape reads it, as in prom-client.
import { inspect } from 'node:util';
import type { Registry } from 'prom-client';
import { checkNames, type LabelValues, labelsFromArgs, SeriesIndex } from './series-key.js';

export interface ScrapeCounterConfig<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
  readonly registers: readonly Registry[];
  readonly collect?: (this: ScrapeCounter<L>) => void | Promise<void>;
}

interface Series {
  value: number;
  readonly labels: Record<string, string | number>;
}

export class ScrapeCounter<L extends string = string> {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  /** Not readonly: prom-client's registry renames counters for OpenMetrics output. */
  name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  private readonly series: SeriesIndex<Series>;
  private readonly collect: ScrapeCounterConfig<L>['collect'];

  constructor(config: ScrapeCounterConfig<L>) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = [...(config.labelNames ?? [])];
    checkNames(this.name, this.labelNames);
    this.collect = config.collect;
    this.series = new SeriesIndex(this.labelNames, (labels) => ({ value: 0, labels }));
    this.reset();
    for (const r of config.registers) r.registerMetric(this as never);
  }

  /** Adds `value` (default 1, ≥ 0) to the series of `labels`, or with a number only to the series without labels. */
  inc(value?: number): void;
  inc(labels: LabelValues<L>, value?: number): void;
  inc(labelsOrValue?: LabelValues<L> | number, maybeValue?: number): void {
    let labels: LabelValues<L>;
    let value: number | undefined;
    if (typeof labelsOrValue === 'object' && labelsOrValue !== null) {
      labels = labelsOrValue;
      value = maybeValue;
    } else {
      labels = {};
      value = labelsOrValue;
    }
    // The value is checked before its series is looked up: a refused inc makes no series (as prom-client).
    if (value && !Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${inspect(value)}`);
    if ((value as number) < 0) throw new Error('It is not possible to decrease a counter');
    this.series.of(labels).value += value ?? 1;
  }

  labels(...args: Array<string | number | LabelValues<L>>): { inc(value?: number): void } {
    const series = this.series.bound(labelsFromArgs(this.labelNames, args));
    return {
      inc: (value?: number) => {
        if (value && !Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${inspect(value)}`);
        if ((value as number) < 0) throw new Error('It is not possible to decrease a counter');
        series().value += value ?? 1;
      },
    };
  }

  remove(...args: Array<string | number | LabelValues<L>>): void {
    this.series.remove(labelsFromArgs(this.labelNames, args));
  }

  /** Forgets every series; a counter without labels keeps its one series, at 0. */
  reset(): void {
    this.series.clear();
    if (this.labelNames.length === 0) this.series.of({});
  }

  async get(): Promise<{
    name: string;
    help: string;
    type: 'counter';
    values: Array<{ value: number; labels: Record<string, string | number> }>;
    aggregator: 'sum';
  }> {
    if (this.collect !== undefined) await this.collect.call(this);
    const values = [...this.series.values()].map((s) => ({ value: s.value, labels: s.labels }));
    return { help: this.help, name: this.name, type: this.type, values, aggregator: this.aggregator };
  }
}
