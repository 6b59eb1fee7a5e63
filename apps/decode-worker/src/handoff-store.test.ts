import { blockChecksum } from '@oicf/kv';
import type { KvHandoff__Output } from '@oicf/proto';
import { FakeClock, OicfError } from '@oicf/transport';
import { PayloadPool } from '@oicf/worker';
import { describe, expect, it } from 'vitest';
import { HandoffStore } from './handoff-store.js';

const BPT = 8; // KV bytes per token in these tests

function frame(requestId: string, first: number, n: number, last = false, corrupt = false): KvHandoff__Output {
  const payload = Buffer.alloc(n * BPT, first + 1);
  const checksum = blockChecksum(payload);
  if (corrupt) payload[0] = (payload[0] ?? 0) ^ 0x10;
  return { requestId, blockId: '', firstToken: first, numTokens: n, checksum, payload, last, shm: null };
}

function store(clock = new FakeClock()) {
  const expired: Array<[string, number]> = [];
  const pool = new PayloadPool();
  const s = new HandoffStore({
    clock,
    kvBytesPerToken: BPT,
    ttlSeconds: 30,
    pool,
    onExpired: (id, bytes) => expired.push([id, bytes]),
  });
  return { s, clock, expired, pool };
}

describe('HandoffStore', () => {
  it('frames before the Decode call: acked on the last frame, claimed complete', async () => {
    const { s, pool } = store();
    expect(s.receive(frame('r1', 64, 64)).kind).toBe('none');
    expect(s.receive(frame('r1', 128, 64)).kind).toBe('none');
    // 64 + 64 + 22 tokens × 8 bytes = 1200 bytes in 3 frames.
    expect(s.receive(frame('r1', 192, 22, true))).toEqual({
      kind: 'ack',
      ack: { requestId: 'r1', numBlocks: 3, numBytes: 1200 },
    });
    const r = await s.wait('r1', 5);
    expect(r.kind).toBe('complete');
    expect(r.frames.map((f) => [f.firstToken, f.numTokens])).toEqual([
      [64, 64],
      [128, 64],
      [192, 22],
    ]);
    // Payloads are aligned pooled copies holding the sent bytes (frame() fills with first + 1).
    expect(r.frames.map((f) => [f.payload.byteOffset % 4, f.payload[0], f.payload.byteLength])).toEqual([
      [0, 65, 512],
      [0, 129, 512],
      [0, 193, 176],
    ]);
    expect(s.size).toBe(0);
    r.release();
    expect(pool.pooledBytes).toBe(3 * 4096);
  });

  it('the Decode call first: wait resolves when the last frame arrives', async () => {
    const { s } = store();
    const waiting = s.wait('r2', 5);
    s.receive(frame('r2', 0, 4));
    s.receive(frame('r2', 4, 2, true));
    expect((await waiting).kind).toBe('complete');
  });

  it.each([
    ['a corrupted payload', frame('r3', 4, 4, false, true), 'CHECKSUM_MISMATCH'],
    ['a gap in the token range', frame('r3', 5, 4), 'INVALID_ARGUMENT'],
    ['a payload of the wrong size', { ...frame('r3', 4, 4), numTokens: 3 }, 'INVALID_ARGUMENT'],
  ] as const)(
    '%s fails the handoff; verified frames before it are kept, later ones ignored',
    async (_name, bad, code) => {
      const { s } = store();
      s.receive(frame('r3', 0, 4));
      const reply = s.receive(bad);
      expect(reply.kind).toBe('error');
      expect(reply.kind === 'error' && reply.error.code).toBe(code);
      expect(s.receive(frame('r3', 8, 4, true))).toEqual({ kind: 'none' });
      const r = await s.wait('r3', 5);
      expect(r.kind).toBe('failed');
      expect(r.frames.map((f) => f.firstToken)).toEqual([0]);
    },
  );

  it('unclaimed handoffs expire after the TTL and are counted; claimed ones do not', async () => {
    const { s, clock, expired } = store();
    s.receive(frame('old', 0, 4, true));
    const claimed = s.wait('late', 100);
    await clock.advance(29);
    expect(s.expire()).toBe(0);
    await clock.advance(1);
    expect(s.expire()).toBe(1);
    expect(expired).toEqual([['old', 32]]);
    s.receive(frame('late', 0, 1, true));
    expect((await claimed).kind).toBe('complete');
  });

  it('a Decode call whose frames never come fails with DEADLINE_EXCEEDED naming the request', async () => {
    const { s, clock } = store();
    const waiting = s.wait('lost', 2);
    s.receive(frame('lost', 0, 4)); // one frame, never the last
    const check = expect(waiting).rejects.toMatchObject({
      code: 'DEADLINE_EXCEEDED',
      message: expect.stringMatching(/lost within 2 s \(1 frames arrived\)/),
    });
    await clock.advance(2);
    await check;
    expect(s.size).toBe(0);
  });

  it('a cancelled Decode call stops waiting; a second claim is refused', async () => {
    const { s } = store();
    const abort = new AbortController();
    const waiting = s.wait('c', 10, abort.signal);
    await expect(s.wait('c', 10)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    abort.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('a frame naming an extent is copied out through the reader and verified like inline bytes', async () => {
    const { s, pool } = store();
    // The "sender's segment": 64 bytes where frame r's bytes sit at offset 16 (2 tokens × 8 B).
    const segment = Buffer.alloc(64);
    const good = frame('r', 0, 2, true);
    good.payload.copy(segment, 16);
    const read = (into: Uint8Array, e: { offset: number; length: number }) => {
      if (e.offset + e.length > segment.length) throw new OicfError('INVALID_ARGUMENT', 'outside the segment');
      into.set(segment.subarray(e.offset, e.offset + e.length));
      return undefined; // no hash computed during the copy: the store hashes the copy
    };
    const viaShm = { ...good, payload: Buffer.alloc(0), shm: { segmentId: 1, offset: 16, length: 16 } };
    expect(s.receive(viaShm, read)).toMatchObject({ kind: 'ack', ack: { numBytes: 16 } });
    const claimed = await s.wait('r', 1);
    expect(claimed.kind === 'complete' && Buffer.from(claimed.frames[0]?.payload ?? []).equals(good.payload)).toBe(
      true,
    );
    claimed.release();
    // Wrong bytes at the extent: refused as a checksum failure. An unreadable extent, or no link: refused.
    expect(s.receive({ ...viaShm, requestId: 'x', shm: { segmentId: 1, offset: 0, length: 16 } }, read)).toMatchObject({
      kind: 'error',
      error: { code: 'CHECKSUM_MISMATCH' },
    });
    expect(s.receive({ ...viaShm, requestId: 'y', shm: { segmentId: 1, offset: 60, length: 16 } }, read)).toMatchObject(
      {
        kind: 'error',
        error: { code: 'INVALID_ARGUMENT' },
      },
    );
    expect(s.receive({ ...viaShm, requestId: 'z' })).toMatchObject({
      kind: 'error',
      error: { code: 'FAILED_PRECONDITION' },
    });
    expect(pool.pooledBytes).toBe(pool.carvedBytes); // every pooled buffer came back
  });

  it('uses the XXH32 a reader computed during its copy (a mapped segment) instead of hashing again', () => {
    const { s } = store();
    const good = frame('r', 0, 2, true);
    const viaShm = { ...good, payload: Buffer.alloc(0), shm: { segmentId: 1, offset: 0, length: 16 } };
    // The copy is right and so is the sum the reader reports for it: kept.
    const copyWithSum = (sum: number) => (into: Uint8Array) => {
      into.set(good.payload);
      return sum;
    };
    expect(s.receive(viaShm, copyWithSum(good.checksum))).toMatchObject({ kind: 'ack' });
    // The same bytes, but the reader's sum of its copy differs from the frame's checksum (the segment changed under
    // the copy): refused, though a second hash of the (good) bytes would have passed.
    expect(s.receive({ ...viaShm, requestId: 'q' }, copyWithSum((good.checksum + 1) >>> 0))).toMatchObject({
      kind: 'error',
      error: { code: 'CHECKSUM_MISMATCH' },
    });
  });
});
