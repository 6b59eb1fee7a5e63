// With OICF_SHM_NATIVE=1 the arena is mapped, and a signed block moves through it with each byte read once per side:
// the writer's GMAC computed during its copy into the slot (PeerSegment.writeGmac), the pool's XXH32 and GMAC of one
// private chunked copy of the slot (ShmArenaTierStore.slotXxh32Gmac), the reader's GMAC of its copy as it copies
// (PeerSegment.readGmac). The checks still keep good bytes and refuse bytes changed in the arena.
import { blockChecksum, chainBlockIds } from '@oicf/kv';
import { contractBytes } from '@oicf/kv/testing';
import {
  blockDigest,
  connectKvPool,
  type KvPoolConnection,
  nativeGmacCopy,
  PeerSegment,
  setBlockSigner,
  shmNativeStatus,
} from '@oicf/pool-client';
import { credentialsFor, type RunningService, setClusterCredentials } from '@oicf/transport';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { kvPoolConfigSchema } from '../config.js';
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
const on = status.on && nativeGmacCopy() !== undefined;
const skip = on ? '' : ' (skipped: the arena is not mapped, or the addon has no GMAC)';

const ROOT = Buffer.alloc(32, 44);
const BLOCK_BYTES = 96 * 1024; // crosses the addon's 64 KiB chunks
const FORMAT = 'tiny-gqa/fp32';
const signer = { key: credentialsFor(ROOT, 'w').blockKey as Buffer, kvFormat: FORMAT };
const ids = chainBlockIds(Array.from({ length: 4 * 64 }, (_, i) => (i * 3) % 256));
const id = (i: number) => ids[i] as string;
const payload = (i: number) => contractBytes(i, BLOCK_BYTES);

describe.skipIf(!on)(`signed blocks through a mapped arena, one pass per side${skip}`, () => {
  let service: RunningService;
  let pool: KvPool;
  let client: KvPoolConnection;
  beforeAll(async () => {
    setClusterCredentials(credentialsFor(ROOT, 'kv-pool'));
    const config = kvPoolConfigSchema.parse({
      kvFormat: FORMAT,
      blockBytes: BLOCK_BYTES,
      policy: { name: 'lru' },
      tiers: { dram: { capacityBytes: 4 << 20 } },
      shm: { stagingBytes: 1 << 20 },
    });
    ({ service, pool } = await startKvPool(config, { handleSignals: false, log: () => {} }));
    client = await connectKvPool(service.endpoints as { ws: string; grpc: string });
    setBlockSigner(signer);
  });
  afterAll(async () => {
    setBlockSigner(undefined);
    await client?.close();
    await service?.shutdown('test done');
    setClusterCredentials(undefined);
    if (before === undefined) delete process.env.OICF_SHM_NATIVE;
    else process.env.OICF_SHM_NATIVE = before;
  });

  it('signs while writing, checks the slot once, verifies while reading; a changed extent is refused', async () => {
    expect(client.link.mode).toBe('shm');
    expect(pool.arena()?.segment.isMapped).toBe(true);
    const write = vi.spyOn(PeerSegment.prototype, 'writeGmac');
    const read = vi.spyOn(PeerSegment.prototype, 'readGmac');
    const once = vi.spyOn(ShmArenaTierStore.prototype, 'slotXxh32Gmac');
    const put = (i: number) => ({ blockId: id(i), parentId: '', numTokens: 0, sessionId: '', ttlSeconds: 0 });
    await client.data.put({ ...put(0), payload: payload(0), signWith: signer });
    // The pool computed the XXH32 it keeps (checksum_from_pool) in its one pass: that of the payload.
    expect(write.mock.results.map((r) => r.value)).toEqual([true]);
    expect(once.mock.results.map((r) => r.value)).toEqual([blockChecksum(payload(0))]);
    const got = await client.get([id(0)]);
    expect(Buffer.from(got.blocks.get(id(0)) ?? []).equals(Buffer.from(payload(0)))).toBe(true);
    expect(read.mock.results.map((r) => r.value)).toEqual([true]);
    // A signed put whose digest is of other bytes: refused by the one pass.
    const stale = { ...put(1), payload: payload(1), digest: blockDigest(signer, id(1), payload(2)) };
    await expect(client.data.put(stale)).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH', field: 'body.digest' });
    expect(once).toHaveBeenCalledTimes(2);
    // Bytes changed in the arena after the put (any same-host member can write it): the reader's check refuses them.
    pool.arena()?.scribble(id(0), BLOCK_BYTES - 1, Uint8Array.of((payload(0)[BLOCK_BYTES - 1] ?? 0) ^ 1));
    const events = [];
    for await (const e of client.data.get({ blockIds: [id(0)], leaseId: '' })) events.push(e);
    expect(events.map((e) => e.kind)).toEqual(['error', 'done']);
    expect(events[0]).toMatchObject({ error: { code: 'CHECKSUM_MISMATCH', field: 'body.digest' } });
    expect(read.mock.results.map((r) => r.value)).toEqual([true, true]);
  });
});
