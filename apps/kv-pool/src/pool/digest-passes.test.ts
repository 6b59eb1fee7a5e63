// Who checks a block's keyed digest inside the pool, and when (docs/reliability.md, "cache integrity"): on
// put; when bytes enter a tier in the pool's own memory from disk (a promotion); before bytes are served from
// disk (or the arena). Bytes the pool holds in its own memory were checked on their way in and are served
// without another pass. A record rewritten at rest is therefore caught on its way up, never served from dram.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockChecksum, chainBlockIds, encodeBlockRecord } from '@oicf/kv';
import { contractBytes } from '@oicf/kv/testing';
import { blockDigest, type PutRequest } from '@oicf/pool-client';
import { realClock } from '@oicf/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskTierStore } from '../stores/disk-tier-store.js';
import { TrustedMemoryTierStore } from '../stores/trusted-memory-tier-store.js';
import { BlockDigests } from './block-digests.js';
import { type GetItem, KvPool } from './kv-pool.js';

const KiB = 1024;
const signer = { key: Buffer.alloc(32, 5), kvFormat: 'tiny-gqa/fp32' };
const ids = chainBlockIds(Array.from({ length: 4 * 64 }, (_, i) => (i * 7) % 251));
const id = (i: number) => ids[i] as string;
const bytes = (i: number) => Buffer.from(contractBytes(i, 10 * KiB));

/** BlockDigests counting the digest checks of bytes the pool read back (not those of puts). */
class CountingDigests extends BlockDigests {
  verified: string[] = [];
  override verify(blockId: string, payload: Uint8Array): boolean {
    this.verified.push(blockId);
    return super.verify(blockId, payload);
  }
}

let dataDir: string | undefined;
afterEach(async () => {
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function signedPool(): Promise<{ pool: KvPool; disk: DiskTierStore; digests: CountingDigests }> {
  dataDir = await mkdtemp(join(tmpdir(), 'kvpool-passes-'));
  const disk = await DiskTierStore.open({ name: 'disk', dataDir, capacityBytes: 80 * KiB });
  const model = (name: string, capacityBytes: number) => ({
    name,
    capacityBytes,
    bandwidthBytesPerSecond: 1e9,
    latencySeconds: 0,
  });
  const digests = new CountingDigests({ signer });
  const pool = await KvPool.open({
    tiers: [
      {
        name: 'dram', // 2 blocks of 10 KiB
        store: new TrustedMemoryTierStore('dram', 20 * KiB),
        model: model('dram', 20 * KiB),
        policy: { name: 'lru' },
        paced: false,
      },
      { name: 'disk', store: disk, model: model('disk', 80 * KiB), policy: { name: 'lru' }, paced: false },
    ],
    clock: realClock,
    blockTokens: 64,
    maxLeaseTtlSeconds: 60,
    maxBlocksPerRequest: 100,
    digests,
  });
  return { pool, disk, digests };
}

const put = (i: number): PutRequest => ({
  blockId: id(i),
  parentId: i === 0 ? '' : id(i - 1),
  numTokens: 64,
  checksum: blockChecksum(bytes(i)),
  payload: bytes(i),
  sessionId: '',
  ttlSeconds: 0,
  digest: blockDigest(signer, id(i), bytes(i)),
});

async function getOne(pool: KvPool, blockId: string): Promise<GetItem> {
  const items: GetItem[] = [];
  for await (const item of pool.get([blockId], '')) items.push(item);
  return items[0] as GetItem;
}

describe('keyed digest passes inside the pool', () => {
  it('dram hits are served without a pass; a disk hit is checked once, on its promotion into dram', async () => {
    const { pool, digests } = await signedPool();
    for (let i = 0; i < 4; i++) await pool.put(put(i)); // dram holds 2 and 3; 0 and 1 were demoted to disk
    expect(digests.verified).toEqual([]); // demotions into disk are not checked: disk reads are
    const hot = await getOne(pool, id(3));
    expect([hot.kind, (hot as { tier?: string }).tier, digests.verified]).toEqual(['block', 'dram', []]);
    const cold = await getOne(pool, id(0)); // promoted into dram, checked on the way, then served from dram
    expect([cold.kind, (cold as { tier?: string }).tier, digests.verified]).toEqual(['block', 'dram', [id(0)]]);
    expect(Buffer.from((cold as { payload: Uint8Array }).payload).equals(bytes(0))).toBe(true);
  });

  it('a disk record rewritten with another block’s bytes (valid XXH32) is refused on promotion, never served', async () => {
    const { pool, disk } = await signedPool();
    for (let i = 0; i < 4; i++) await pool.put(put(i));
    // Block 1's file now holds block 2's KV with a header and XXH32 valid for that content.
    await writeFile(
      disk.pathOf(id(1)),
      encodeBlockRecord(id(1), bytes(2), blockChecksum(bytes(2)), { parentId: id(0), position: 1, numTokens: 64 }),
    );
    const item = await getOne(pool, id(1));
    expect(item).toMatchObject({ kind: 'error', blockId: id(1), error: { code: 'CHECKSUM_MISMATCH' } });
    expect(pool.lookup([id(1)]).numCachedBlocks).toBe(0); // dropped from every tier
  });
});
