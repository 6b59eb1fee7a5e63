// HandoffStore with copies that finish later (a mapped segment's copy + XXH32 on the thread pool): frames are accepted
// in arrival order, verified in arrival order whenever their copies finish, and a buffer a copy still writes is never
// given back to the pool before that copy ends.
import { blockChecksum } from '@oicf/kv';
import type { KvHandoff__Output } from '@oicf/proto';
import { FakeClock } from '@oicf/transport';
import { PayloadPool } from '@oicf/worker';
import { describe, expect, it } from 'vitest';
import type { HandoffReply } from './handoff-copy.js';
import { HandoffStore } from './handoff-store.js';

const BPT = 8; // KV bytes per token in these tests
const CHUNK = 4096; // PayloadPool's smallest class: every frame here (≤ 32 B) takes one 4 KiB chunk

/** Frame `first` of request `id`: n tokens whose bytes are all first + 1, named by an extent (its bytes live "there"). */
function viaShm(id: string, first: number, n: number, last = false): KvHandoff__Output {
  const bytes = Buffer.alloc(n * BPT, first + 1);
  return {
    requestId: id,
    blockId: '',
    firstToken: first,
    numTokens: n,
    checksum: blockChecksum(bytes),
    payload: Buffer.alloc(0),
    last,
    shm: { segmentId: 1, offset: 4096 + first * BPT, length: n * BPT },
  };
}

/** A reader whose copies finish when the test says: `finish(i, sum?)` writes copy i's bytes and settles it. */
function laterReader() {
  const copies: { into: Uint8Array; first: number; done: (sum: number) => void; fail: (e: Error) => void }[] = [];
  const read = (into: Uint8Array, e: { offset: number }) =>
    new Promise<number>((done, fail) => copies.push({ into, first: (e.offset - 4096) / BPT, done, fail }));
  const finish = (i: number, sum?: number) => {
    const c = copies[i];
    if (c === undefined) throw new Error(`no copy ${i}`);
    c.into.fill(c.first + 1);
    c.done(sum ?? blockChecksum(c.into));
  };
  return { read, finish, copies };
}

function store() {
  const pool = new PayloadPool();
  return { s: new HandoffStore({ clock: new FakeClock(), kvBytesPerToken: BPT, ttlSeconds: 30, pool }), pool };
}

/** Settles pending promise callbacks (the store verifies in a `then` of each copy). */
const tick = () => new Promise((r) => setTimeout(r, 0));

function track(reply: HandoffReply | Promise<HandoffReply>) {
  const seen: { reply?: HandoffReply } = {};
  if (reply instanceof Promise) void reply.then((r) => (seen.reply = r));
  else seen.reply = reply;
  return seen;
}

describe('HandoffStore with copies that finish later', () => {
  it('verifies and acks in arrival order whatever order the copies finish in', async () => {
    const { s, pool } = store();
    const r = laterReader();
    const a = track(s.receive(viaShm('q', 0, 4), r.read)); // tokens [0, 4)
    const b = track(s.receive(viaShm('q', 4, 4), r.read)); // [4, 8)
    const c = track(s.receive(viaShm('q', 8, 2, true), r.read)); // [8, 10), last
    expect(r.copies).toHaveLength(3); // all three copies started before any finished
    r.finish(2);
    r.finish(1);
    await tick();
    // Frames 2 and 3 are copied, but frame 1 is not: nothing is verified, nobody is answered.
    expect([a.reply, b.reply, c.reply]).toEqual([undefined, undefined, undefined]);
    r.finish(0);
    await tick();
    expect(a.reply).toEqual({ kind: 'none' });
    expect(b.reply).toEqual({ kind: 'none' });
    // 4 + 4 + 2 tokens × 8 B = 80 B in 3 frames.
    expect(c.reply).toEqual({ kind: 'ack', ack: { requestId: 'q', numBlocks: 3, numBytes: 80 } });
    const got = await s.wait('q', 1);
    expect(got.kind).toBe('complete');
    expect(got.frames.map((f) => [f.firstToken, f.numTokens, f.payload[0]])).toEqual([
      [0, 4, 1],
      [4, 4, 5],
      [8, 2, 9],
    ]);
    got.release();
    expect(pool.pooledBytes).toBe(3 * CHUNK);
  });

  it('a copy that fails its XXH32 ends the handoff there: the frames before it stay, later ones go back once copied', async () => {
    const { s, pool } = store();
    const r = laterReader();
    const a = track(s.receive(viaShm('f', 0, 4), r.read));
    const b = track(s.receive(viaShm('f', 4, 4), r.read));
    const c = track(s.receive(viaShm('f', 8, 4, true), r.read));
    r.finish(0);
    r.finish(1, 0x12345678); // frame 2's copy has a different sum than its checksum (the segment changed under it)
    await tick();
    expect(a.reply).toEqual({ kind: 'none' });
    expect(b.reply).toMatchObject({ kind: 'error', error: { code: 'CHECKSUM_MISMATCH' } });
    // Frame 3's copy still runs: its buffer is not back (frame 2's is: 1 chunk of the 3 carved).
    expect(pool.pooledBytes).toBe(1 * CHUNK);
    r.finish(2);
    await tick();
    expect(c.reply).toEqual({ kind: 'none' }); // the handoff already failed: no ack, no second error
    expect(pool.pooledBytes).toBe(2 * CHUNK);
    const got = await s.wait('f', 1);
    expect(got.kind).toBe('failed');
    expect(got.frames.map((f) => f.firstToken)).toEqual([0]);
    got.release();
    expect(pool.pooledBytes).toBe(3 * CHUNK);
  });

  it('a copy that throws (the segment shrank) refuses its frame with that error', async () => {
    const { s } = store();
    const r = laterReader();
    const a = track(s.receive(viaShm('t', 0, 4, true), r.read));
    r.copies[0]?.fail(new RangeError('the mapped file shrank under this process'));
    await tick();
    expect(a.reply?.kind).toBe('error');
    expect(a.reply?.kind === 'error' && a.reply.error.message).toMatch(/shrank/);
  });

  it('a handoff dropped while its copies run gives their buffers back only when each copy ends', async () => {
    const { s, pool } = store();
    const r = laterReader();
    const a = track(s.receive(viaShm('d', 0, 4), r.read));
    s.receive(viaShm('d', 4, 4), r.read);
    expect(s.bufferedBytes).toBe(64); // 2 frames × 4 tokens × 8 B reserved while copying
    expect(s.drop('d')).toBe(true);
    expect(s.bufferedBytes).toBe(0);
    expect(pool.pooledBytes).toBe(0); // both copies still write their buffers
    r.finish(0);
    await tick();
    expect(pool.pooledBytes).toBe(1 * CHUNK);
    expect(a.reply).toEqual({ kind: 'none' });
    r.finish(1);
    await tick();
    expect(pool.pooledBytes).toBe(2 * CHUNK);
    expect(s.size).toBe(0);
  });

  it('a retried prefill (its first token again) replaces an attempt whose copies still run', async () => {
    const { s, pool } = store();
    const r = laterReader();
    s.receive(viaShm('p', 0, 4), r.read); // attempt 1, copy 0 never finished before the retry
    const again = track(s.receive(viaShm('p', 0, 4), r.read)); // attempt 2
    const last = track(s.receive(viaShm('p', 4, 2, true), r.read));
    r.finish(1);
    r.finish(2);
    await tick();
    expect(again.reply).toEqual({ kind: 'none' });
    // Only attempt 2's frames count: 4 + 2 tokens × 8 B.
    expect(last.reply).toEqual({ kind: 'ack', ack: { requestId: 'p', numBlocks: 2, numBytes: 48 } });
    expect(pool.pooledBytes).toBe(0); // attempt 1's buffer: its copy still runs
    r.finish(0);
    await tick();
    expect(pool.pooledBytes).toBe(1 * CHUNK);
  });
});
