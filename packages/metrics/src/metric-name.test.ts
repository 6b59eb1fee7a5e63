import { describe, expect, it } from 'vitest';
import { type MetricNameParts, metricName } from './metric-name.js';

describe('metricName', () => {
  it.each([
    [
      { component: 'router', name: 'time_to_first_token', unit: 'seconds', type: 'histogram' },
      'oicf_router_time_to_first_token_seconds',
    ],
    [{ component: 'kvpool', name: 'evicted', unit: 'blocks', type: 'counter' }, 'oicf_kvpool_evicted_blocks_total'],
    [{ component: 'kvpool', name: 'tier_used', unit: 'bytes', type: 'gauge' }, 'oicf_kvpool_tier_used_bytes'],
    [
      { component: 'decode', name: 'measured_intensity', unit: 'flops_per_byte', type: 'gauge' },
      'oicf_decode_measured_intensity_flops_per_byte',
    ],
    [{ component: 'prefill', name: 'build', unit: 'info', type: 'gauge' }, 'oicf_prefill_build_info'],
  ] as Array<[MetricNameParts, string]>)('%j → %s', (parts, expected) => {
    expect(metricName(parts)).toBe(expected);
  });

  it.each([
    [{ component: 'Router', name: 'x', unit: 'seconds', type: 'gauge' }, 'component "Router" must be snake_case'],
    [
      { component: 'router', name: 'ttft-ms', unit: 'seconds', type: 'gauge' },
      'metric name "ttft-ms" must be snake_case',
    ],
    [{ component: 'router', name: 'ttft', unit: 'milliseconds', type: 'gauge' }, 'unit "milliseconds" is not one of'],
    [{ component: 'router', name: 'ttft_seconds', unit: 'seconds', type: 'histogram' }, 'already ends with its unit'],
    [{ component: 'router', name: 'ttft_ms', unit: 'seconds', type: 'histogram' }, 'contains "ms": use base units'],
    [{ component: 'kvpool', name: 'used_mib', unit: 'bytes', type: 'gauge' }, 'contains "mib"'],
    [{ component: 'kvpool', name: 'usage_percent', unit: 'ratio', type: 'gauge' }, 'contains "percent"'],
    [{ component: 'kvpool', name: 'hits_total', unit: 'blocks', type: 'counter' }, 'contains "total"'],
    [{ component: 'kvpool', name: 'build', unit: 'info', type: 'counter' }, 'an info metric must be a gauge'],
  ] as Array<[MetricNameParts, string]>)('refuses %j', (parts, message) => {
    expect(() => metricName(parts)).toThrow(message);
  });
});
