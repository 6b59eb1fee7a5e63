// The context cap is part of the cluster config (issue 16.4): each worker role's maxContextTokens reaches the
// worker as maxTokensPerSequence, and the decode workers' is the limit the router enforces and replay checks.
import { describe, expect, it } from 'vitest';
import { defaultClusterConfig, parseClusterConfig } from './cluster-config.js';
import { clusterMaxContextTokens, workerServiceConfig } from './service-configs.js';

describe('maxContextTokens in the cluster config', () => {
  it('defaults to the workers’ own 8,192 and reaches each worker and the replay check', () => {
    const d = defaultClusterConfig();
    expect([d.prefill.maxContextTokens, d.decode.maxContextTokens]).toEqual([8192, 8192]);
    expect(clusterMaxContextTokens(d)).toBe(8192);
    const res = parseClusterConfig({ prefill: { maxContextTokens: 65_536 }, decode: { maxContextTokens: 32_768 } });
    if (!res.ok) throw new Error(res.errors.join('\n'));
    expect(clusterMaxContextTokens(res.value)).toBe(32_768);
    expect(workerServiceConfig(res.value, 'prefill', 0, 'r:1', undefined).maxTokensPerSequence).toBe(65_536);
    expect(workerServiceConfig(res.value, 'decode', 0, 'r:1', undefined).maxTokensPerSequence).toBe(32_768);
  });

  it('refuses what the workers refuse (above 65,536) and a prefill limit below the decode one', () => {
    const tooLong = parseClusterConfig({ decode: { maxContextTokens: 65_537 } }, 'c.json');
    expect(tooLong.ok ? [] : tooLong.errors.filter((e) => e.startsWith('c.json: decode.maxContextTokens: '))).toEqual([
      'c.json: decode.maxContextTokens: Too big: expected number to be <=65536',
    ]);
    expect(parseClusterConfig({ decode: { maxContextTokens: 16_384 } }, 'c.json')).toEqual({
      ok: false,
      errors: [
        "c.json: prefill.maxContextTokens: must be ≥ decode.maxContextTokens (16384): the router admits prompts up to the decode workers' limit and a prefill worker computes them",
      ],
    });
    // Colocated clusters, or none of the prefill workers: no constraint.
    expect(parseClusterConfig({ mode: 'colocated', decode: { maxContextTokens: 16_384 } }).ok).toBe(true);
  });
});

describe('router health timeouts in the cluster config', () => {
  it('reach the router config only when set (the router keeps its own 3 s / 30 s otherwise)', async () => {
    const { routerServiceConfig } = await import('./service-configs.js');
    const d = defaultClusterConfig();
    expect(routerServiceConfig(d, undefined)).not.toHaveProperty('workerTimeoutSeconds');
    const res = parseClusterConfig({ router: { workerTimeoutSeconds: 30, workerDropSeconds: 120 } });
    if (!res.ok) throw new Error(res.errors.join('\n'));
    expect(routerServiceConfig(res.value, undefined)).toMatchObject({
      workerTimeoutSeconds: 30,
      workerDropSeconds: 120,
    });
  });
});

describe('router health timeouts, checked together', () => {
  it('a timeout at or above the drop time is refused, naming the field to set', () => {
    expect(parseClusterConfig({ router: { workerTimeoutSeconds: 60 } }, 'c.json')).toEqual({
      ok: false,
      errors: [
        'c.json: router.workerDropSeconds: must exceed router.workerTimeoutSeconds (60): set it (the router defaults it to 30 s)',
      ],
    });
  });
});

describe('router queue bounds in the cluster config (issue 14.3)', () => {
  it('reach the router config only when set, and a bad bound is refused naming the field', async () => {
    const { routerServiceConfig } = await import('./service-configs.js');
    expect(routerServiceConfig(defaultClusterConfig(), undefined)).not.toHaveProperty('queue');
    const res = parseClusterConfig({ router: { queue: { maxQueuedPerWorker: 128, maxQueueSeconds: 600 } } });
    if (!res.ok) throw new Error(res.errors.join('\n'));
    expect(routerServiceConfig(res.value, undefined)).toMatchObject({
      queue: { maxQueuedPerWorker: 128, maxQueueSeconds: 600 },
    });
    const bad = parseClusterConfig({ router: { queue: { maxQueuedPerWorker: 0 } } }, 'c.json');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.join('\n')).toMatch(/^c\.json: router\.queue\.maxQueuedPerWorker: /);
  });
});
