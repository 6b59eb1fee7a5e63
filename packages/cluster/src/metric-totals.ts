import { parsePrometheusText, seriesKey } from '@oicf/metrics/prometheus-text';

/** Counters that say where KV went: bytes moved, cache hits and misses, prefix reuse, handoffs, tier moves. */
export const KV_MOVEMENT_COUNTERS =
  /^oicf_.*(kv.*bytes|hits|misses|cached|prefix|handoff|promotions|demotions).*_total$/;

/**
 * Reads every `/metrics` URL and sums each counter series matching `pattern` over the services, by
 * name and labels (`name{label="v",…}`, labels sorted). Zero totals are left out; an unreachable
 * URL is skipped (a summary, not a check). Sorted by key.
 */
export async function metricTotals(
  urls: readonly string[],
  pattern: RegExp = KV_MOVEMENT_COUNTERS,
): Promise<[string, number][]> {
  const totals = new Map<string, number>();
  for (const url of urls) {
    let text: string;
    try {
      const res = await fetch(url);
      if (!res.ok) continue;
      text = await res.text();
    } catch {
      continue;
    }
    for (const s of parsePrometheusText(text).samples) {
      if (!pattern.test(s.name)) continue;
      const key = seriesKey(s);
      totals.set(key, (totals.get(key) ?? 0) + s.value);
    }
  }
  return [...totals.entries()].filter(([, v]) => v !== 0).sort((a, b) => a[0].localeCompare(b[0]));
}
