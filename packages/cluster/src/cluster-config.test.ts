import { POOL_TIERS } from '@oicf/core';
import { describe, expect, it } from 'vitest';
import { defaultClusterConfig, parseClusterConfig } from './cluster-config.js';

describe('cluster config', () => {
  it('defaults to 1 router, 2 prefill, 2 decode and a pool on 127.0.0.1', () => {
    const c = defaultClusterConfig();
    expect(c.host).toBe('127.0.0.1');
    expect(c.prefill.count).toBe(2);
    expect(c.decode.count).toBe(2);
    expect(c.pool.enabled).toBe(true);
    expect(c.router.policy).toBe('oicf-cost');
    expect(c.mode).toBe('disaggregated');
  });

  it('has one pool tier entry per @oicf/core pool tier, by config key: 512 MiB in the nearest, the rest off', () => {
    const c = defaultClusterConfig();
    // 512 MiB = 512 × 1024 × 1024 = 536,870,912 B in dram (POOL_TIERS[0]); cxl, opticalPool, disk disabled.
    expect(c.pool.tiers).toEqual({
      dram: { capacityBytes: 536_870_912 },
      cxl: { capacityBytes: 0 },
      opticalPool: { capacityBytes: 0 },
      disk: { capacityBytes: 0 },
    });
    expect(Object.keys(c.pool.tiers)).toEqual(POOL_TIERS.map((t) => t.configKey));
  });

  it('names a pool tier it does not know (tier ids are not config keys)', () => {
    const res = parseClusterConfig({ pool: { tiers: { 'optical-pool': { capacityBytes: 1 } } } }, 'c.json');
    expect(res).toEqual({ ok: false, errors: ['c.json: pool.tiers.optical-pool: unknown setting'] });
  });

  it('reports every bad field by path, catalog ids and policies included, before anything starts', () => {
    const res = parseClusterConfig(
      {
        model: 'llama-3.1-70b',
        decode: { count: 0, emulate: 'h100' },
        prefill: { emulate: 'llama-3.1-70b@tpu9' },
        router: { policy: 'oicf-cost', policyParams: { sloTtftSeconds: 'soon', nope: 1 }, port: 80 },
        pool: { policy: 'fifo' },
        blockTokens: 'big',
        extra: 1,
      },
      'c.json',
    );
    expect(res.ok).toBe(false);
    // Each line names the file and the field; the order follows the schema's field order.
    const fields = res.ok ? [] : res.errors.map((e) => e.split(': ').slice(0, 2).join(': '));
    expect(fields).toEqual([
      'c.json: model', // a catalog model the tiny runner cannot serve
      'c.json: blockTokens',
      'c.json: router.port',
      'c.json: router.policyParams.nope', // unknown keys first, then bad values (sched's order)
      'c.json: router.policyParams.sloTtftSeconds',
      'c.json: prefill.emulate', // unknown device
      'c.json: decode.count',
      'c.json: decode.emulate', // malformed
      'c.json: pool.policy',
      'c.json: extra',
    ]);
    const joined = res.ok ? '' : res.errors.join('\n');
    expect(joined).toContain('valid: tiny-mha, tiny-gqa, tiny-mla, tiny-moe');
    expect(joined).toContain("unknown device 'tpu9'");
    expect(joined).toContain('c.json: decode.emulate: must look like <model>@<device>');
    expect(joined).toContain('c.json: router.port: unknown setting');
  });

  it('names an unknown routing policy with the valid ones', () => {
    const res = parseClusterConfig({ router: { policy: 'random' } }, 'c.json');
    expect(res).toEqual({
      ok: false,
      errors: [
        "c.json: router.policy: unknown routing policy 'random' (valid: round-robin, least-loaded, prefix-aware, oicf-cost)",
      ],
    });
  });
});
