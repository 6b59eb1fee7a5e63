// kv.put on the wire: a writer either sends its XXH32 (`checksum`) or leaves it to the pool
// (`checksum_from_pool`, checksum 0); the two mappings agree, and a put that says both is refused.
import { describe, expect, it } from 'vitest';
import type { PutRequest } from '../api/pool-api.js';
import { putFromWire, putToWire } from './pool-wire.js';

const base = {
  blockId: 'a'.repeat(16),
  parentId: '',
  numTokens: 0,
  payload: Uint8Array.of(1, 2),
  sessionId: '',
  ttlSeconds: 0,
};
const wire = (put: PutRequest) =>
  ({ shm: null, digest: Buffer.alloc(0), nextSlotBytes: 0, checksumFromPool: false, ...putToWire(put) }) as Parameters<
    typeof putFromWire
  >[0];

describe('kv.put checksum on the wire', () => {
  it('round-trips a put with its checksum, and one that leaves it to the pool', () => {
    expect(putFromWire(wire({ ...base, checksum: 7 })).checksum).toBe(7);
    const left = putToWire({ ...base, digest: Uint8Array.of(9) });
    expect([left.checksum, left.checksumFromPool]).toEqual([0, true]);
    expect('checksum' in putFromWire(wire({ ...base, digest: Uint8Array.of(9) }))).toBe(false);
  });

  it('refuses a checksum sent beside checksum_from_pool, naming the block and the field', () => {
    const body = { ...wire({ ...base, digest: Uint8Array.of(9) }), checksum: 7 };
    expect(() => putFromWire(body)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'body.checksum' }),
    );
    expect(() => putFromWire(body)).toThrow(
      /block a{16}: body.checksum is 7 but body.checksumFromPool says none is sent/,
    );
  });
});
