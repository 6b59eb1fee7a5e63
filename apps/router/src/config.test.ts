import { ConfigError, loadConfig } from '@oicf/transport';
import { describe, expect, it } from 'vitest';
import { routerConfigSchema } from './config.js';

function issuesOf(argv: string[]) {
  try {
    loadConfig(routerConfigSchema, { name: 'router', argv });
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => [i.path, i.message]);
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('router config', () => {
  it('accepts exactly the keys the launcher writes, with defaults for the rest', () => {
    const c = routerConfigSchema.parse({
      host: '127.0.0.1',
      httpPort: 0,
      model: 'tiny-gqa',
      weightPrecision: 'fp32',
      blockTokens: 64,
      mode: 'disaggregated',
      policy: { name: 'oicf-cost', params: { sloTtftSeconds: 5 } },
      pool: { grpcAddress: '127.0.0.1:7000', wsAddress: 'ws://127.0.0.1:7001' },
      sessionTtlSeconds: 300,
      logLevel: 'info',
    });
    expect(c).toMatchObject({
      grpcPort: 0,
      wsPort: 0,
      heartbeatIntervalSeconds: 0.5,
      workerTimeoutSeconds: 3,
      metricNames: 'both',
      policy: { name: 'oicf-cost', params: { sloTtftSeconds: 5 } },
    });
  });

  it('turns the fast door off from the environment (OICF_ROUTER_FAST_HTTP), on by default', () => {
    expect(routerConfigSchema.parse({}).fastHttp).toBe(true);
    const off = loadConfig(routerConfigSchema, {
      name: 'router',
      argv: [],
      envPrefix: 'OICF_ROUTER_',
      env: { OICF_ROUTER_FAST_HTTP: 'false' },
    });
    expect(off.fastHttp).toBe(false);
  });

  it('has a valid default for every field', () => {
    expect(routerConfigSchema.parse({})).toMatchObject({ model: 'tiny-gqa', mode: 'disaggregated', blockTokens: 64 });
  });

  it('lists every bad field by path, including catalog and policy checks', () => {
    expect(
      issuesOf([
        '--model=gpt-9',
        '--policy.name=oicf-cost',
        '--policy.params={"sloTtftSeconds":-1,"bogus":1}',
        '--workerDropSeconds=2',
        '--blockTokens=0',
        '--handoffLink=carrier-pigeon',
      ]).sort(),
    ).toEqual(
      [
        ['blockTokens', expect.stringMatching(/>=1|≥ ?1|too small/i)],
        ['model', expect.stringMatching(/^unknown model 'gpt-9'; valid: .*tiny-gqa/)],
        ['handoffLink', expect.stringMatching(/^unknown link 'carrier-pigeon'/)],
        ['workerDropSeconds', 'must exceed workerTimeoutSeconds (3)'],
        ['policy.params.bogus', expect.stringMatching(/^unknown parameter/)],
        ['policy.params.sloTtftSeconds', 'must be ≥ 0 (got -1)'],
      ].sort(),
    );
  });

  it('names the valid policies when the name is unknown', () => {
    expect(issuesOf(['--policy.name=random'])).toEqual([
      ['policy.name', "unknown routing policy 'random' (valid: round-robin, least-loaded, prefix-aware, oicf-cost)"],
    ]);
  });
});
