import { describe, expect, it } from 'vitest';
import { createAnchorSet, nameModes } from './anchor-set.js';
import { createMetrics } from './registry.js';

describe('createAnchorSet', () => {
  it.each([
    ['oicf', ['oicf']],
    ['vllm', ['vllm']],
    ['both', ['oicf', 'vllm']],
  ] as const)('%s exports the anchors under %j', (names, modes) => {
    expect(nameModes(names)).toEqual(modes);
  });

  it('sends one update to every name it exports', async () => {
    const m = createMetrics({ component: 'decode' });
    const a = createAnchorSet(m, 'both');
    a.promptTokens.inc({ model_name: 'tiny' }, 8);
    a.numRequestsRunning.set({ model_name: 'tiny' }, 3);
    a.timeToFirstTokenSeconds.observe({ model_name: 'tiny' }, 0.03);
    const text = await m.registry.metrics();
    for (const name of ['oicf_decode_prompt_tokens_total', 'vllm:prompt_tokens_total']) {
      expect(text).toContain(`${name}{model_name="tiny",component="decode"} 8`);
    }
    for (const name of ['oicf_decode_running_requests', 'vllm:num_requests_running']) {
      expect(text).toContain(`${name}{model_name="tiny",component="decode"} 3`);
    }
    for (const name of ['oicf_decode_time_to_first_token_seconds', 'vllm:time_to_first_token_seconds']) {
      // prom-client writes a histogram's default labels first.
      expect(text).toContain(`${name}_count{component="decode",model_name="tiny"} 1`);
    }
  });

  it('starts every series of the served model at zero, each finish reason included', async () => {
    const m = createMetrics({ component: 'router' });
    createAnchorSet(m, 'vllm', { modelName: 'tiny-gqa' });
    const text = await m.registry.metrics();
    const at = (series: string) => `${series}{model_name="tiny-gqa",component="router"} 0`;
    for (const counter of [
      'vllm:prompt_tokens_total',
      'vllm:generation_tokens_total',
      'vllm:prefix_cache_queries_total',
      'vllm:prefix_cache_hits_total',
      'vllm:num_preemptions_total',
    ]) {
      expect(text).toContain(at(counter));
    }
    for (const gauge of ['vllm:num_requests_running', 'vllm:num_requests_waiting', 'vllm:kv_cache_usage_perc']) {
      expect(text).toContain(at(gauge));
    }
    for (const reason of ['stop', 'length', 'abort']) {
      expect(text).toContain(
        `vllm:request_success_total{model_name="tiny-gqa",finished_reason="${reason}",component="router"} 0`,
      );
    }
    // A histogram exists with every bucket at 0 (le="+Inf" included) and a count of 0.
    // prom-client writes a histogram's default labels first.
    expect(text).toContain('vllm:time_to_first_token_seconds_count{component="router",model_name="tiny-gqa"} 0');
    expect(text).toContain(
      'vllm:e2e_request_latency_seconds_bucket{le="+Inf",component="router",model_name="tiny-gqa"} 0',
    );
    expect(text).not.toContain('oicf_router_');
  });

  it('mirrors a value kept elsewhere into a raw counter at scrape', async () => {
    const m = createMetrics({ component: 'prefill' });
    let total = 0;
    m.raw.counter('vllm:prompt_tokens_total', 'Prompt tokens processed.', ['model_name'], function collect() {
      this.reset();
      this.inc({ model_name: 'tiny' }, total);
    });
    total = 12;
    expect(await m.registry.metrics()).toContain('vllm:prompt_tokens_total{model_name="tiny",component="prefill"} 12');
    total = 20;
    expect(await m.registry.metrics()).toContain('vllm:prompt_tokens_total{model_name="tiny",component="prefill"} 20');
  });
});
