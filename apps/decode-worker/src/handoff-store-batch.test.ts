import { blockChecksum } from '@oicf/kv';
import type { KvHandoff__Output } from '@oicf/proto';
import { FakeClock, type OicfError } from '@oicf/transport';
import { MAX_HANDOFF_BATCH_BLOCKS, PayloadPool } from '@oicf/worker';
import { describe, expect, it } from 'vitest';
import { type ExtentReader, HandoffStore } from './handoff-store.js';

// Same-host batched kv.handoff frames: one frame names several extents of the sender's segment. The segment here is
// a plain array standing in for the mapped file (the real one is exercised in packages/worker's handoff-sender.test.ts
// and test/integration/workers.test.ts); the store's checks are what is tested.
const BPT = 8; // KV bytes per token
const TOKENS = 4; // tokens per block → 32 bytes per block
const BLOCK_BYTES = TOKENS * BPT;
const segment = Uint8Array.from({ length: 64 * BLOCK_BYTES }, (_, i) => (i * 7 + 3) & 0xff);
const readExtent: ExtentReader = (into, e) => {
  into.set(segment.subarray(e.offset, e.offset + e.length));
  return undefined; // the store hashes the copy
};

/** Block i of the prompt: tokens [4i, 4i + 4), bytes [32i, 32i + 32) of the segment. */
function ref(i: number, corrupt = false) {
  const offset = i * BLOCK_BYTES;
  const checksum = blockChecksum(segment.subarray(offset, offset + BLOCK_BYTES)) ^ (corrupt ? 1 : 0);
  const shm = { segmentId: 1, offset, length: BLOCK_BYTES };
  return { blockId: '', firstToken: i * TOKENS, numTokens: TOKENS, checksum: checksum >>> 0, shm };
}

/** One frame carrying blocks [from, from + n), `bad` the index in the frame of a block with a wrong checksum. */
function batchFrame(requestId: string, from: number, n: number, last: boolean, bad = -1): KvHandoff__Output {
  const [head, ...rest] = Array.from({ length: n }, (_, k) => ref(from + k, k === bad));
  if (head === undefined) throw new Error('n ≥ 1');
  return { requestId, ...head, payload: Buffer.alloc(0), last, batch: rest };
}

function store() {
  const pool = new PayloadPool();
  const rejected: OicfError[] = [];
  const s = new HandoffStore({
    clock: new FakeClock(),
    kvBytesPerToken: BPT,
    ttlSeconds: 30,
    pool,
    onRejected: (_id, e) => rejected.push(e),
  });
  return { s, pool, rejected };
}

describe('HandoffStore: batched extent frames', () => {
  it('a batch round-trips the bytes of every extent, acknowledged once for the whole handoff', async () => {
    const { s } = store();
    // 1 + 2 + 3 blocks in three frames (the sender's ramp), the third marked last: 6 blocks × 32 B = 192 B.
    expect(s.receive(batchFrame('r1', 0, 1, false), readExtent).kind).toBe('none');
    expect(s.receive(batchFrame('r1', 1, 2, false), readExtent).kind).toBe('none');
    expect(s.receive(batchFrame('r1', 3, 3, true), readExtent)).toEqual({
      kind: 'ack',
      ack: { requestId: 'r1', numBlocks: 6, numBytes: 192 },
    });
    const r = await s.wait('r1', 5);
    expect(r.kind).toBe('complete');
    expect(r.frames.map((f) => [f.firstToken, f.numTokens])).toEqual([0, 4, 8, 12, 16, 20].map((t) => [t, 4]));
    // Block i's bytes are the segment's bytes [32i, 32i + 32), byte for byte.
    r.frames.forEach((f, i) => {
      expect(Buffer.from(f.payload).equals(segment.subarray(i * 32, i * 32 + 32))).toBe(true);
    });
    r.release();
  });

  it('refuses a batch with one bad checksum naming that block, keeping the verified blocks before it', async () => {
    const { s, rejected } = store();
    // Blocks 0..3 in one frame; the third (index 2 in the frame = body.batch[1], tokens [8, 12)) has a flipped checksum.
    const reply = s.receive(batchFrame('r2', 0, 4, true, 2), readExtent);
    expect(reply.kind).toBe('error');
    const error = (reply as { error: OicfError }).error;
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.message).toContain('tokens [8, 12) of r2 (body.batch[1] of a 4-block frame)');
    expect(error.field).toBe('body.batch[1].checksum');
    expect(rejected).toEqual([error]);
    const r = await s.wait('r2', 5);
    expect(r.kind).toBe('failed');
    // Blocks 0 and 1 verified before the bad one: tokens 0..7, what the Decode call imports before recomputing.
    expect(r.frames.map((f) => f.firstToken)).toEqual([0, 4]);
    r.release();
  });

  it('refuses a frame of more blocks than the maximum, and keeps serving other handoffs', async () => {
    const { s } = store();
    const over = MAX_HANDOFF_BATCH_BLOCKS + 1; // 33: one block more than a frame may carry
    const reply = s.receive(batchFrame('r3', 0, over, true), readExtent);
    expect(reply.kind).toBe('error');
    const error = (reply as { error: OicfError }).error;
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('kv.handoff for r3 carries 33 blocks; a frame may carry at most 32');
    expect(error.field).toBe('body.batch');
    expect(s.bufferedBytes).toBe(0); // nothing of it was read or kept
    // Exactly the maximum is taken: 32 blocks × 32 B = 1024 B.
    expect(s.receive(batchFrame('r4', 0, MAX_HANDOFF_BATCH_BLOCKS, true), readExtent)).toEqual({
      kind: 'ack',
      ack: { requestId: 'r4', numBlocks: 32, numBytes: 1024 },
    });
  });

  it('refuses malformed batches: an entry without its extent, a batch on an inline frame', () => {
    const { s } = store();
    const noExtent = batchFrame('r5', 0, 3, true);
    const entries = noExtent.batch.map((b, k) => (k === 1 ? { ...b, shm: null } : b));
    const a = s.receive({ ...noExtent, batch: entries }, readExtent);
    expect(a.kind === 'error' && a.error.code).toBe('INVALID_ARGUMENT');
    expect(a.kind === 'error' && a.error.field).toBe('body.batch[1].shm');
    const inline = batchFrame('r6', 0, 2, true);
    const payload = Buffer.from(segment.subarray(0, BLOCK_BYTES));
    const b = s.receive({ ...inline, shm: null, payload }, readExtent);
    expect(b.kind === 'error' && b.error.message).toContain('only same-host frames (body.shm set) may batch blocks');
  });
});
