import { fileURLToPath } from 'node:url';
import { tierSpec } from '@oicf/core';
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
    expect(() => kvPoolConfigSchema.parse({ tiers: {} })).toThrow(
      /configure at least one tier \(dram, cxl, opticalPool or disk\)/,
    );
  });

  it('takes paced-tier bandwidth and latency from the @oicf/core catalog unless given', () => {
    // Catalog 'cxl': 63 GB/s, 2.5 µs (PCIe 5.0 x16 PHY); 'disk' (NVMe SSD, Micron 9550): 14 GB/s, 80 µs.
    expect(linkOf(tierSpec('cxl'), {})).toEqual({ bandwidthBytesPerSecond: 63e9, latencySeconds: 2.5e-6 });
    expect(linkOf(tierSpec('disk'), { latencySeconds: 0.001 })).toEqual({
      bandwidthBytesPerSecond: 14e9,
      latencySeconds: 0.001,
    });
  });

  it('takes one key per pool tier of @oicf/core, with the fields of its store kind', () => {
    const config = kvPoolConfigSchema.parse({
      tiers: {
        dram: { capacityBytes: 1, bandwidthBytesPerSecond: 5e9 },
        opticalPool: { capacityBytes: 2 },
        disk: { capacityBytes: 3, dataDir: '/d' },
      },
    });
    expect(config.tiers).toEqual({
      dram: { capacityBytes: 1, bandwidthBytesPerSecond: 5e9 },
      opticalPool: { capacityBytes: 2, pace: true },
      disk: { capacityBytes: 3, dataDir: '/d', durable: false },
    });
    // The wire and catalog spellings are not config keys; a memory tier has no pacing switch.
    const bad = kvPoolConfigSchema.safeParse({
      tiers: { 'optical-pool': { capacityBytes: 1 }, dram: { capacityBytes: 1, pace: true } },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['tiers.dram', 'unrecognized_keys'],
      ['tiers', 'unrecognized_keys'],
    ]);
  });
});
