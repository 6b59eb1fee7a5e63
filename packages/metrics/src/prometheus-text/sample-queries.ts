import type { PromSample } from './parse-prometheus-text.js';

/**
 * Small questions tests and summaries ask of parsed samples. A name is matched exactly (string) or
 * by a pattern (RegExp, tested against the whole series name as printed, `_total` and `_bucket`
 * included); `labels` lists pairs a sample must carry (it may carry more).
 */
export function selectSamples(
  samples: readonly PromSample[],
  name: string | RegExp,
  labels: Readonly<Record<string, string>> = {},
): PromSample[] {
  const wanted = Object.entries(labels);
  return samples.filter(
    (s) =>
      (typeof name === 'string' ? s.name === name : name.test(s.name)) && wanted.every(([k, v]) => s.labels[k] === v),
  );
}

/** Sum of the values of `selectSamples(samples, name, labels)`; 0 when none matches. */
export function sumSamples(
  samples: readonly PromSample[],
  name: string | RegExp,
  labels: Readonly<Record<string, string>> = {},
): number {
  return selectSamples(samples, name, labels).reduce((sum, s) => sum + s.value, 0);
}

/**
 * The value of the one series named `name` whose label set is exactly `labels` (no more, no fewer;
 * any order), or undefined when there is none.
 */
export function seriesValue(
  samples: readonly PromSample[],
  name: string,
  labels: Readonly<Record<string, string>>,
): number | undefined {
  const size = Object.keys(labels).length;
  return selectSamples(samples, name, labels).find((s) => Object.keys(s.labels).length === size)?.value;
}
