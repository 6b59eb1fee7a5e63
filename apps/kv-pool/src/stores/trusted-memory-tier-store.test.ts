import { blockChecksum, type MemoryRecord } from '@oicf/kv';
import { contractBlockId, contractBytes } from '@oicf/kv/testing';
import { describe, expect, it } from 'vitest';
import { TrustedMemoryTierStore } from './trusted-memory-tier-store.js';

const [A, B] = [contractBlockId(1), contractBlockId(2)];

async function storeWithTwoBlocks() {
  const store = new TrustedMemoryTierStore('dram', 10_000);
  await store.put(A, contractBytes(1, 1000), { adopt: true });
  await store.put(B, contractBytes(2, 1000));
  return store;
}

describe('TrustedMemoryTierStore', () => {
  it('serves the stored bytes themselves with the checksum recorded at put', async () => {
    const store = await storeWithTwoBlocks();
    const got = await store.get(A);
    expect(got).toEqual({
      kind: 'hit',
      bytes: contractBytes(1, 1000),
      checksum: blockChecksum(contractBytes(1, 1000)),
    });
    expect(got.kind === 'hit' && got.bytes).toBe(store.rawRecord(A)?.payload); // a view, not a copy
  });

  it('does not re-hash the payload: damage shows as a recorded checksum the bytes no longer match', async () => {
    const store = await storeWithTwoBlocks();
    const payload = store.rawRecord(A)?.payload as Uint8Array;
    payload[500] = (payload[500] as number) ^ 0x01;
    const got = await store.get(A);
    // Whoever receives these bytes (the kv-pool client) recomputes XXH32 and refuses them.
    expect(got.kind === 'hit' && got.checksum).toBe(blockChecksum(contractBytes(1, 1000)));
    expect(got.kind === 'hit' && blockChecksum(got.bytes)).not.toBe(blockChecksum(contractBytes(1, 1000)));
    expect((await store.stats()).numChecksumFailures).toBe(0);
  });

  // Header checks still run on every read: a failure is a counted miss and the block is dropped.
  it.each<[string, (store: TrustedMemoryTierStore) => void]>([
    [
      'a flipped header byte (header XXH32)',
      (s) => {
        const h = (s.rawRecord(A) as MemoryRecord).header;
        h[44] = (h[44] as number) ^ 0x01; // numTokens, covered by the header checksum
      },
    ],
    ["another block's record under this id", (s) => s.setRawRecord(A, { ...(s.rawRecord(B) as MemoryRecord) })],
    [
      'a payload of another length than its header says',
      (s) => s.setRawRecord(A, { header: (s.rawRecord(A) as MemoryRecord).header, payload: contractBytes(1, 999) }),
    ],
  ])('turns %s into a counted miss', async (_name, damage) => {
    const store = await storeWithTwoBlocks();
    damage(store);
    expect(await store.get(A)).toEqual({ kind: 'miss', reason: 'corrupt' });
    expect(await store.has(A)).toBe(false);
    expect(await store.stats()).toMatchObject({ numBlocks: 1, usedBytes: 1000, numChecksumFailures: 1 });
    expect((await store.get(B)).kind).toBe('hit');
  });
});
