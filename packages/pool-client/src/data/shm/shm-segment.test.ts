import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shmNative } from '@oicf/shm-native';
import { afterAll, describe, expect, it } from 'vitest';
import { OwnedSegment, PeerSegment, SEGMENT_HEADER_BYTES } from './shm-segment.js';

const DIR = mkdtempSync(join(tmpdir(), 'oicf-segment-test-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

describe('shared-memory segments', () => {
  it('an owner writes, a peer opening /proc/<pid>/fd/<fd> reads the same bytes; no name is left', () => {
    const owned = OwnedSegment.create(DIR, 1 << 16, 'test');
    expect(readdirSync(DIR)).toEqual([]);
    const d = owned.descriptor();
    expect(d).toMatchObject({
      path: `/proc/${process.pid}/fd/${owned.fd}`,
      sizeBytes: SEGMENT_HEADER_BYTES + (1 << 16),
    });
    owned.write(Uint8Array.of(1, 2, 3), SEGMENT_HEADER_BYTES + 10);
    const peer = PeerSegment.open(d, { writable: false });
    if (typeof peer === 'string') throw new Error(peer);
    const out = new Uint8Array(3);
    peer.read(out, SEGMENT_HEADER_BYTES + 10);
    expect([...out]).toEqual([1, 2, 3]);
    // The header page and anything past the end are not extents.
    expect(() => peer.read(new Uint8Array(4), 0)).toThrow(/outside segment/);
    expect(() => peer.read(new Uint8Array(4), d.sizeBytes - 2)).toThrow(/outside segment/);
    peer.close();
    owned.close();
  });

  it('a closed peer segment refuses reads and writes: its fd number may already name another file', () => {
    // A writer's connection closes (its segments close with it) while it still holds spare slots: its next put
    // must fail, not pwrite through the old fd number, which the next open in this process is given.
    const owned = OwnedSegment.create(DIR, 1 << 16, 'test');
    const peer = PeerSegment.open(owned.descriptor(), { writable: true });
    if (typeof peer === 'string') throw new Error(peer);
    peer.close();
    const other = OwnedSegment.create(DIR, 1 << 16, 'test'); // takes the lowest free fd: the one just closed
    expect(() => peer.write(Uint8Array.of(9, 9, 9), SEGMENT_HEADER_BYTES)).toThrow(/closed/);
    expect(() => peer.read(new Uint8Array(3), SEGMENT_HEADER_BYTES)).toThrow(/closed/);
    const out = new Uint8Array(3);
    other.read(out, SEGMENT_HEADER_BYTES);
    expect([...out]).toEqual([0, 0, 0]); // untouched
    other.close();
    owned.close();
  });

  it.each([
    ['another nonce', (d: { nonce: string }) => ({ ...d, nonce: '0'.repeat(32) }), /nonce mismatch/],
    ['another size', (d: { sizeBytes: number }) => ({ ...d, sizeBytes: d.sizeBytes + 1 }), /size mismatch/],
    ['a path that is not /proc/<pid>/fd/<n>', (d: object) => ({ ...d, path: '/etc/passwd' }), /is not \/proc/],
    ['a descriptor nobody holds', (d: object) => ({ ...d, path: '/proc/1/fd/999999' }), /cannot open/],
  ] as const)('refuses %s', (_name, change, why) => {
    const owned = OwnedSegment.create(DIR, 4096, 'test');
    const opened = PeerSegment.open(change(owned.descriptor()) as never, { writable: false });
    expect(opened).toMatch(why);
    owned.close();
  });

  it('refuses a segment larger than the free space of its file system (UNAVAILABLE, nothing created)', () => {
    expect(() => OwnedSegment.create(DIR, 2 ** 50, 'huge')).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
    expect(readdirSync(DIR)).toEqual([]);
  });
});

describe.skipIf(shmNative() === undefined)(
  `mapped and unmapped sides of one segment${shmNative() !== undefined ? '' : ' (skipped: the shm-native addon did not load)'}`,
  () => {
    // Both paths share bytes through the same file: a mapped writer with a pread reader and a pwrite writer with a
    // mapped reader, so a same-host peer without the addon (another build, OICF_SHM_NATIVE=0) still interoperates.
    it.each([
      ['mapped owner, pread peer', true, false],
      ['pwrite owner, mapped peer', false, true],
    ])(
      '%s: the bytes written are the bytes read, and XXH32 during the copy is XXH32 of the copy',
      (_n, ownerMaps, peerMaps) => {
        const owned = OwnedSegment.create(DIR, 1 << 18, 'test', { map: ownerMaps });
        expect(owned.isMapped).toBe(ownerMaps);
        const peer = PeerSegment.open(owned.descriptor(), { writable: true, map: peerMaps });
        if (typeof peer === 'string') throw new Error(peer);
        expect(peer.isMapped).toBe(peerMaps);
        const block = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 31 + 7) & 0xff);
        owned.write(block, SEGMENT_HEADER_BYTES + 4096);
        const out = new Uint8Array(block.length);
        const sum = peer.readHashed(out, SEGMENT_HEADER_BYTES + 4096);
        expect(Buffer.from(out).equals(Buffer.from(block))).toBe(true);
        // 0x20796e40: libxxhash 0.8.1 XXH32 of these 100003 patterned bytes, seed 0 (packages/kv's xxhash32.test.ts);
        // without a mapping the caller hashes, so nothing is returned.
        expect(sum).toBe(peerMaps ? 0x20796e40 : undefined);
        // The other way: the peer writes, the owner reads.
        peer.write(Uint8Array.of(5, 6, 7), SEGMENT_HEADER_BYTES + 8);
        const back = new Uint8Array(3);
        owned.read(back, SEGMENT_HEADER_BYTES + 8);
        expect([...back]).toEqual([5, 6, 7]);
        // A view exists only where there is a mapping; it shows the bytes in place.
        expect(owned.view(SEGMENT_HEADER_BYTES + 8, 3)?.[2]).toBe(ownerMaps ? 7 : undefined);
        peer.close();
        owned.close();
      },
    );

    it('a closed mapped segment refuses reads, and a view taken before reads as empty, never freed memory', () => {
      const owned = OwnedSegment.create(DIR, 1 << 16, 'test', { map: true });
      owned.write(Uint8Array.of(1, 2, 3), SEGMENT_HEADER_BYTES);
      const view = owned.view(SEGMENT_HEADER_BYTES, 3) as Uint8Array;
      expect([...view]).toEqual([1, 2, 3]);
      owned.close();
      expect(view.byteLength).toBe(0);
      expect(() => owned.read(new Uint8Array(3), SEGMENT_HEADER_BYTES)).toThrow(/closed/);
    });
  },
);
