import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './parse-prometheus-text.js';
import { selectSamples, seriesValue, sumSamples } from './sample-queries.js';

const { samples } = parsePrometheusText(
  [
    'oicf_prefill_kv_sent_bytes_total{component="prefill",link="handoff"} 100',
    'oicf_decode_kv_received_bytes_total{component="decode",link="handoff"} 40',
    'oicf_decode_kv_received_bytes_total{component="decode",link="pool"} 2',
    'oicf_router_routed_requests_total{component="router",reason="a}b"} 3',
    'oicf_router_routed_requests_total{component="router"} 7',
  ].join('\n'),
);

describe('sample queries', () => {
  it('sums by pattern and by required labels', () => {
    // 100 + 40 + 2 over every KV byte counter; 40 + 2 for the decode worker only.
    expect(sumSamples(samples, /^oicf_(prefill|decode)_kv_.*bytes.*_total$/)).toBe(142);
    expect(sumSamples(samples, 'oicf_decode_kv_received_bytes_total')).toBe(42);
    expect(sumSamples(samples, 'oicf_decode_kv_received_bytes_total', { link: 'pool' })).toBe(2);
    expect(sumSamples(samples, 'absent_total')).toBe(0);
  });

  it('selects the samples carrying every given label', () => {
    expect(selectSamples(samples, /_routed_/, { reason: 'a}b' }).map((s) => s.value)).toEqual([3]);
  });

  it('finds one series by its exact label set, in any order', () => {
    const name = 'oicf_router_routed_requests_total';
    expect(seriesValue(samples, name, { reason: 'a}b', component: 'router' })).toBe(3);
    // A subset of a series' labels is not that series: { component } alone names the other one.
    expect(seriesValue(samples, name, { component: 'router' })).toBe(7);
    expect(seriesValue(samples, name, { component: 'decode' })).toBeUndefined();
  });
});
