// The series of a labelled metric, found by its label values without building a label hash per update:
// the key is the values in the metric's label order (one string per update for one label, a short join for
// more), and the series keeps its own copy of the labels for the exposition. Unknown label names are refused
// as prom-client refuses them. A frozen label object (a hot path's constant, e.g. `{ model_name }`) is
// remembered by identity: the next update with the same object finds its series at once.
import { inspect } from 'node:util';

export type LabelValues<L extends string = string> = Partial<Record<L, string | number>>;

/** Separates label values in a key (cannot occur in a label value sent by this project's code). */
const SEPARATOR = '\u0000';
/** Stands for an absent label in a key. */
const ABSENT = '\u0001';

export class SeriesIndex<S> {
  private readonly byKey = new Map<string, S>();
  /** The last frozen label object seen and its series (a frozen object's values cannot change). */
  private lastFrozen: object | undefined;
  private lastSeries: S | undefined;

  constructor(
    private readonly labelNames: readonly string[],
    private readonly make: (labels: Record<string, string | number>) => S,
  ) {}

  /** The series of `labels`, made on first use. Throws for a label name the metric was not declared with. */
  of(labels: LabelValues): S {
    if (labels === this.lastFrozen) return this.lastSeries as S;
    for (const name in labels) {
      if (!this.labelNames.includes(name)) {
        throw new Error(`Added label "${name}" is not included in initial labelset: ${inspect(this.labelNames)}`);
      }
    }
    const key = this.keyOf(labels);
    let series = this.byKey.get(key);
    if (series === undefined) {
      series = this.make({ ...(labels as Record<string, string | number>) });
      this.byKey.set(key, series);
    }
    if (Object.isFrozen(labels)) {
      this.lastFrozen = labels;
      this.lastSeries = series;
    }
    return series;
  }

  /** Forgets the series of `labels` (prom-client's `remove`). */
  remove(labels: LabelValues): void {
    this.byKey.delete(this.keyOf(labels));
    this.lastFrozen = undefined;
    this.generation += 1;
  }

  clear(): void {
    this.byKey.clear();
    this.lastFrozen = undefined;
    this.generation += 1;
  }

  /** Counts removals and clears: a series found before is still the live one while this is unchanged. */
  generation = 0;

  /**
   * The series of `labels` as a function, for a `labels(...)` child: it finds (or makes) the series on its
   * first call, and again only after a reset or removal (so the child of a reset metric counts in a new
   * series, as prom-client's does).
   */
  bound(labels: LabelValues): () => S {
    let series: S | undefined;
    let at = -1;
    return () => {
      if (series === undefined || at !== this.generation) {
        series = this.of(labels);
        at = this.generation;
      }
      return series;
    };
  }

  /** Every series, in the order they were made (the exposition's order). */
  values(): IterableIterator<S> {
    return this.byKey.values();
  }

  private keyOf(labels: LabelValues): string {
    const names = this.labelNames;
    if (names.length === 1) {
      const v = labels[names[0] as string];
      return v === undefined ? ABSENT : String(v);
    }
    let key = '';
    for (const name of names) {
      const v = labels[name];
      key += v === undefined ? ABSENT : `${v}${SEPARATOR}`;
    }
    return key;
  }
}

/** Throws, as prom-client does, for a metric or label name Prometheus cannot take. */
export function checkNames(metricName: string, labelNames: readonly string[]): void {
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(metricName)) throw new Error('Invalid metric name');
  if (!labelNames.every((l) => /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(l))) throw new Error('Invalid label name');
}

/** The label values of a `labels(...)` call: one object, or the values in label order (prom-client's forms). */
export function labelsFromArgs(labelNames: readonly string[], args: readonly unknown[]): LabelValues {
  if (typeof args[0] === 'object' && args[0] !== null) return args[0] as LabelValues;
  if (args.length !== labelNames.length) throw new Error('Invalid number of arguments');
  const out: Record<string, string | number> = {};
  labelNames.forEach((name, i) => {
    out[name] = args[i] as string | number;
  });
  return out;
}
