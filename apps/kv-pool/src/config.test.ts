import { fileURLToPath } from 'node:url';
import { ConfigError } from '@oicf/transport';
import { describe, expect, it } from 'vitest';
import { kvPoolConfigSchema, linkOf, loadKvPoolConfig } from './config.js';

describe('kv-pool config', () => {
  it('defaults to one 1 GiB dram tier, the oicf policy and 64-token blocks', () => {
    const config = kvPoolConfigSchema.parse({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      blockTokens: 64,
      policy: { name: 'oicf', params: {} },
      tiers: { dram: { capacityBytes: 1024 ** 3 } },
    });
  });

  it('accepts the example config checked in beside the app', () => {
    const file = fileURLToPath(new URL('../config.example.json', import.meta.url));
    const config = loadKvPoolConfig({ file });
    expect(Object.keys(config.tiers)).toEqual(['dram', 'cxl', 'opticalPool', 'disk']);
    expect(config.tiers.disk?.policy?.name).toBe('lru');
  });

  it('reads env and flags, flags winning', () => {
    const config = loadKvPoolConfig({
      env: {
        OICF_KVPOOL_TIERS__DISK__DATA_DIR: '/tmp/x',
        OICF_KVPOOL_TIERS__DISK__CAPACITY_BYTES: '1000',
        OICF_KVPOOL_BLOCK_TOKENS: '32',
      },
      argv: ['--blockTokens=16', '--tiers.disk.durable=true'],
    });
    expect(config.blockTokens).toBe(16);
    expect(config.tiers).toEqual({ disk: { capacityBytes: 1000, dataDir: '/tmp/x', durable: true } });
  });

  it('lists every bad field at once, by path', () => {
    let error: unknown;
    try {
      loadKvPoolConfig({
        argv: [
          '--tiers.dram.capacityBytes=-5',
          '--policy.params.foo=3',
          '--recompute.deviceId=tpu9',
          '--tiers.cxl.capacityBytes=10',
          '--tiers.cxl.bandwidthBytesPerSecond=0',
          '--bogus=1',
        ],
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const paths = (error as ConfigError).issues.map((i) => i.path).sort();
    expect(paths).toEqual([
      'bogus',
      'policy.params',
      'recompute.deviceId',
      'tiers.cxl.bandwidthBytesPerSecond',
      'tiers.dram.capacityBytes',
    ]);
    const messages = (error as ConfigError).issues.map((i) => i.message).join('\n');
    expect(messages).toContain('params.foo: unknown parameter');
    expect(messages).toContain("unknown device 'tpu9'");
  });

  it('refuses a config without tiers', () => {
    expect(() => kvPoolConfigSchema.parse({ tiers: {} })).toThrow(/configure at least one tier/);
  });

  it('takes paced-tier bandwidth and latency from the @oicf/core catalog unless given', () => {
    // Catalog 'cxl': 63 GB/s, 2.5 µs (PCIe 5.0 x16 PHY); 'nvme' for disk: 14 GB/s, 80 µs.
    expect(linkOf('cxl', {})).toEqual({ bandwidthBytesPerSecond: 63e9, latencySeconds: 2.5e-6 });
    expect(linkOf('disk', { latencySeconds: 0.001 })).toEqual({ bandwidthBytesPerSecond: 14e9, latencySeconds: 0.001 });
  });
});
