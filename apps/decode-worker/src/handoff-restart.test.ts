// A retried prefill (issue 14.1) pushes the request's handoff again from its first token: the store drops
// what the failed attempt left (partial or rejected) and keeps the new attempt's frames, until a Decode
// call claims it.
import { blockChecksum } from '@oicf/kv';
import type { KvHandoff__Output } from '@oicf/proto';
import { FakeClock } from '@oicf/transport';
import { PayloadPool } from '@oicf/worker';
import { describe, expect, it } from 'vitest';
import { HandoffStore } from './handoff-store.js';

const BPT = 8;
function frame(first: number, n: number, fill: number, last = false, corrupt = false): KvHandoff__Output {
  const payload = Buffer.alloc(n * BPT, fill);
  const checksum = blockChecksum(payload);
  if (corrupt) payload[0] = (payload[0] ?? 0) ^ 1;
  return { requestId: 'r', blockId: '', firstToken: first, numTokens: n, checksum, payload, last, shm: null };
}

function store() {
  const pool = new PayloadPool();
  return { pool, s: new HandoffStore({ clock: new FakeClock(), kvBytesPerToken: BPT, ttlSeconds: 30, pool }) };
}

describe('HandoffStore restart', () => {
  it('a handoff resent from its first token replaces a partial one', async () => {
    const { s, pool } = store();
    s.receive(frame(0, 4, 1)); // the first attempt: 1 frame, then its prefill worker died
    s.receive(frame(0, 4, 2));
    expect(s.receive(frame(4, 2, 2, true))).toMatchObject({ kind: 'ack', ack: { numBlocks: 2, numBytes: 48 } });
    const r = await s.wait('r', 1);
    expect(r.kind).toBe('complete');
    // Only the second attempt's bytes (fill 2); the first attempt's buffer went back to the pool.
    expect(r.frames.map((f) => [f.firstToken, f.payload[0]])).toEqual([
      [0, 2],
      [4, 2],
    ]);
    r.release();
    expect(pool.pooledBytes).toBeGreaterThan(0);
  });

  it('a resent handoff also replaces a rejected one', async () => {
    const { s } = store();
    expect(s.receive(frame(0, 4, 1, false, true)).kind).toBe('error'); // corrupted in the first attempt
    expect(s.receive(frame(0, 4, 3, true)).kind).toBe('ack');
    expect((await s.wait('r', 1)).kind).toBe('complete');
  });

  it('a frame that neither follows nor restarts still fails the handoff', () => {
    const { s } = store();
    s.receive(frame(0, 4, 1));
    expect(s.receive(frame(8, 4, 1))).toMatchObject({ kind: 'error' });
  });
});

describe('HandoffStore caps (a flood of handoffs for made-up ids)', () => {
  function capped() {
    const pool = new PayloadPool();
    const clock = new FakeClock();
    const s = new HandoffStore({
      clock,
      kvBytesPerToken: BPT,
      ttlSeconds: 30,
      pool,
      maxUnclaimedBytes: 1000,
      maxUnclaimedHandoffs: 3,
    });
    return { s, pool, clock };
  }
  const f = (id: string, first: number, n: number) => ({ ...frame(first, n, 1), requestId: id });

  it('refuses frames past the byte cap, and drops the handoff that would grow past it', () => {
    const { s } = capped();
    // 10 tokens × 8 B = 80 B per frame: 12 frames (960 B) fit in 1,000 B; the 13th does not.
    for (let i = 0; i < 12; i++) expect(s.receive(f('a', i * 10, 10)).kind).toBe('none');
    expect(s.bufferedBytes).toBe(960);
    expect(s.receive(f('a', 120, 10))).toMatchObject({ kind: 'error', error: { code: 'RESOURCE_EXHAUSTED' } });
    // 'a' was dropped whole: its 960 bytes came back.
    expect(s.bufferedBytes).toBe(0);
    expect(s.size).toBe(0);
  });

  it('refuses a new handoff past the open-handoff cap; a claimed one is always taken', async () => {
    const { s } = capped();
    for (const id of ['x', 'y', 'z']) expect(s.receive(f(id, 0, 1)).kind).toBe('none');
    expect(s.receive(f('w', 0, 1))).toMatchObject({ kind: 'error', error: { code: 'RESOURCE_EXHAUSTED' } });
    const waiting = s.wait('x', 5);
    expect(s.receive({ ...f('x', 1, 1), last: true }).kind).toBe('ack');
    expect((await waiting).kind).toBe('complete');
  });

  it('expired handoffs give their bytes back, and an idle payload pool drops its slab', () => {
    const { s, pool, clock } = capped();
    s.receive(f('a', 0, 10));
    expect(pool.carvedBytes).toBe(4096); // one 4 KiB chunk of the slab
    clock.advance(30);
    expect(s.expire()).toBe(1);
    expect([s.bufferedBytes, pool.carvedBytes, pool.pooledBytes]).toEqual([0, 0, 0]);
  });

  it('a dropped unclaimed handoff gives its bytes back at once; a claimed one is not dropped', async () => {
    const { s, pool } = capped();
    s.receive(f('a', 0, 10)); // 80 B, its request ended at the router before a decode began
    expect(s.bufferedBytes).toBe(80);
    expect(s.drop('a')).toBe(true);
    expect([s.bufferedBytes, s.size, pool.carvedBytes]).toEqual([0, 0, 0]);
    expect(s.drop('nobody')).toBe(false);
    // Frames still on their way for a dropped request are refused, not kept (until the TTL).
    expect(s.receive(f('a', 10, 10))).toMatchObject({ kind: 'error', error: { code: 'CANCELLED' } });
    expect(s.receive(f('nobody', 0, 10))).toMatchObject({ kind: 'error', error: { code: 'CANCELLED' } });
    expect(s.bufferedBytes).toBe(0);
    const waiting = s.wait('b', 5);
    s.receive(f('b', 0, 1));
    expect(s.drop('b')).toBe(false); // its Decode call holds it
    expect(s.receive({ ...f('b', 1, 1), last: true }).kind).toBe('ack');
    expect((await waiting).kind).toBe('complete');
  });
});
