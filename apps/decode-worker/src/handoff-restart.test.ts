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
  return { requestId: 'r', blockId: '', firstToken: first, numTokens: n, checksum, payload, last };
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
