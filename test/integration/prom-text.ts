// Minimal Prometheus text-format reading for tests: fetch a /metrics page and sum series by name.

export async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.text();
}

/** Sum of every sample whose metric name matches `name` (labels ignored). */
export function metricSum(text: string, name: RegExp): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && name.test(m[1] as string)) sum += Number(m[3]);
  }
  return sum;
}
