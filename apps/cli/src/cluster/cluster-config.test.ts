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

  it('reports every bad field by path', () => {
    const res = parseClusterConfig({ decode: { count: 0, emulate: 'h100' }, blockTokens: 'big', extra: 1 }, 'c.json');
    expect(res.ok).toBe(false);
    if (!res.ok) {
      const joined = res.errors.join('\n');
      expect(joined).toContain('c.json: blockTokens:');
      expect(joined).toContain('c.json: decode.count:');
      expect(joined).toContain('c.json: decode.emulate: must look like <model>@<device>');
      expect(joined).toContain('extra');
    }
  });
});
