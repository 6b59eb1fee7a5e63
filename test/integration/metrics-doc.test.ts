// docs/metrics.md lists every metric the services register (built from their real metric factories), with
// type, unit and labels; this fails when a metric is added, renamed or relabelled without the doc.
import { describe, expect, it } from 'vitest';
import { catalogMarkdown, documentedSection, metricCatalog, normalizeTables } from './metrics-catalog.js';

describe('docs/metrics.md', () => {
  const catalog = metricCatalog();

  it('lists every registered metric with its type, unit and labels (regenerate: metrics-catalog.ts --write)', () => {
    expect(normalizeTables(documentedSection())).toBe(normalizeTables(catalogMarkdown(catalog)));
  });

  it('covers the four services, and the anchors under both the oicf and the vLLM names', () => {
    const names = new Set(catalog.map((e) => e.name));
    for (const name of [
      'oicf_router_time_to_first_token_seconds',
      'vllm:time_to_first_token_seconds',
      'vllm:num_requests_waiting',
      'oicf_prefill_request_prefill_time_seconds',
      'oicf_decode_kv_cache_usage_ratio',
      'oicf_kvpool_tier_used_bytes',
    ]) {
      expect(names.has(name), name).toBe(true);
    }
    // Every oicf name carries a unit; every counter ends in _total.
    for (const e of catalog) {
      expect(e.unit, e.name).not.toBe('');
      if (e.type === 'counter') expect(e.name, e.name).toMatch(/_total$/);
    }
  });
});
