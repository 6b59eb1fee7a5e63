// With OICF_SHM_NATIVE=1 the arena is mapped, and a put's slot of an unsigned writer is checked in place: its XXH32
// read under the addon's SIGBUS guard (ShmArenaTierStore.slotXxh32InPlace), no copy. The check still keeps good bytes
// and refuses bad ones.
import { blockChecksum, blockIdFor, ROOT_BLOCK_ID } from '@oicf/kv';
import { connectKvPool, type KvPoolConnection, shmNativeStatus } from '@oicf/pool-client';
import { type RunningService, realClock } from '@oicf/transport';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadKvPoolConfig } from '../config.js';
import type { KvPool } from '../pool/kv-pool.js';
import { startKvPool } from '../server.js';
import { ShmArenaTierStore } from '../stores/shm-arena-store.js';

// Before anything loads the addon (shmNativeStatus reads the switch once; imports call it): vi.hoisted runs first.
const before = vi.hoisted(() => {
  const was = process.env.OICF_SHM_NATIVE;
  process.env.OICF_SHM_NATIVE = '1';
  return was;
});
const status = shmNativeStatus();
const skip = status.on ? '' : ` (skipped: the arena is not mapped: ${status.reason})`;

const KiB = 1024;
const id = (n: number) => blockIdFor(ROOT_BLOCK_ID, [n]);
const bytes = (n: number) => Uint8Array.from({ length: 64 * KiB }, (_, i) => (i * 7 + n) & 0xff);

describe.skipIf(!status.on)(`puts into a mapped arena${skip}`, () => {
  let service: RunningService;
  let pool: KvPool;
  let client: KvPoolConnection;
  beforeAll(async () => {
    const config = loadKvPoolConfig({
      env: {},
      argv: ['--tiers.dram.capacityBytes=1048576', '--shm.stagingBytes=524288', '--policy.name=lru'],
    });
    ({ service, pool } = await startKvPool(config, { clock: realClock, handleSignals: false, log: () => {} }));
    client = await connectKvPool(service.endpoints as { ws: string; grpc: string });
  });
  afterAll(async () => {
    await client?.close();
    await service?.shutdown('test done');
    if (before === undefined) delete process.env.OICF_SHM_NATIVE;
    else process.env.OICF_SHM_NATIVE = before;
  });

  it('checks the slot in place (guarded): keeps good bytes, refuses a wrong checksum', async () => {
    expect(client.link.mode).toBe('shm');
    expect(pool.arena()?.segment.isMapped).toBe(true);
    const inPlace = vi.spyOn(ShmArenaTierStore.prototype, 'slotXxh32InPlace');
    await client.put({ blockId: id(1), payload: bytes(1) });
    // One in-place hash for the put, equal to the payload's XXH32 (TypeScript's, checked against published values).
    expect(inPlace.mock.results.map((r) => r.value)).toEqual([blockChecksum(bytes(1))]);
    const got = await client.get([id(1)]);
    expect(Buffer.from(got.blocks.get(id(1)) ?? []).equals(Buffer.from(bytes(1)))).toBe(true);
    const wrong = {
      blockId: id(2),
      parentId: '',
      numTokens: 0,
      checksum: (blockChecksum(bytes(2)) + 1) >>> 0,
      payload: bytes(2),
      sessionId: '',
      ttlSeconds: 0,
    };
    await expect(client.data.put(wrong)).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect(inPlace).toHaveBeenCalledTimes(2);
    inPlace.mockRestore();
  });
});
