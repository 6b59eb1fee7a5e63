import { blockIdFor, ROOT_BLOCK_ID } from '@oicf/kv';
import { connectKvPool, type KvPoolConnection } from '@oicf/pool-client';
import { type RunningService, realClock } from '@oicf/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KvPoolConfig, loadKvPoolConfig } from '../config.js';
import type { KvPool } from '../pool/kv-pool.js';
import { startKvPool } from '../server.js';

// getInto on a real pool (no cluster credentials: the reader's check is XXH32): gets read into memory the caller
// provides, through the arena (shm link) and through frames (ws link), verified there. The signed case (the
// keyed digest checked on the target) is in shm-digest.test.ts.
const KiB = 1024;
const BLOCK = 16 * KiB;
let service: RunningService;
let pool: KvPool;
let shm: KvPoolConnection;
let ws: KvPoolConnection;
const paths: string[] = [];

beforeAll(async () => {
  const config: KvPoolConfig = loadKvPoolConfig({
    env: {},
    argv: ['--tiers.dram.capacityBytes=4194304', '--shm.stagingBytes=1048576', '--policy.name=lru'],
  });
  ({ service, pool } = await startKvPool(config, { clock: realClock, handleSignals: false, log: () => {} }));
  const endpoints = service.endpoints as { ws: string; grpc: string };
  shm = await connectKvPool(endpoints, { count: (path, direction) => paths.push(`${path} ${direction}`) });
  ws = await connectKvPool(endpoints, { shm: false });
  await shm.putMany(Array.from({ length: 40 }, (_, n) => ({ blockId: id(n), payload: bytes(n) })));
});
afterAll(async () => {
  await shm.close();
  await ws.close();
  await service.shutdown('test done');
});

const id = (n: number) => blockIdFor(ROOT_BLOCK_ID, [n]);
const bytes = (n: number) => Uint8Array.from({ length: BLOCK }, (_, i) => (i * 7 + n) & 0xff);
const same = (a: Uint8Array | undefined, b: Uint8Array) => a !== undefined && Buffer.from(a).equals(Buffer.from(b));

describe('getInto: gets into memory the caller provides', () => {
  it('through the arena, each block is read into its target, and what is returned is a view of the target', async () => {
    expect(shm.link.mode).toBe('shm');
    const slab = Buffer.alloc(3 * BLOCK + 100, 0xaa);
    // Targets larger than a block: only the first BLOCK bytes are written (the tail keeps 0xaa).
    const targets = [slab.subarray(0, BLOCK), slab.subarray(BLOCK, 2 * BLOCK), slab.subarray(2 * BLOCK)];
    paths.length = 0;
    const got = await shm.getInto([id(0), id(1), id(2)], targets);
    expect(got.failed).toEqual([]);
    expect(paths).toEqual(['shm received', 'shm received', 'shm received']);
    [0, 1, 2].forEach((n) => {
      const payload = got.blocks.get(id(n));
      expect(same(payload, bytes(n))).toBe(true);
      // The very memory of the target: no buffer of the client's own in between.
      expect([payload?.buffer === slab.buffer, payload?.byteOffset, payload?.byteLength]).toEqual([
        true,
        n * BLOCK,
        BLOCK,
      ]);
    });
    expect(slab.subarray(3 * BLOCK).every((b) => b === 0xaa)).toBe(true);
    // The channel itself reads into the target (the one copy out of the arena), not into a buffer then copied.
    const target = Buffer.alloc(BLOCK);
    const events = [];
    for await (const e of shm.data.get({ blockIds: [id(1)], leaseId: '' }, { into: () => target })) events.push(e);
    expect(events[0]).toMatchObject({ kind: 'block', blockId: id(1) });
    const read = events[0]?.kind === 'block' ? events[0].payload : undefined;
    expect([read?.buffer === target.buffer, read?.byteOffset]).toEqual([true, target.byteOffset]);
    expect(same(target, bytes(1))).toBe(true);
  });

  it('a byte flipped in the arena: that block is refused (never returned) and its target zero-filled', async () => {
    const flipped = (bytes(3)[100] as number) ^ 0xff;
    pool.arena()?.scribble(id(3), 100, Uint8Array.of(flipped));
    const targets = [Buffer.alloc(BLOCK, 0xaa), Buffer.alloc(BLOCK, 0xaa)];
    const got = await shm.getInto([id(3), id(4)], targets);
    expect(got.failed).toEqual([{ blockId: id(3), error: 'checksum mismatch on receipt' }]);
    expect(got.blocks.has(id(3))).toBe(false);
    expect(targets[0]?.every((b) => b === 0)).toBe(true); // not the bad bytes, not the caller's old ones
    expect(same(got.blocks.get(id(4)), bytes(4))).toBe(true); // the good block of the same get is used
    expect(same(targets[1], bytes(4))).toBe(true);
    await until(() => pool.arena()?.numRetained === 0); // the read lease ends as for any get
  });

  it('a target smaller than its block: a clear error naming the block and both sizes, the target untouched', async () => {
    const small = Buffer.alloc(BLOCK - 1, 0x55);
    const fine = Buffer.alloc(BLOCK);
    for (const client of [shm, ws]) {
      const got = await client.getInto([id(5), id(6)], [small, fine]);
      expect(got.blocks.has(id(5))).toBe(false);
      expect(got.failed).toHaveLength(1);
      expect(got.failed[0]).toMatchObject({
        blockId: id(5),
        error: {
          code: 'INVALID_ARGUMENT',
          message: `the target for block ${id(5)} holds ${BLOCK - 1} bytes, the block has ${BLOCK}: not read`,
        },
      });
      expect(small.every((b) => b === 0x55)).toBe(true);
      expect(same(got.blocks.get(id(6)), bytes(6))).toBe(true);
    }
  });

  it('as many targets as block ids, or a clear error', async () => {
    await expect(shm.getInto([id(0), id(1)], [Buffer.alloc(BLOCK)])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'getInto: 2 block ids but 1 targets (one target per block)',
    });
  });

  it('concurrent gets into distinct ranges of one slab each land in their own range', async () => {
    // 8 gets of 4 blocks in flight on one connection, as a worker with many requests importing at once.
    const slab = Buffer.alloc(32 * BLOCK);
    const gets = Array.from({ length: 8 }, (_, g) => {
      const ns = [0, 1, 2, 3].map((k) => 8 + g * 4 + k);
      const targets = ns.map((n) => slab.subarray((n - 8) * BLOCK, (n - 7) * BLOCK));
      return shm.getInto(ns.map(id), targets);
    });
    const outcomes = await Promise.all(gets);
    expect(outcomes.flatMap((o) => o.failed)).toEqual([]);
    for (let k = 0; k < 32; k++) expect(same(slab.subarray(k * BLOCK, (k + 1) * BLOCK), bytes(8 + k))).toBe(true);
  });

  it('over byte frames (another host), the verified block is copied into its target', async () => {
    expect(ws.link.mode).toBe('ws');
    const target = Buffer.alloc(BLOCK, 0xaa);
    const got = await ws.getInto([id(7)], [target]);
    expect(got.failed).toEqual([]);
    expect(same(target, bytes(7))).toBe(true);
    expect(got.blocks.get(id(7))?.buffer).toBe(target.buffer);
  });
});

async function until(cond: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('a put that leaves its XXH32 to the pool (checksum_from_pool)', () => {
  it('is refused by a pool without the block key, which could check nothing about the bytes', async () => {
    const before = pool.arena()?.arenaUsedBytes;
    for (const c of [shm, ws]) {
      const put = c.data.put({
        blockId: id(90),
        parentId: '',
        numTokens: 0,
        payload: bytes(90),
        sessionId: '',
        ttlSeconds: 0,
        digest: Buffer.alloc(52, 1),
      });
      await expect(put).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'body.checksumFromPool' });
    }
    // The shm put wrote a slot of the arena (the pool refuses it on receipt): the refusal gave it back.
    expect([pool.arena()?.arenaUsedBytes, pool.arena()?.pendingSlotBytes]).toEqual([before, 0]);
    expect((await shm.get([id(90)])).missingBlockIds).toEqual([id(90)]);
  });
});
