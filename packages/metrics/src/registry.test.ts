import { describe, expect, it } from 'vitest';
import { ANCHORS, anchorName, createAnchorMetrics } from './anchors.js';
import { createMetrics } from './registry.js';

describe('createMetrics', () => {
  it('names metrics by the rules and labels every series with the component', async () => {
    const m = createMetrics({ component: 'kvpool', labels: { instance_id: 'p0' } });
    const evicted = m.counter({ name: 'evicted', unit: 'blocks', help: 'Blocks evicted.', labelNames: ['tier'] });
    const used = m.gauge({ name: 'tier_used', unit: 'bytes', help: 'Bytes in use.', labelNames: ['tier'] });
    evicted.inc({ tier: 'dram' }, 3);
    used.set({ tier: 'dram' }, 4096);
    const text = await m.registry.metrics();
    expect(text).toContain('# TYPE oicf_kvpool_evicted_blocks_total counter');
    expect(text).toContain('oicf_kvpool_evicted_blocks_total{tier="dram",component="kvpool",instance_id="p0"} 3');
    expect(text).toContain('oicf_kvpool_tier_used_bytes{tier="dram",component="kvpool",instance_id="p0"} 4096');
    expect(m.registry.contentType).toContain('text/plain');
  });

  it('puts an observation in the right histogram buckets', async () => {
    const m = createMetrics({ component: 'router' });
    const h = m.histogram({ name: 'kv_transfer', unit: 'seconds', help: 'KV transfer time.', buckets: [0.01, 0.1, 1] });
    h.observe(0.05);
    h.observe(0.5);
    const text = await m.registry.metrics();
    // 0.05 lies in (0.01, 0.1] and 0.5 in (0.1, 1]; buckets are cumulative: le=0.01 → 0, le=0.1 → 1, le=1 → 2.
    expect(text).toContain('oicf_router_kv_transfer_seconds_bucket{le="0.01",component="router"} 0');
    expect(text).toContain('oicf_router_kv_transfer_seconds_bucket{le="0.1",component="router"} 1');
    expect(text).toContain('oicf_router_kv_transfer_seconds_bucket{le="1",component="router"} 2');
    expect(text).toContain('oicf_router_kv_transfer_seconds_sum{component="router"} 0.55');
  });

  it('refuses a badly named metric at registration', () => {
    const m = createMetrics({ component: 'router' });
    expect(() => m.histogram({ name: 'ttft_ms', unit: 'seconds', help: 'x', buckets: [1] })).toThrow('contains "ms"');
  });

  it('adds Node process metrics only when asked', async () => {
    expect(await createMetrics({ component: 'a' }).registry.metrics()).not.toContain('process_cpu_user_seconds_total');
    expect(await createMetrics({ component: 'b', defaultMetrics: true }).registry.metrics()).toContain(
      'process_cpu_user_seconds_total',
    );
  });
});

describe('anchor metrics', () => {
  it.each([
    ['timeToFirstTokenSeconds', 'vllm:time_to_first_token_seconds', 'oicf_router_time_to_first_token_seconds'],
    ['interTokenLatencySeconds', 'vllm:inter_token_latency_seconds', 'oicf_router_inter_token_latency_seconds'],
    ['numRequestsRunning', 'vllm:num_requests_running', 'oicf_router_running_requests'],
    ['kvCacheUsageRatio', 'vllm:kv_cache_usage_perc', 'oicf_router_kv_cache_usage_ratio'],
    ['promptTokens', 'vllm:prompt_tokens_total', 'oicf_router_prompt_tokens_total'],
    ['requestSuccess', 'vllm:request_success_total', 'oicf_router_finished_requests_total'],
  ] as const)('%s is %s in vllm mode and %s in oicf mode', (key, vllm, oicf) => {
    expect(anchorName(key, 'vllm', 'router')).toBe(vllm);
    expect(anchorName(key, 'oicf', 'router')).toBe(oicf);
  });

  it.each(['vllm', 'oicf'] as const)(
    'registers every anchor in %s mode under its name, with vLLM buckets',
    async (mode) => {
      const m = createMetrics({ component: 'decode' });
      const a = createAnchorMetrics(m, mode);
      a.timeToFirstTokenSeconds.observe({ model_name: 'tiny' }, 0.03);
      a.requestSuccess.inc({ model_name: 'tiny', finished_reason: 'length' });
      a.numRequestsRunning.set({ model_name: 'tiny' }, 4);
      const text = await m.registry.metrics();
      for (const key of Object.keys(ANCHORS) as Array<keyof typeof ANCHORS>) {
        expect(text).toContain(`# TYPE ${anchorName(key, mode, 'decode')} `);
      }
      const ttft = anchorName('timeToFirstTokenSeconds', mode, 'decode');
      // 0.03 s falls between vLLM's 0.02 and 0.04 bounds (prom-client puts le and default labels first).
      expect(text).toContain(`${ttft}_bucket{le="0.02",component="decode",model_name="tiny"} 0`);
      expect(text).toContain(`${ttft}_bucket{le="0.04",component="decode",model_name="tiny"} 1`);
      expect(text).toContain(`${ttft}_bucket{le="2560",component="decode",model_name="tiny"} 1`);
      expect(text).toContain(
        `${anchorName('requestSuccess', mode, 'decode')}{model_name="tiny",finished_reason="length",component="decode"} 1`,
      );
      expect(text).toContain(
        `${anchorName('numRequestsRunning', mode, 'decode')}{model_name="tiny",component="decode"} 4`,
      );
    },
  );
});
