import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockChecksum, blockIdFor, ROOT_BLOCK_ID } from '@oicf/kv';
import {
  connectKvPool,
  type KvPoolConnection,
  ShmLinks,
  ShmStaging,
  shmMapsByDefault,
  shmNativeStatus,
} from '@oicf/pool-client';
import { connectWs, type RunningService, realClock } from '@oicf/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KvPoolConfig, loadKvPoolConfig } from '../config.js';
import type { KvPool } from '../pool/kv-pool.js';
import { startKvPool } from '../server.js';

// The pool's data plane over shared memory, in process (the pool and this client share the host and the
// process, which is all a same-host link needs). Multi-process crash behaviour: test/integration/shm-*.
const KiB = 1024;
let service: RunningService;
let pool: KvPool;
let client: KvPoolConnection;
const paths: [string, string, number][] = [];

beforeAll(async () => {
  const config: KvPoolConfig = loadKvPoolConfig({
    env: {},
    argv: ['--tiers.dram.capacityBytes=1048576', '--shm.stagingBytes=524288', '--policy.name=lru'],
  });
  ({ service, pool } = await startKvPool(config, { clock: realClock, handleSignals: false, log: () => {} }));
  const endpoints = service.endpoints as { ws: string; grpc: string };
  client = await connectKvPool(endpoints, { count: (path, direction, n) => paths.push([path, direction, n]) });
});
afterAll(async () => {
  await client.close();
  await service.shutdown('test done');
});

const id = (n: number) => blockIdFor(ROOT_BLOCK_ID, [n]);
const bytes = (n: number, size = 64 * KiB) => Uint8Array.from({ length: size }, (_, i) => (i * 7 + n) & 0xff);

describe('kv-pool data plane over shared memory', () => {
  it('shakes hands into a shm link, and puts and gets through the arena (bytes never in frames)', async () => {
    expect(client.link.mode).toBe('shm');
    await client.putMany([0, 1, 2].map((n) => ({ blockId: id(n), payload: bytes(n) })));
    const got = await client.get([id(0), id(1), id(2), id(9)]);
    expect(got.failed).toEqual([]);
    expect(got.missingBlockIds).toEqual([id(9)]);
    expect([0, 1, 2].map((n) => Buffer.from(got.blocks.get(id(n)) ?? []).equals(Buffer.from(bytes(n))))).toEqual([
      true,
      true,
      true,
    ]);
    // 3 puts and 3 gets of 64 KiB, all through shared memory.
    expect(paths).toEqual([
      ...[0, 1, 2].map(() => ['shm', 'sent', 64 * KiB]),
      ...[0, 1, 2].map(() => ['shm', 'received', 64 * KiB]),
    ]);
    // The get's read lease is released by the client after its copies: nothing stays pinned.
    await until(() => pool.arena()?.numRetained === 0);
    expect(pool.arena()?.pendingSlotBytes).toBe(0);
  });

  it('a put whose arena bytes do not match its checksum is refused, and its slot comes back', async () => {
    const before = pool.arena()?.arenaUsedBytes;
    const payload = bytes(5);
    const wrong = {
      blockId: id(5),
      parentId: '',
      numTokens: 0,
      checksum: (blockChecksum(payload) + 1) >>> 0,
      payload,
      sessionId: '',
      ttlSeconds: 0,
    };
    await expect(client.data.put(wrong)).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect(pool.arena()?.arenaUsedBytes).toBe(before);
    expect((await client.get([id(5)])).missingBlockIds).toEqual([id(5)]);
  });

  it('bytes changed in the arena after the put are refused by the reader (a counted failure, never used)', async () => {
    await client.put({ blockId: id(6), payload: bytes(6) });
    pool.arena()?.scribble(id(6), 100, Uint8Array.of(0xee));
    const got = await client.get([id(6)]);
    expect(got.blocks.size).toBe(0);
    expect(got.failed).toEqual([{ blockId: id(6), error: 'checksum mismatch on receipt' }]);
  });

  it('with the addon on, both ends map the arena and a get is hashed during its copy (checksumVerified)', async () => {
    const native = shmNativeStatus().on;
    expect(pool.arena()?.segment.isMapped).toBe(native);
    // The config's shm.prefault (default true) reaches the arena: all of it mapped at start when it is mapped.
    expect(pool.arena()?.prefaultedBytes).toBe(native ? pool.arena()?.segment.sizeBytes : 0);
    await client.put({ blockId: id(7), payload: bytes(7) });
    const events = [];
    for await (const e of client.data.get({ blockIds: [id(7)], leaseId: '' })) events.push(e);
    const block = events.find((e) => e.kind === 'block');
    expect(block?.kind === 'block' && Buffer.from(block.payload).equals(Buffer.from(bytes(7)))).toBe(true);
    // Unsigned (no block key in this process): the copy's XXH32 was the check, computed in the same pass when mapped.
    expect(block?.kind === 'block' && block.checksumVerified === true).toBe(native);
  });

  it("opens a worker's offered staging segment to check it, but never maps it (the pool never reads it)", async () => {
    // A worker offers its handoff staging on every connection, the pool's included (worker-runtime.ts); the pool
    // reads none of it, so a mapping would be address space and a map/unmap per connection for nothing.
    const dir = mkdtempSync(join(tmpdir(), 'oicf-pool-staging-'));
    const staging = new ShmStaging({ dir, dataBytes: 1 << 20 });
    const links = new ShmLinks({ enabled: true, writable: true, offer: () => staging.owned() });
    const ws = await connectWs((service.endpoints as { ws: string }).ws);
    expect((await links.of(ws)).mode).toBe('shm'); // the pool opened and checked the offered segment
    // This process is the worker and the pool: /proc/self/maps lists the staging file once per mapping of it, the
    // worker's own (mapped by default when the addon loaded) and none of the pool's.
    const target = readlinkSync(`/proc/self/fd/${staging.owned()?.fd}`).replace(/ \(deleted\)$/, '');
    const mappings = readFileSync('/proc/self/maps', 'utf8')
      .split('\n')
      .filter((l) => l.includes(target));
    expect(mappings.length).toBe(shmMapsByDefault('staging') ? 1 : 0);
    await ws.close();
    staging.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a client without the handshake cannot ask for slots, and a shm-off client still works over frames', async () => {
    const plain = await connectKvPool(service.endpoints as { ws: string; grpc: string }, { shm: false });
    expect(plain.link).toEqual({ mode: 'ws', reason: 'shared memory is disabled' });
    await expect(
      plain.ws.request('kv.put.alloc', { blockId: id(7), numBytes: 10 }, 'kv.put.slot'),
    ).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
    });
    await plain.put({ blockId: id(7), payload: bytes(7) });
    const got = await plain.get([id(7), id(0)]);
    expect([got.blocks.size, got.failed]).toEqual([2, []]);
    await plain.close();
  });

  it('slots and read leases of a connection that closes go back to the arena', async () => {
    const other = await connectKvPool(service.endpoints as { ws: string; grpc: string });
    const before = pool.arena()?.arenaUsedBytes ?? 0;
    await other.ws.request('kv.put.alloc', { blockId: id(8), numBytes: 64 * KiB }, 'kv.put.slot');
    // A get answered with extents whose release never comes (the frames are read raw, no kv.get.release).
    const frames = [];
    for await (const f of other.ws.stream('kv.get', { blockIds: [id(0)], leaseId: '', wantShm: true }))
      frames.push(f.kind);
    expect(frames).toEqual(['kv.block', 'kv.get.done']);
    expect(pool.arena()?.arenaUsedBytes).toBe(before + 64 * KiB);
    expect(pool.arena()?.numRetained).toBe(1);
    await other.close();
    await until(() => pool.arena()?.numRetained === 0);
    expect([pool.arena()?.arenaUsedBytes, pool.arena()?.pendingSlotBytes]).toEqual([before, 0]);
  });
});

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}
