import { fstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { blockChecksum } from '@oicf/kv';
import { contractBlockId, contractBytes, runTierStoreContract } from '@oicf/kv/testing';
import { PeerSegment, shmMapsByDefault, shmNativeStatus } from '@oicf/pool-client';
import { afterAll, describe, expect, it } from 'vitest';
import { ShmArenaTierStore } from './shm-arena-store.js';

// A directory of its own on the tmpfs (falls back to the OS temp dir where /dev/shm is missing).
const DIR = mkdtempSync(join(existsShm() ? '/dev/shm' : '/tmp', 'oicf-arena-test-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
function existsShm(): boolean {
  try {
    readdirSync('/dev/shm');
    return true;
  } catch {
    return false;
  }
}
const open = (capacityBytes: number, stagingBytes = 1 << 20) =>
  ShmArenaTierStore.open({ name: 'dram', capacityBytes, dir: DIR, stagingBytes });

runTierStoreContract(
  'shm arena',
  async ({ capacityBytes }) => {
    const store = open(capacityBytes);
    return {
      store,
      corrupt: async (id) => {
        const read = await store.get(id);
        const first = read.kind === 'hit' ? (read.bytes[0] ?? 0) : 0;
        store.scribble(id, 0, Uint8Array.of(first ^ 0xff));
      },
      substitute: async (id, other) => store.substitute(id, other),
    };
  },
  { trustsPayloadOnRead: true },
);

describe('ShmArenaTierStore', () => {
  const [A, B] = [contractBlockId(1), contractBlockId(2)];

  it('leaves no file behind: the arena is reachable only through its owner’s descriptor', () => {
    const store = open(1 << 20);
    expect(readdirSync(DIR)).toEqual([]);
    const peer = PeerSegment.open(store.descriptor(), { writable: false });
    expect(typeof peer).not.toBe('string');
    if (typeof peer !== 'string') peer.close();
    void store.close();
  });

  it('a peer writes a slot, the store adopts it without a copy, and a reader copies it out', async () => {
    const store = open(1 << 20);
    const peer = PeerSegment.open(store.descriptor(), { writable: true }) as PeerSegment;
    const bytes = contractBytes(1, 10_000);
    const slot = store.allocateSlot(bytes.length);
    if (slot === undefined) throw new Error('no slot');
    peer.write(bytes, slot.offset);
    expect(store.slotChecksum(slot, bytes.length)).toBe(blockChecksum(bytes));
    expect(store.adoptSlot(A, slot, bytes.length, blockChecksum(bytes))).toEqual({ ok: true });
    expect(store.pendingSlotBytes).toBe(0);
    const at = store.retain(A);
    expect(at).toMatchObject({ offset: slot.offset, numBytes: 10_000, checksum: blockChecksum(bytes) });
    const out = new Uint8Array(10_000);
    peer.read(out, at?.offset ?? 0);
    expect(Buffer.from(out).equals(Buffer.from(bytes))).toBe(true);
    at?.release();
    peer.close();
    await store.close();
  });

  it('never reuses the bytes of a deleted block while a reader holds them', async () => {
    // Capacity 8 KiB, staging 4 KiB: 12 KiB of arena, three 4 KiB pages.
    const store = open(8192, 4096);
    await store.put(A, contractBytes(1, 4096));
    const held = store.retain(A);
    expect(await store.delete(A)).toBe(true); // evicted: gone from the index at once…
    expect(await store.has(A)).toBe(false);
    await store.put(B, contractBytes(2, 4096));
    const c = contractBlockId(3);
    await store.put(c, contractBytes(3, 4096));
    // …but its page is still the reader's: the arena's third page went to c, and a fourth block finds none.
    expect(await store.put(contractBlockId(4), contractBytes(4, 10))).toMatchObject({ ok: false, reason: 'capacity' });
    expect(store.arenaUsedBytes).toBe(3 * 4096);
    const out = Buffer.alloc(4096);
    store.segment.read(out, held?.offset ?? 0);
    expect(out.equals(Buffer.from(contractBytes(1, 4096)))).toBe(true); // A's bytes, untouched
    held?.release();
    expect(store.arenaUsedBytes).toBe(2 * 4096);
    await store.close();
  });

  it('bounds slots by the staging room; discarded slots come back', async () => {
    const store = open(1 << 20, 8192);
    const a = store.allocateSlot(4096);
    const b = store.allocateSlot(4096);
    expect(store.allocateSlot(1)).toBeUndefined();
    store.discardSlot(a as never);
    store.discardSlot(b as never);
    expect([store.pendingSlotBytes, store.arenaUsedBytes]).toEqual([0, 0]);
    await store.close();
  });

  it('prefault: a mapped arena has every page allocated at open; unmapped, nothing is done (pages come with puts)', async () => {
    // 1 MiB capacity + 64 KiB staging = 1,114,112 data bytes + the 4 KiB header page = 1,118,208 bytes = 2,184 sectors.
    const store = ShmArenaTierStore.open({
      name: 'dram',
      capacityBytes: 1 << 20,
      dir: DIR,
      stagingBytes: 1 << 16,
      prefault: true,
      map: true, // mapped whenever the addon is built (the arena's default maps only with OICF_SHM_NATIVE=1)
    });
    expect(store.segment.isMapped).toBe(shmMapsByDefault('staging')); // i.e. the addon loaded
    const blocks = fstatSync(store.segment.fd).blocks;
    if (store.segment.isMapped) {
      expect(store.prefaultedBytes).toBe(1_118_208);
      expect(blocks).toBe(2184); // tmpfs counts allocated pages in 512-byte sectors
    } else {
      expect(store.prefaultedBytes).toBe(0);
      expect(blocks).toBe(8); // the header page only
    }
    await store.close();
    // Not asked: nothing is allocated beyond the header, mapped or not.
    const lazy = open(1 << 20, 1 << 16);
    expect([lazy.prefaultedBytes, fstatSync(lazy.segment.fd).blocks]).toEqual([0, 8]);
    await lazy.close();
  });

  it('checks a slot in place when the arena is mapped (no copy), in a copy otherwise; the same bytes either way', async () => {
    const store = open(1 << 20, 1 << 16);
    expect(store.segment.isMapped).toBe(shmNativeStatus().on);
    const slot = store.allocateSlot(8192) as { offset: number; length: number };
    const peer = PeerSegment.open(store.descriptor(), { writable: true });
    if (typeof peer === 'string') throw new Error(peer);
    const bytes = contractBytes(7, 8192);
    peer.write(bytes, slot.offset);
    const seen = store.readSlot(slot, 8192);
    expect(Buffer.from(seen).equals(Buffer.from(bytes))).toBe(true);
    expect(store.slotChecksum(slot, 8192)).toBe(blockChecksum(bytes));
    // In place: a write into the slot after readSlot shows through what it returned; a copy does not change.
    peer.write(Uint8Array.of(0xee), slot.offset);
    expect(seen[0] === 0xee).toBe(store.segment.isMapped);
    expect(() => store.readSlot(slot, slot.length + 1)).toThrow(RangeError);
    // inPlace: false is a copy even when mapped (a digest and an XXH32 pass must see the same bytes): a write into
    // the slot after it does not show through it.
    const copied = store.readSlot(slot, 8192, { inPlace: false });
    expect(copied[0]).toBe(0xee);
    peer.write(Uint8Array.of(0x11), slot.offset);
    expect(copied[0]).toBe(0xee);
    peer.close();
    store.discardSlot(slot);
    await store.close();
  });
});
