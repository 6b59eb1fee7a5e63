// Metric names: `oicf_<component>_<name>_<unit>`, counters ending in `_total`, base units only (seconds,
// bytes; never ms or MiB), following the Prometheus naming guide. Names are built here and nowhere else.

/** The closed list of units a metric name may end with. Counts name what they count. */
export const METRIC_UNITS = [
  'seconds',
  'bytes',
  'tokens',
  'requests',
  'sequences',
  'blocks',
  'steps',
  'flops',
  'ratio', // 0..1, never percent
  'flops_per_byte', // operational intensity
  'bytes_per_second',
  'flops_per_second',
  'info', // a gauge fixed at 1 whose labels carry the information
] as const;

export type MetricUnit = (typeof METRIC_UNITS)[number];
export type MetricType = 'counter' | 'gauge' | 'histogram';

/** A name that breaks the rules is a bug in the caller: this is thrown at registration, never at run time. */
export class MetricNameError extends Error {
  override readonly name = 'MetricNameError';
}

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
// Unit words that are not base units, or units spelled into the name instead of the unit slot.
const FORBIDDEN_WORDS = new Set([
  'ms',
  'millis',
  'milliseconds',
  'us',
  'micros',
  'microseconds',
  'ns',
  'nanoseconds',
  'minutes',
  'hours',
  'kb',
  'kib',
  'mb',
  'mib',
  'gb',
  'gib',
  'percent',
  'perc',
  'pct',
  'total',
]);

export interface MetricNameParts {
  /** Service or package, snake_case: `router`, `kvpool`, `decode`. */
  component: string;
  /** What is measured, snake_case, without the unit: `time_to_first_token`, `evicted`. */
  name: string;
  unit: MetricUnit;
  type: MetricType;
}

/** Builds `oicf_<component>_<name>_<unit>[_total]`, or throws MetricNameError saying which rule failed. */
export function metricName(parts: MetricNameParts): string {
  const { component, name, unit, type } = parts;
  if (!SNAKE.test(component)) throw new MetricNameError(`component ${JSON.stringify(component)} must be snake_case`);
  if (!SNAKE.test(name)) throw new MetricNameError(`metric name ${JSON.stringify(name)} must be snake_case`);
  if (!(METRIC_UNITS as readonly string[]).includes(unit)) {
    throw new MetricNameError(`unit ${JSON.stringify(unit)} is not one of ${METRIC_UNITS.join(', ')}`);
  }
  if (name === unit || name.endsWith(`_${unit}`)) {
    throw new MetricNameError(
      `metric name ${JSON.stringify(name)} already ends with its unit; pass the unit separately`,
    );
  }
  const bad = name.split('_').find((w) => FORBIDDEN_WORDS.has(w));
  if (bad !== undefined) {
    throw new MetricNameError(
      `metric name ${JSON.stringify(name)} contains ${JSON.stringify(bad)}: use base units (seconds, bytes, ratio) in the unit slot; counters get _total automatically`,
    );
  }
  if (unit === 'info' && type !== 'gauge') throw new MetricNameError(`an info metric must be a gauge, got ${type}`);
  return `oicf_${component}_${name}_${unit}${type === 'counter' ? '_total' : ''}`;
}
