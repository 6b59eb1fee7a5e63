import { fstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { blockChecksum } from '@oicf/kv';
import { contractBlockId, contractBytes } from '@oicf/kv/testing';
import { PeerSegment } from '@oicf/pool-client';
import { afterAll, describe, expect, it } from 'vitest';
import { ShmArenaTierStore } from './shm-arena-store.js';

// Where a put lands in the arena, and what pages it finds there. A write into tmpfs pages never written before
// costs the writer the page allocation and zeroing (apps/kv-pool/bench/pass-costs.ts: 0.32 vs 0.21 ns per byte
// for pages already written), so a pool at capacity should write into the pages of the blocks it evicted: the
// allocator is first fit from the arena's start (freed extents lie below the high-water mark, so they are pages
// already written), and nothing ever gives an arena page back to the kernel (no punch, no truncate).
// Measured with the arena file's allocated size (fstat st_blocks, 512-byte units), which tmpfs counts per page.
const DIR = mkdtempSync(join(existsShm() ? '/dev/shm' : '/tmp', 'oicf-arena-warm-test-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
function existsShm(): boolean {
  try {
    readdirSync('/dev/shm');
    return true;
  } catch {
    return false;
  }
}

const BLOCK = 256 * 1024;
/** 256 KiB ÷ 512-byte sectors: what one block's pages add to st_blocks when they are new. */
const SECTORS_PER_BLOCK = BLOCK / 512; // 512

describe('ShmArenaTierStore: puts after eviction land in pages already written', () => {
  it('reuses an evicted block’s extent for the next slot, and the arena file gains no pages', () => {
    // Capacity 4 blocks, staging room for 4 more slots.
    const store = ShmArenaTierStore.open({ name: 'dram', capacityBytes: 4 * BLOCK, dir: DIR, stagingBytes: 4 * BLOCK });
    const peer = PeerSegment.open(store.descriptor(), { writable: true }) as PeerSegment;
    const sectors = () => fstatSync(store.segment.fd).blocks;
    const putThroughSlot = (id: string, seed: number) => {
      const bytes = contractBytes(seed, BLOCK);
      const slot = store.allocateSlot(bytes.length);
      if (slot === undefined) throw new Error('no slot');
      peer.write(bytes, slot.offset);
      expect(store.adoptSlot(id, slot, bytes.length, blockChecksum(bytes))).toEqual({ ok: true });
      return slot.offset;
    };
    const ids = [1, 2, 3, 4, 5, 6].map((k) => contractBlockId(k));
    const offsets = ids.slice(0, 4).map((id, k) => putThroughSlot(id, k + 1));
    const full = sectors();
    expect(full).toBeGreaterThanOrEqual(4 * SECTORS_PER_BLOCK);

    // The pool evicts blocks 2 and 3 (what its policy does at capacity: TierStore.delete).
    void store.delete(ids[1] as string);
    void store.delete(ids[2] as string);
    // The next two puts take exactly the freed extents (lowest first), whose pages exist already.
    expect(putThroughSlot(ids[4] as string, 5)).toBe(offsets[1]);
    expect(putThroughSlot(ids[5] as string, 6)).toBe(offsets[2]);
    expect(sectors()).toBe(full);

    // Control: with nothing freed, a slot is fresh room beyond the high-water mark, and its write adds pages
    // (so the equality above is not blind).
    const slot = store.allocateSlot(BLOCK);
    if (slot === undefined) throw new Error('no slot');
    expect(slot.offset).toBeGreaterThan(Math.max(...offsets));
    peer.write(contractBytes(7, BLOCK), slot.offset);
    expect(sectors()).toBe(full + SECTORS_PER_BLOCK);
    store.discardSlot(slot);
    peer.close();
    void store.close();
  });
});
