// Keyed block digests on the shared-memory path (docs/reliability.md, "cache integrity"), on a real pool with
// cluster credentials and its dram tier in an arena, and a client that shares the host (this process):
//   put  the pool reads the slot once and checks XXH32, size and the writer's digest on that copy, so an
//        unsigned or mis-signed put through shared memory is refused exactly like an inline one;
//   get  the pool does not read extent bytes, so the reader checks its copy against the digest the kv.block
//        frame carries: another block's record (valid XXH32 and header) under this id is never used.
import { blockChecksum, chainBlockIds } from '@oicf/kv';
import { contractBytes } from '@oicf/kv/testing';
import { blockDigest, connectKvPool, type KvPoolConnection, setBlockSigner } from '@oicf/pool-client';
import { credentialsFor, type RunningService, setClusterCredentials } from '@oicf/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kvPoolConfigSchema } from '../config.js';
import type { KvPool } from '../pool/kv-pool.js';
import { startKvPool } from '../server.js';

const ROOT = Buffer.alloc(32, 33);
const BLOCK_BYTES = 4096;
const FORMAT = 'tiny-gqa/fp32';
const signer = { key: credentialsFor(ROOT, 'w').blockKey as Buffer, kvFormat: FORMAT };
const ids = chainBlockIds(Array.from({ length: 9 * 64 }, (_, i) => (i * 5) % 256));
const id = (i: number) => ids[i] as string;
const payload = (i: number) => contractBytes(i, BLOCK_BYTES);

let service: RunningService;
let pool: KvPool;
let client: KvPoolConnection;
const paths: string[] = [];

beforeAll(async () => {
  setClusterCredentials(credentialsFor(ROOT, 'kv-pool'));
  const config = kvPoolConfigSchema.parse({
    kvFormat: FORMAT,
    blockBytes: BLOCK_BYTES,
    drainTimeoutSeconds: 1,
    policy: { name: 'lru' },
    tiers: { dram: { capacityBytes: 1 << 20 } },
    shm: { stagingBytes: 1 << 19 },
  });
  ({ service, pool } = await startKvPool(config, { handleSignals: false, log: () => {} }));
  client = await connectKvPool(service.endpoints as { ws: string; grpc: string }, {
    count: (path, direction) => paths.push(`${path} ${direction}`),
  });
  setBlockSigner(signer); // this process reads as a worker holding the block key
});
afterAll(async () => {
  setBlockSigner(undefined);
  await client.close();
  await service.shutdown('test done');
  setClusterCredentials(undefined);
});

const put = (i: number, over: { digest?: Uint8Array; bytes?: Uint8Array } = {}) => {
  const bytes = over.bytes ?? payload(i);
  return {
    blockId: id(i),
    parentId: i === 0 ? '' : id(i - 1),
    numTokens: 0,
    checksum: blockChecksum(bytes),
    payload: bytes,
    sessionId: '',
    ttlSeconds: 0,
    ...(over.digest === undefined ? {} : { digest: over.digest }),
  };
};

describe('keyed block digests through shared memory', () => {
  it('a signed put through the arena is stored; unsigned or mis-signed ones are refused and their slot comes back', async () => {
    expect(client.link.mode).toBe('shm');
    paths.length = 0;
    await expect(client.data.put(put(0, { digest: blockDigest(signer, id(0), payload(0)) }))).resolves.toMatchObject({
      blockId: id(0),
      alreadyPresent: false,
    });
    expect(paths).toEqual(['shm sent']); // the bytes went through the arena, not a frame
    const before = pool.arena()?.arenaUsedBytes;
    // No digest: the poisoning probe of issue 14 (valid XXH32), now through shared memory.
    await expect(client.data.put(put(1))).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH', field: 'body.digest' });
    // Block 2's bytes and digest offered as block 1 (another prompt's KV under this id).
    const other = put(1, { bytes: payload(2), digest: blockDigest(signer, id(2), payload(2)) });
    await expect(client.data.put(other)).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH', field: 'body.digest' });
    // Signed over bytes other than those in the slot: the digest is checked on what the pool read.
    const stale = put(1, { digest: blockDigest(signer, id(1), payload(3)) });
    await expect(client.data.put(stale)).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH', field: 'body.digest' });
    expect(paths.filter((p) => p === 'ws sent')).toEqual([]); // every refused put was a shared-memory one
    expect([pool.arena()?.arenaUsedBytes, pool.arena()?.pendingSlotBytes]).toEqual([before, 0]);
    expect((await client.get([id(1)])).missingBlockIds).toEqual([id(1)]);
  });

  it('a signed put without XXH32 (checksum_from_pool): the pool keeps the XXH32 of the bytes the digest verified', async () => {
    const { checksum: _, ...unhashed } = put(5, { digest: blockDigest(signer, id(5), payload(5)) });
    paths.length = 0;
    await expect(client.data.put(unhashed)).resolves.toMatchObject({ blockId: id(5), alreadyPresent: false });
    expect(paths).toEqual(['shm sent']);
    // A reader over byte frames checks XXH32 only (no digest pass on that path): it gets the block only if the
    // XXH32 the pool kept is the one of these bytes.
    const frames = await connectKvPool(service.endpoints as { ws: string; grpc: string }, { shm: false });
    try {
      expect(frames.link.mode).not.toBe('shm');
      const events = [];
      for await (const e of frames.data.get({ blockIds: [id(5)], leaseId: '' })) events.push(e);
      expect(events[0]).toMatchObject({ kind: 'block', checksum: blockChecksum(payload(5)) });
      const got = await frames.get([id(5)]);
      expect(got.failed).toEqual([]);
      expect(Buffer.from(got.blocks.get(id(5)) ?? []).equals(Buffer.from(payload(5)))).toBe(true);
      // The same through a frame (inline payload): stored, and served with the XXH32 of its bytes.
      const { checksum: ____, ...inline } = put(6, { digest: blockDigest(signer, id(6), payload(6)) });
      await expect(frames.data.put(inline)).resolves.toMatchObject({ blockId: id(6), alreadyPresent: false });
      const back = await frames.get([id(6)]);
      expect([back.failed, Buffer.from(back.blocks.get(id(6)) ?? []).equals(Buffer.from(payload(6)))]).toEqual([
        [],
        true,
      ]);
    } finally {
      await frames.close();
    }
    // Signed over other bytes than the slot holds (a torn or tampered write): refused, its slot given back.
    const before = pool.arena()?.arenaUsedBytes;
    const { checksum: __, ...torn } = put(3, { digest: blockDigest(signer, id(3), payload(2)) });
    await expect(client.data.put(torn)).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH', field: 'body.digest' });
    // Neither XXH32 nor digest: nothing binds the bytes, refused.
    const { checksum: ___, ...bare } = put(3);
    await expect(client.data.put(bare)).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH', field: 'body.digest' });
    expect([pool.arena()?.arenaUsedBytes, pool.arena()?.pendingSlotBytes]).toEqual([before, 0]);
    expect((await client.get([id(3)])).missingBlockIds).toEqual([id(3)]);
  });

  it('a get through the arena checks the copy against the digest: bytes rewritten with the same XXH32 are not used', async () => {
    await client.data.put(put(4, { digest: blockDigest(signer, id(4), payload(4)) }));
    const ok = await client.get([id(4)]);
    expect(Buffer.from(ok.blocks.get(id(4)) ?? []).equals(Buffer.from(payload(4)))).toBe(true);
    // The copy was checked against the digest: the channel marks it so (fetch-blocks skips XXH32 for such blocks).
    const checked = [];
    for await (const e of client.data.get({ blockIds: [id(4)], leaseId: '' })) checked.push(e);
    expect(checked[0]).toMatchObject({ kind: 'block', blockId: id(4), digestVerified: true });
    // A member that maps the arena rewrites block 4 in place, keeping its XXH32 (and so the record header).
    const forged = sameXxh32(payload(4), 10);
    expect([blockChecksum(forged), Buffer.compare(forged, payload(4)) !== 0]).toEqual([
      blockChecksum(payload(4)),
      true,
    ]);
    pool.arena()?.scribble(id(4), 0, forged);
    paths.length = 0;
    const events = [];
    for await (const e of client.data.get({ blockIds: [id(4)], leaseId: '' })) events.push(e);
    expect(paths).toEqual(['shm received']); // it came as an extent, the path the pool does not re-hash
    expect(events.map((e) => e.kind)).toEqual(['error', 'done']);
    expect(events[0]).toMatchObject({
      kind: 'error',
      blockId: id(4),
      error: { code: 'CHECKSUM_MISMATCH', field: 'body.digest' },
    });
  });

  it('getInto checks the digest on the target itself: a forged block is refused and its target zero-filled', async () => {
    await client.data.put(put(6, { digest: blockDigest(signer, id(6), payload(6)) }));
    await client.data.put(put(7, { digest: blockDigest(signer, id(7), payload(7)) }));
    const targets = [Buffer.alloc(BLOCK_BYTES, 0xaa), Buffer.alloc(BLOCK_BYTES, 0xaa)];
    const ok = await client.getInto([id(6), id(7)], targets);
    expect(ok.failed).toEqual([]);
    expect([targets[0]?.equals(payload(6)), targets[1]?.equals(payload(7))]).toEqual([true, true]);
    // Same XXH32, other bytes: only the keyed digest can tell, and it is checked on what landed in the target.
    pool.arena()?.scribble(id(6), 0, sameXxh32(payload(6), 3));
    for (const t of targets) t.fill(0xaa);
    paths.length = 0;
    const got = await client.getInto([id(6), id(7)], targets);
    expect(paths).toEqual(['shm received', 'shm received']);
    expect(got.blocks.has(id(6))).toBe(false);
    expect(got.failed).toMatchObject([{ blockId: id(6), error: { code: 'CHECKSUM_MISMATCH', field: 'body.digest' } }]);
    expect(targets[0]?.every((b) => b === 0)).toBe(true);
    expect(targets[1]?.equals(payload(7))).toBe(true);
  });

  it('a put leaving XXH32 to the pool keeps the XXH32 of the bytes the digest checked, even if the slot changes between the two passes', async () => {
    const arena = pool.arena();
    if (arena === undefined) throw new Error('no arena');
    // A same-host member rewriting the slot right after the digest pass and before the XXH32 pass: deterministic
    // here by hooking both ends (the slot the writer gets, and the pool's digest check).
    const core = (pool as unknown as { core: { options: { digests: { check: (...a: unknown[]) => unknown } } } }).core;
    const digests = core.options.digests;
    const allocate = arena.allocateSlot.bind(arena);
    const check = digests.check.bind(digests);
    let slotOffset = -1;
    arena.allocateSlot = (n: number) => {
      const e = allocate(n);
      if (e !== undefined) slotOffset = e.offset;
      return e;
    };
    digests.check = (...a: unknown[]) => {
      const r = check(...a);
      if (slotOffset >= 0) arena.segment.write(Uint8Array.of((payload(8)[0] ?? 0) ^ 0xff), slotOffset);
      return r;
    };
    try {
      const signed = { ...put(8, { digest: blockDigest(signer, id(8), payload(8)) }), checksum: undefined };
      await client.data.put(signed);
    } finally {
      arena.allocateSlot = allocate;
      digests.check = check;
    }
    expect(slotOffset).toBeGreaterThanOrEqual(0); // the put went through a slot
    // What the digest bound to the writer is payload(8): the XXH32 kept is of those bytes, not of the rewrite.
    const got = await arena.get(id(8));
    expect(got.kind === 'hit' ? got.checksum >>> 0 : 'not a hit').toBe(blockChecksum(payload(8)) >>> 0);
  });
});

// XXH32 (seed 0) is not a MAC: for input of ≥ 16 bytes, lane 1 folds the 32-bit little-endian words at offsets
// 0, 16, 32, … as acc ← rotl(acc + w·P2, 13)·P1, from acc = P1 + P2 (mod 2³²). Changing the word of stripe k
// and then choosing the word of stripe k + 1 that brings acc back gives different bytes with the same hash
// (each step is invertible: P1, P2 are odd, so they have inverses mod 2³²).
const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;
const round = (acc: number, w: number) => Math.imul(rotl((acc + Math.imul(w, P2)) >>> 0, 13), P1) >>> 0;
function inverse(odd: number): number {
  let x = odd; // Newton: each step doubles the correct low bits (1 → 2 → … → 32 after 5 steps)
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(odd, x)) >>> 0;
  return x;
}
function sameXxh32(bytes: Uint8Array, k: number): Buffer {
  const out = Buffer.from(bytes);
  let acc = (P1 + P2) >>> 0;
  for (let j = 0; j < k; j++) acc = round(acc, out.readUInt32LE(16 * j));
  const target = round(round(acc, out.readUInt32LE(16 * k)), out.readUInt32LE(16 * (k + 1)));
  const changed = (out.readUInt32LE(16 * k) ^ 0xdeadbeef) >>> 0;
  out.writeUInt32LE(changed, 16 * k);
  const after = round(acc, changed);
  const x = rotl(Math.imul(target, inverse(P1)) >>> 0, 32 - 13);
  out.writeUInt32LE(Math.imul((x - after) >>> 0, inverse(P2)) >>> 0, 16 * (k + 1));
  return out;
}
