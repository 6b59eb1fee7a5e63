import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
