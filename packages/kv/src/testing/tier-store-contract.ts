import { afterEach, describe, expect, it } from 'vitest';
import { blockIdFor, ROOT_BLOCK_ID } from '../blocks/block-chain.js';
import { blockChecksum } from '../store/block-record.js';
import type { TierStore } from '../store/tier-store.js';

/**
 * The shared contract every TierStore passes: the in-memory fake here, and every store adapter in
 * apps/kv-pool (memory, paced memory, files). Call it from a test file:
 *
 *   runTierStoreContract('disk', async ({ capacityBytes }) => ({ store, corrupt, substitute, cleanup }));
 */

export interface TierStoreHarness {
  readonly store: TierStore;
  /** Damages the stored copy of `blockId` in place (flip one payload byte). */
  corrupt(blockId: string): Promise<void>;
  /** Makes the record stored under `blockId` be the (valid) record of `otherBlockId`. */
  substitute(blockId: string, otherBlockId: string): Promise<void>;
  /** Removes files, timers, etc. Called after each test. */
  cleanup?(): Promise<void>;
}

export type MakeTierStore = (options: { capacityBytes: number }) => Promise<TierStoreHarness>;

export interface TierStoreContractOptions {
  /**
   * The store does not hash payloads on read (the pool's in-memory tiers, whose payloads were
   * verified on the way in and never leave the process). The payload-damage clauses then hold in
   * their end-to-end form: a damaged payload may come back as a hit, but always with the checksum
   * recorded at put, which no longer matches its bytes, so every receiver that verifies (all of
   * them: kv.block frames carry it) rejects it. Header damage and substitution are still misses.
   */
  readonly trustsPayloadOnRead?: boolean;
}

/** A read of damaged bytes: a counted-miss store says so; a trusting store's hit is detectably wrong. */
function expectRejectedOrDetectable(
  result: Awaited<ReturnType<TierStore['get']>>,
  trusting: boolean,
  recordedChecksum: number,
): void {
  if (!trusting || result.kind === 'miss') {
    expect(result).toEqual({ kind: 'miss', reason: 'corrupt' });
    return;
  }
  expect(result.checksum).toBe(recordedChecksum);
  expect(blockChecksum(result.bytes)).not.toBe(result.checksum);
}

/** A distinct, valid block id per integer (chained from the root over one token). */
export function contractBlockId(n: number): string {
  return blockIdFor(ROOT_BLOCK_ID, [n]);
}

/** Deterministic non-trivial bytes: a different pattern for every (seed, length). */
export function contractBytes(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed * 0x9e3779b1 + length) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Index of the first differing byte, or -1 when equal (lengths compared first). */
function firstDifference(actual: Uint8Array, expected: Uint8Array): number {
  if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) if (actual[i] !== expected[i]) return i;
  return -1;
}

/** Asserts a hit whose bytes equal `expected` (any Uint8Array subclass, e.g. Buffer, is fine). */
function expectHit(result: Awaited<ReturnType<TierStore['get']>>, expected: Uint8Array): void {
  expect(result.kind).toBe('hit');
  if (result.kind !== 'hit') return;
  expect(result.bytes).toBeInstanceOf(Uint8Array);
  expect(result.checksum).toBe(blockChecksum(expected));
  expect({ length: result.bytes.length, firstDifference: firstDifference(result.bytes, expected) }).toEqual({
    length: expected.length,
    firstDifference: -1,
  });
}

export function runTierStoreContract(
  name: string,
  makeStore: MakeTierStore,
  options: TierStoreContractOptions = {},
): void {
  const trusting = options.trustsPayloadOnRead === true;
  describe(`TierStore contract: ${name}`, () => {
    let harness: TierStoreHarness | undefined;
    const open = async (capacityBytes = 1 << 24) => {
      harness = await makeStore({ capacityBytes });
      return harness;
    };
    afterEach(async () => {
      await harness?.store.close();
      await harness?.cleanup?.();
      harness = undefined;
    });

    it.each([0, 1, 3, 31, 4096, 65_543])('round-trips %i bytes exactly', async (length) => {
      const { store } = await open();
      const id = contractBlockId(length);
      const bytes = contractBytes(7, length);
      expect(await store.put(id, bytes)).toEqual({ ok: true });
      expectHit(await store.get(id), bytes);
      expect(await store.has(id)).toBe(true);
    });

    it('keeps the meta given to put and reports it from list', async () => {
      const { store } = await open();
      const parent = contractBlockId(20);
      const child = contractBlockId(21);
      await store.put(parent, contractBytes(20, 10), { meta: { position: 0, numTokens: 64 } });
      await store.put(child, contractBytes(21, 12), { meta: { parentId: parent, position: 1, numTokens: 64 } });
      const byId = new Map((await store.list()).map((b) => [b.blockId, b]));
      expect(byId.get(parent)).toEqual({
        blockId: parent,
        numBytes: 10,
        meta: { parentId: undefined, position: 0, numTokens: 64 },
      });
      expect(byId.get(child)).toEqual({
        blockId: child,
        numBytes: 12,
        meta: { parentId: parent, position: 1, numTokens: 64 },
      });
    });

    it('returns a miss value for an absent block', async () => {
      const { store } = await open();
      expect(await store.get(contractBlockId(1))).toEqual({ kind: 'miss', reason: 'absent' });
      expect(await store.has(contractBlockId(1))).toBe(false);
    });

    it('copies on put, and never serves bytes changed through a returned view', async () => {
      const { store } = await open();
      const id = contractBlockId(2);
      const bytes = contractBytes(2, 100);
      await store.put(id, bytes);
      bytes.fill(0);
      const first = await store.get(id);
      if (first.kind !== 'hit') throw new Error('expected a hit');
      expectHit(first, contractBytes(2, 100));
      first.bytes.fill(1);
      // Either the store handed out a copy (still a hit with the original bytes) or a view, and
      // the write is caught as corruption: never the modified bytes.
      const second = await store.get(id);
      if (second.kind === 'hit' && firstDifference(second.bytes, contractBytes(2, 100)) === -1) {
        expectHit(second, contractBytes(2, 100));
      } else expectRejectedOrDetectable(second, trusting, blockChecksum(contractBytes(2, 100)));
    });

    it('refuses writes beyond capacity with a value and changes nothing', async () => {
      const { store } = await open(10_000);
      const a = contractBlockId(10);
      const b = contractBlockId(11);
      expect(await store.put(a, contractBytes(1, 6000))).toEqual({ ok: true });
      const refused = await store.put(b, contractBytes(2, 6000));
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.reason).toBe('capacity');
        expect(refused.message).toContain('6000');
      }
      expect(await store.has(b)).toBe(false);
      expect(await store.stats()).toMatchObject({ numBlocks: 1, usedBytes: 6000, capacityBytes: 10_000 });
      // Replacing a block only needs room for the difference: 8000 − 6000 ≤ 4000 free.
      expect(await store.put(a, contractBytes(3, 8000))).toEqual({ ok: true });
      expect(await store.stats()).toMatchObject({ numBlocks: 1, usedBytes: 8000 });
      expect(await store.delete(a)).toBe(true);
      expect(await store.put(b, contractBytes(2, 6000))).toEqual({ ok: true });
    });

    it('deletes: true once, then false, and the block is gone', async () => {
      const { store } = await open();
      const id = contractBlockId(3);
      await store.put(id, contractBytes(3, 10));
      expect(await store.delete(id)).toBe(true);
      expect(await store.delete(id)).toBe(false);
      expect(await store.get(id)).toEqual({ kind: 'miss', reason: 'absent' });
      expect(await store.stats()).toMatchObject({ numBlocks: 0, usedBytes: 0 });
    });

    it('lists every block after many writes and deletes', async () => {
      const { store } = await open();
      const ids = Array.from({ length: 120 }, (_, i) => contractBlockId(1000 + i));
      for (const [i, id] of ids.entries()) await store.put(id, contractBytes(i, 50 + i));
      for (const id of ids.slice(0, 20)) await store.delete(id);
      const listed = await store.list();
      expect(new Set(listed.map((b) => b.blockId))).toEqual(new Set(ids.slice(20)));
      expect(listed).toHaveLength(100);
      const first = listed.find((b) => b.blockId === ids[20]);
      expect(first?.numBytes).toBe(70);
      // Σ_{i=20}^{119} (50 + i) = 100·50 + (20+119)·100/2 = 5000 + 6950 = 11950.
      expect(await store.stats()).toMatchObject({ numBlocks: 100, usedBytes: 11_950 });
    });

    it('turns a corrupted block into a counted miss, never wrong bytes', async () => {
      const h = await open();
      const id = contractBlockId(4);
      await h.store.put(id, contractBytes(4, 1000));
      await h.corrupt(id);
      const read = await h.store.get(id);
      expectRejectedOrDetectable(read, trusting, blockChecksum(contractBytes(4, 1000)));
      if (read.kind === 'hit') return; // a trusting store: the receiver's check drops it (clause above)
      expect((await h.store.stats()).numChecksumFailures).toBe(1);
      // The bad block is dropped: absent from then on, and its bytes no longer counted.
      expect(await h.store.has(id)).toBe(false);
      expect((await h.store.list()).map((b) => b.blockId)).not.toContain(id);
      expect(await h.store.stats()).toMatchObject({ numBlocks: 0, usedBytes: 0 });
    });

    it("treats another block's record under this id as a miss", async () => {
      const h = await open();
      const a = contractBlockId(5);
      const b = contractBlockId(6);
      await h.store.put(a, contractBytes(5, 300));
      await h.store.put(b, contractBytes(6, 300));
      await h.substitute(a, b);
      expect(await h.store.get(a)).toEqual({ kind: 'miss', reason: 'corrupt' });
      expectHit(await h.store.get(b), contractBytes(6, 300));
      expect((await h.store.stats()).numChecksumFailures).toBe(1);
    });

    it('treats a wrong knownChecksum as a miss on read, never wrong bytes', async () => {
      const { store } = await open();
      const id = contractBlockId(7);
      await store.put(id, contractBytes(7, 64), { knownChecksum: 12345 });
      expectRejectedOrDetectable(await store.get(id), trusting, 12345);
    });

    it.each(['', 'abc', 'G'.repeat(32), 'A'.repeat(32), '0'.repeat(33)])(
      'rejects malformed block id %j with INVALID_ARGUMENT',
      async (bad) => {
        const { store } = await open();
        await expect(store.put(bad, contractBytes(1, 1))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
        await expect(store.get(bad)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      },
    );
  });
}
