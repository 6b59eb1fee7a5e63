// Reads the cluster's /metrics pages and totals the KV-movement and cache series for summaries.

/** Sample lines of Prometheus text: [name, labels, value]. Comments and blank lines are skipped. */
export function parseSamples(text: string): { name: string; labels: string; value: number }[] {
  const out: { name: string; labels: string; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m) out.push({ name: m[1] as string, labels: m[2] ?? '', value: Number(m[3]) });
  }
  return out;
}

/** Counters about KV bytes, cache hits and prefix reuse, summed over services, by name+labels. */
export async function metricTotals(urls: readonly string[]): Promise<[string, number][]> {
  const totals = new Map<string, number>();
  const interesting = /^oicf_.*(kv.*bytes|hits|misses|cached|prefix|handoff|promotions|demotions).*_total$/;
  for (const url of urls) {
    let text: string;
    try {
      const res = await fetch(url);
      if (!res.ok) continue;
      text = await res.text();
    } catch {
      continue;
    }
    for (const s of parseSamples(text)) {
      if (!interesting.test(s.name) || s.value === 0) continue;
      const key = `${s.name}${s.labels}`;
      totals.set(key, (totals.get(key) ?? 0) + s.value);
    }
  }
  return [...totals.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}
