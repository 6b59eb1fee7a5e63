import { blockChecksum } from '@oicf/kv';
import type { KvHandoff__Output } from '@oicf/proto';
import { FakeClock } from '@oicf/transport';
import { PayloadPool } from '@oicf/worker';
import { describe, expect, it } from 'vitest';
import { HandoffStore } from './handoff-store.js';

// The handoff TTL counts from a handoff's latest frame, and a handoff dropped before its last frame is never
// acknowledged short (round 8: a 0.5 s TTL cut a slow 32-frame handoff and acked the 24 frames after the cut).
const BPT = 8; // KV bytes per token
const TTL = 30;

/** Block i of request `id`: tokens [4i, 4i + 4), 32 bytes. */
function frame(id: string, i: number, last = false): KvHandoff__Output {
  const payload = Buffer.alloc(4 * BPT, i + 1);
  const checksum = blockChecksum(payload);
  return { requestId: id, blockId: '', firstToken: 4 * i, numTokens: 4, checksum, payload, last, shm: null };
}

function store() {
  const clock = new FakeClock();
  const expired: Array<[string, number]> = [];
  const s = new HandoffStore({
    clock,
    kvBytesPerToken: BPT,
    ttlSeconds: TTL,
    pool: new PayloadPool(),
    onExpired: (id, bytes) => expired.push([id, bytes]),
  });
  return { s, clock, expired };
}

describe('HandoffStore TTL', () => {
  it('does not cut a handoff whose frames keep arriving, however long it takes in all', async () => {
    const { s, clock } = store();
    // 4 frames 20 s apart: 60 s from first to last, every gap under the 30 s TTL.
    for (let i = 0; i < 3; i++) {
      expect(s.receive(frame('slow', i)).kind).toBe('none');
      await clock.advance(20);
      expect(s.expire()).toBe(0);
    }
    // 4 frames × 32 bytes = 128 bytes, acked whole.
    expect(s.receive(frame('slow', 3, true))).toEqual({
      kind: 'ack',
      ack: { requestId: 'slow', numBlocks: 4, numBytes: 128 },
    });
  });

  it('refuses the later frames of a handoff dropped mid-way, never acking the rest as a shorter handoff', async () => {
    const { s, clock, expired } = store();
    for (let i = 0; i < 8; i++) s.receive(frame('cut', i));
    await clock.advance(TTL);
    expect(s.expire()).toBe(1);
    expect(expired).toEqual([['cut', 256]]); // 8 frames × 32 bytes
    for (let i = 8; i < 32; i++) {
      const reply = s.receive(frame('cut', i, i === 31));
      expect(reply.kind === 'error' && reply.error.code).toBe('DEADLINE_EXCEEDED');
    }
    expect([s.size, s.bufferedBytes]).toEqual([0, 0]); // nothing of the refused frames is kept
    // After another TTL the id is forgotten: a frame for it opens a new handoff (a bounded memory of refusals).
    await clock.advance(TTL);
    s.expire();
    expect(s.receive(frame('cut', 0, true)).kind).toBe('ack');
  });

  it('lets a completed, unclaimed handoff expire without refusing its id', async () => {
    const { s, clock } = store();
    s.receive(frame('done', 0, true));
    await clock.advance(TTL);
    expect(s.expire()).toBe(1);
    // A retried prefill of the same request is taken again (no refusal is remembered for a complete handoff).
    expect(s.receive(frame('done', 0, true)).kind).toBe('ack');
  });
});
