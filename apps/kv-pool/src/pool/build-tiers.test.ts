import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockChecksum, chainBlockIds } from '@oicf/kv';
import { contractBytes } from '@oicf/kv/testing';
import { realClock } from '@oicf/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { type KvPoolConfig, kvPoolConfigSchema, kvPoolConfigSchemaFor, type PoolTierEntry } from '../config.js';
import { PacedTierStore } from '../stores/paced-tier-store.js';
import { buildTiers } from './build-tiers.js';
import { KvPool } from './kv-pool.js';

let dataDir: string | undefined;
afterEach(async () => {
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

describe('buildTiers', () => {
  it('opens every configured tier of @oicf/core in stacking order, figures from config else the catalog', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kvpool-tiers-'));
    const config = kvPoolConfigSchema.parse({
      policy: { name: 'lru' },
      tiers: {
        disk: { capacityBytes: 4000, dataDir },
        cxl: { capacityBytes: 3000, bandwidthBytesPerSecond: 4e9 },
        dram: { capacityBytes: 2000 },
      },
    });
    const tiers = await buildTiers(config, realClock);
    // dram: catalog 63 GB/s, 2 µs; cxl: 4 GB/s as configured, catalog latency 2.5 µs; disk: catalog NVMe 14 GB/s, 80 µs.
    expect(tiers.map((t) => [t.name, t.model, t.paced])).toEqual([
      ['dram', { name: 'dram', capacityBytes: 2000, bandwidthBytesPerSecond: 63e9, latencySeconds: 2e-6 }, false],
      ['cxl', { name: 'cxl', capacityBytes: 3000, bandwidthBytesPerSecond: 4e9, latencySeconds: 2.5e-6 }, true],
      ['disk', { name: 'disk', capacityBytes: 4000, bandwidthBytesPerSecond: 14e9, latencySeconds: 8e-5 }, false],
    ]);
    expect(tiers[1]?.store).toBeInstanceOf(PacedTierStore);
    for (const t of tiers) await t.store.close();
  });

  it('needs nothing but an entry for a new tier: config key, store and placement follow from it', async () => {
    // A hypothetical far tier between dram and disk, kept in paced memory like cxl: one entry (in the
    // service it would sit in @oicf/core TIERS, with its value in the proto Tier enum).
    const entries: PoolTierEntry[] = [
      {
        id: 'dram',
        configKey: 'dram',
        bandwidthBytesPerSecond: 63e9,
        latencySeconds: 2e-6,
        serving: { holder: 'pool', store: 'memory' },
      },
      {
        id: 'far',
        configKey: 'farMemory',
        bandwidthBytesPerSecond: 1e9,
        latencySeconds: 1e-5,
        serving: { holder: 'pool', store: 'paced-memory' },
      },
    ];
    const config = kvPoolConfigSchemaFor(entries).parse({
      policy: { name: 'lru' },
      tiers: { dram: { capacityBytes: 2000 }, farMemory: { capacityBytes: 8000, pace: false } },
    }) as KvPoolConfig;
    const tiers = await buildTiers(config, realClock, entries);
    expect(tiers.map((t) => [t.name, t.model.bandwidthBytesPerSecond, t.paced])).toEqual([
      ['dram', 63e9, false],
      ['far', 1e9, false],
    ]);
    const pool = await KvPool.open({
      tiers,
      clock: realClock,
      blockTokens: 64,
      maxLeaseTtlSeconds: 60,
      maxBlocksPerRequest: 10,
    });
    // dram holds 2 blocks of 1000 bytes: the first of 3 is demoted to the new tier.
    const ids = chainBlockIds(Array.from({ length: 3 * 64 }, (_, i) => i % 200));
    for (const [i, blockId] of ids.entries()) {
      const payload = contractBytes(i, 1000);
      await pool.put({
        blockId,
        parentId: '',
        numTokens: 64,
        checksum: blockChecksum(payload),
        payload,
        sessionId: '',
        ttlSeconds: 0,
      });
    }
    expect(pool.lookup(ids).blocks.map((b) => b.tier)).toEqual(['far', 'dram', 'dram']);
    expect((await pool.stats()).tiers.map((t) => [t.tier, t.read.bandwidthBytesPerSecond])).toEqual([
      ['dram', 63e9],
      ['far', 1e9],
    ]);
    await pool.close();
  });
});
