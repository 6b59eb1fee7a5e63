import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockChecksum, chainBlockIds } from '@oicf/kv';
import { contractBytes } from '@oicf/kv/testing';
import type { PutRequest } from '@oicf/pool-client';
import { realClock } from '@oicf/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskTierStore } from '../stores/disk-tier-store.js';
import { TrustedMemoryTierStore } from '../stores/trusted-memory-tier-store.js';
import { type GetItem, KvPool } from './kv-pool.js';
import type { PoolTier } from './pool-core.js';
import type { PoolObserver } from './pool-observer.js';

const KiB = 1024;
/** A chain of 6 block ids over synthetic tokens (64-token blocks). */
const ids = chainBlockIds(Array.from({ length: 6 * 64 }, (_, i) => i % 251));
const id = (i: number) => ids[i] as string;

function putBody(i: number, numBytes = 10 * KiB, over: Partial<PutRequest> = {}): PutRequest {
  const payload = Buffer.from(contractBytes(i, numBytes));
  return {
    blockId: id(i),
    parentId: i === 0 ? '' : id(i - 1),
    numTokens: 64,
    checksum: blockChecksum(payload),
    payload,
    sessionId: '',
    ttlSeconds: 0,
    ...over,
  };
}

async function collect(gen: AsyncGenerator<GetItem>): Promise<GetItem[]> {
  const out: GetItem[] = [];
  for await (const item of gen) out.push(item);
  return out;
}

let dataDir: string | undefined;
afterEach(async () => {
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

/** dram (2 blocks of 10 KiB) over disk (8 blocks), LRU in both. */
async function dramOverDisk(
  observer: PoolObserver = {},
): Promise<{ pool: KvPool; disk: DiskTierStore; tiers: PoolTier[] }> {
  dataDir = await mkdtemp(join(tmpdir(), 'kvpool-pool-'));
  const disk = await DiskTierStore.open({ name: 'disk', dataDir, capacityBytes: 80 * KiB });
  const model = (name: string, capacityBytes: number) => ({
    name,
    capacityBytes,
    bandwidthBytesPerSecond: 1e9,
    latencySeconds: 0,
  });
  const tiers: PoolTier[] = [
    {
      name: 'dram',
      store: new TrustedMemoryTierStore('dram', 20 * KiB),
      model: model('dram', 20 * KiB),
      policy: { name: 'lru' },
      paced: false,
    },
    { name: 'disk', store: disk, model: model('disk', 80 * KiB), policy: { name: 'lru' }, paced: false },
  ];
  const pool = await KvPool.open({
    tiers,
    clock: realClock,
    blockTokens: 64,
    maxLeaseTtlSeconds: 60,
    maxBlocksPerRequest: 100,
    observer,
  });
  return { pool, disk, tiers };
}

describe('KvPool', () => {
  it('stores, demotes under pressure, and serves every block back exactly', async () => {
    const { pool } = await dramOverDisk();
    for (let i = 0; i < 4; i++) expect((await pool.put(putBody(i))).tier).toBe('dram');
    // dram holds 2 blocks: 0 and 1 were demoted to disk as 2 and 3 arrived.
    expect(pool.lookup(ids.slice(0, 5))).toMatchObject({
      numCachedBlocks: 4,
      numCachedTokens: 256,
      blocks: [{ tier: 'disk' }, { tier: 'disk' }, { tier: 'dram' }, { tier: 'dram' }],
    });
    const items = await collect(pool.get([id(0), id(3), id(5)], ''));
    expect(items.map((x) => [x.kind, x.blockId])).toEqual([
      ['block', id(0)],
      ['block', id(3)],
      ['missing', id(5)],
    ]);
    const first = items[0] as Extract<GetItem, { kind: 'block' }>;
    expect(first.tier).toBe('dram'); // promoted (onboarded) on the hit, then read from dram
    expect(Buffer.from(first.payload).equals(Buffer.from(contractBytes(0, 10 * KiB)))).toBe(true);
    const stats = await pool.stats();
    expect(stats.tiers.map((t) => [t.tier, t.numBlocks, t.numPromotions, t.numDemotions])).toEqual([
      ['dram', 2, 1, 3],
      ['disk', 2, 0, 0],
    ]);
  });

  it('counts a prefix query: the leading blocks held are hits, the rest misses, a query that finds nothing all misses', async () => {
    const queries: [number, readonly string[]][] = [];
    const { pool } = await dramOverDisk({ prefixQuery: (n, tiers) => queries.push([n, [...tiers]]) });
    for (let i = 0; i < 3; i++) await pool.put(putBody(i)); // block 0 demoted to disk
    // A prompt of 5 blocks: 3 held (disk, dram, dram), 2 misses.
    pool.lookup(ids.slice(0, 5), { query: true });
    // A prompt the pool holds nothing of (its chain starts elsewhere): 2 asked, 2 misses.
    pool.lookup([id(4), id(5)], { query: true });
    // A worker checking what to offer is no query: not counted.
    pool.lookup(ids.slice(0, 5));
    expect(queries).toEqual([
      [5, ['disk', 'dram', 'dram']],
      [2, []],
    ]);
  });

  it('acks a re-put as already present', async () => {
    const { pool } = await dramOverDisk();
    await pool.put(putBody(0));
    expect(await pool.put(putBody(0))).toEqual({
      blockId: id(0),
      tier: 'dram',
      alreadyPresent: true,
      storedBytes: 10 * KiB,
    });
  });

  it('turns a corrupted disk block into a counted error and drops it', async () => {
    const { pool, disk } = await dramOverDisk();
    for (let i = 0; i < 3; i++) await pool.put(putBody(i)); // block 0 → disk
    const path = disk.pathOf(id(0) as string);
    const bytes = await readFile(path);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] as number) ^ 0x01;
    await writeFile(path, bytes);
    const [item] = await collect(pool.get([id(0)], ''));
    expect(item).toMatchObject({ kind: 'error', blockId: id(0), error: { code: 'CHECKSUM_MISMATCH' } });
    expect(pool.lookup([id(0)]).numCachedBlocks).toBe(0);
    expect((await pool.stats()).tiers[1]?.numChecksumFailures).toBe(1);
    expect(await collect(pool.get([id(0)], ''))).toEqual([{ kind: 'missing', blockId: id(0) }]);
  });

  it('serves a block damaged in dram with the checksum recorded on receipt, so the reader refuses it', async () => {
    const { pool, tiers } = await dramOverDisk();
    await pool.put(putBody(0));
    const dram = (tiers[0] as PoolTier).store as TrustedMemoryTierStore;
    const payload = dram.rawRecord(id(0))?.payload as Uint8Array;
    payload[7] = (payload[7] as number) ^ 0x80;
    const [item] = await collect(pool.get([id(0)], ''));
    // dram reads skip the re-hash; the checksum that goes out is the one verified at put.
    expect(item).toMatchObject({ kind: 'block', blockId: id(0), checksum: blockChecksum(contractBytes(0, 10 * KiB)) });
    expect(item?.kind === 'block' && blockChecksum(item.payload) !== item.checksum).toBe(true);
  });

  it.each<[string, Partial<PutRequest>, string, string]>([
    ['a malformed id', { blockId: 'xyz' }, 'INVALID_ARGUMENT', 'body.blockId'],
    ['a malformed parent', { parentId: 'ABC' }, 'INVALID_ARGUMENT', 'body.parentId'],
    ['a wrong checksum', { checksum: 1 }, 'CHECKSUM_MISMATCH', 'body.checksum'],
    ['too many tokens', { numTokens: 65 }, 'INVALID_ARGUMENT', 'body.numTokens'],
  ])('refuses a put with %s', async (_name, over, code, field) => {
    const { pool } = await dramOverDisk();
    await expect(pool.put(putBody(1, 100, over))).rejects.toMatchObject({ code, field });
    expect((await pool.stats()).tiers.every((t) => t.numBlocks === 0)).toBe(true);
  });

  it('refuses a block larger than every tier with RESOURCE_EXHAUSTED', async () => {
    const { pool } = await dramOverDisk();
    await expect(pool.put(putBody(0, 81 * KiB))).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
  });

  it('leases: pinned blocks are not evicted, expiry instants use the wall clock', async () => {
    const { pool } = await dramOverDisk();
    await pool.put(putBody(0));
    const lease = pool.lease([id(0), id(1)], 1000);
    expect(lease).toMatchObject({ ttlSeconds: 60, leasedBlockIds: [id(0)], missingBlockIds: [id(1)] }); // clamped to 60
    expect(await pool.evict({ blockIds: [id(0)] })).toEqual({
      evictedBlockIds: [],
      freedBytes: 0,
      skippedBlockIds: [id(0)],
    });
    await expect(collect(pool.get([id(0)], 'lease-nope'))).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect((await collect(pool.get([id(0)], lease.leaseId)))[0]?.kind).toBe('block');
    expect(pool.release(lease.leaseId)).toBe(true);
    expect((await pool.evict({ blockIds: [id(0)] })).evictedBlockIds).toEqual([id(0)]);
  });

  it('rebuilds from the disk tier when reopened', async () => {
    const { pool, tiers } = await dramOverDisk();
    for (let i = 0; i < 4; i++) await pool.put(putBody(i));
    const disk = await DiskTierStore.open({ name: 'disk', dataDir: dataDir as string, capacityBytes: 80 * KiB });
    const reopened = await KvPool.open({
      tiers: [
        { ...(tiers[0] as PoolTier), store: new TrustedMemoryTierStore('dram', 20 * KiB) },
        { ...(tiers[1] as PoolTier), store: disk },
      ],
      clock: realClock,
      blockTokens: 64,
      maxLeaseTtlSeconds: 60,
      maxBlocksPerRequest: 100,
    });
    // Only the two demoted blocks were on disk; dram did not survive.
    expect(reopened.lookup(ids.slice(0, 2)).numCachedBlocks).toBe(2);
    const items = await collect(reopened.get([id(1)], ''));
    expect(items[0]).toMatchObject({ kind: 'block', numTokens: 64 });
  });

  it('keeps an agent session warm: retained blocks outlive unpinned ones under pressure', async () => {
    const { pool } = await dramOverDisk();
    await pool.put(putBody(0, 10 * KiB, { sessionId: 'agent-7', ttlSeconds: 300 }));
    await pool.put(putBody(1));
    await pool.put(putBody(2)); // dram full: LRU would demote 0, but it is retained, so 1 goes
    const tiers = pool.lookup(ids.slice(0, 3)).blocks.map((b) => b.tier);
    expect(tiers).toEqual(['dram', 'disk', 'dram']);
    expect((await pool.stats()).numSessions).toBe(1);
  });
});
