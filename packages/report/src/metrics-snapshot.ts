import type { PromSample } from '@oicf/metrics/prometheus-text';

/** One `/metrics` endpoint: a short name (router, prefill-0, a URL's host:port) and its URL. */
export interface ScrapeTarget {
  readonly name: string;
  readonly url: string;
}

/** What one scrape of one target gave: its samples, or why it failed (`ok: false`, no samples). */
export interface ScrapeResult {
  readonly target: ScrapeTarget;
  readonly ok: boolean;
  readonly error?: string;
  readonly samples: readonly PromSample[];
  /**
   * Families the target declares with `# TYPE` (among the wanted names). prom-client declares a
   * labelled counter before its first increment, so a declared name without samples means "served,
   * still zero", not "not served".
   */
  readonly declared?: readonly string[];
}

/** All targets scraped at one moment; `atSeconds` is seconds since the replay started (may be < 0 before it). */
export interface MetricsSnapshot {
  readonly atSeconds: number;
  readonly results: readonly ScrapeResult[];
}

/** The scrapes of one run: before it, every ~second during it (timeline gauges only), and after it. */
export interface RunMetrics {
  readonly targets: readonly ScrapeTarget[];
  readonly before: MetricsSnapshot | null;
  readonly during: readonly MetricsSnapshot[];
  readonly after: MetricsSnapshot | null;
}

/** Keeps only the samples whose name is in `names` (a scrape holds only what the report reads). */
export function filterSnapshot(snapshot: MetricsSnapshot, names: ReadonlySet<string>): MetricsSnapshot {
  return {
    atSeconds: snapshot.atSeconds,
    results: snapshot.results.map((r) => ({
      ...r,
      samples: r.samples.filter((s) => names.has(s.name)),
      ...(r.declared !== undefined ? { declared: r.declared.filter((n) => names.has(n)) } : {}),
    })),
  };
}
