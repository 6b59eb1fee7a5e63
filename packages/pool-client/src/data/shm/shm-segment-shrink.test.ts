// A staging segment shrunk by another process of the same user (truncate through /proc/<pid>/fd/<n>) after both
// sides mapped it, as round 7 does by default: the decode side's readHashed / read fail with INVALID_ARGUMENT naming
// the extent and the file's size, as a peer reading with pread does (the addon's SIGBUS guard throws RangeError,
// which PeerSegment turns into the pread path's error type), the prefill side's write with a RangeError, and the
// process lives on. In a child process, so that a missing
// guard kills the child (SIGBUS), not the test runner.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { shmNative } from '@oicf/shm-native';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../../../', import.meta.url).pathname;
const SHM_SEGMENT = new URL('./shm-segment.ts', import.meta.url).href;
const KiB = 1024;

// The data area is 256 KiB after the 4 KiB header page (SEGMENT_HEADER_BYTES); all of it is written through the
// owner's mapping, read through the peer's, then the file is cut to the header page plus 16 KiB.
const CHILD = `
import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { OwnedSegment, PeerSegment } from ${JSON.stringify(SHM_SEGMENT)};
const dir = mkdtempSync('/dev/shm/oicf-segment-shrink-test-');
const owned = OwnedSegment.create(dir, ${256 * KiB}, 'test', { map: true });
rmSync(dir, { recursive: true, force: true });
const peer = PeerSegment.open(owned.descriptor(), { writable: false, map: true });
if (typeof peer === 'string') throw new Error(peer);
const preadPeer = PeerSegment.open(owned.descriptor(), { writable: false, map: false });
if (typeof preadPeer === 'string' || preadPeer.isMapped) throw new Error('no pread peer');
if (!owned.isMapped || !peer.isMapped) throw new Error('not mapped');
owned.write(Buffer.alloc(${256 * KiB}, 9), 4096);
const into = Buffer.alloc(${256 * KiB});
peer.readHashed(into, 4096);
truncateSync(owned.descriptor().path, ${4 * KiB + 16 * KiB});
const out = {};
const attempt = (name, f) => {
  try { out[name] = { ok: f() }; } catch (e) { out[name] = { error: e.constructor.name, code: e.code, message: e.message }; }
};
const block = Buffer.alloc(${32 * KiB});
attempt('peerReadHashed', () => peer.readHashed(block, ${4 * KiB + 64 * KiB}));
attempt('peerRead', () => { peer.read(block, ${4 * KiB + 64 * KiB}); return true; });
attempt('preadReadHashed', () => preadPeer.readHashed(block, ${4 * KiB + 64 * KiB}));
attempt('preadRead', () => { preadPeer.read(block, ${4 * KiB + 64 * KiB}); return true; });
attempt('ownerWrite', () => { owned.write(block, ${4 * KiB + 128 * KiB}); return true; });
attempt('peerReadInside', () => { peer.read(block.subarray(0, 16), 4096); return block[0]; });
console.log(JSON.stringify(out));
`;

const off =
  shmNative() === undefined
    ? ' (skipped: the shm-native addon did not load)'
    : existsSync('/dev/shm')
      ? ''
      : ' (skipped: no /dev/shm)';
describe.skipIf(off !== '')(`a mapped segment that shrank${off}`, () => {
  it('peer reads past the new end answer INVALID_ARGUMENT on either path, owner writes RangeError; the process lives on', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    // Without the guard the child dies at the first read: signal SIGBUS.
    expect(child.signal, child.stderr).toBeNull();
    expect(child.status, child.stderr).toBe(0);
    const out = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}');
    // The decode side's reads, mapped or through pread, answer one error: INVALID_ARGUMENT (a client's gRPC status),
    // naming the extent, the segment's offered size and the file's size now.
    for (const name of ['peerReadHashed', 'peerRead', 'preadReadHashed', 'preadRead']) {
      expect(out[name].error, name).toBe('OicfError');
      expect(out[name].code, name).toBe('INVALID_ARGUMENT');
      // 4 KiB + 64 KiB = 69632, + 32 KiB = 102400.
      expect(out[name].message, name).toMatch(/extent \[69632, 102400\) of segment \d+ is past the end of its file/);
      // Offered: 4 KiB header + 256 KiB = 266240; now 4 KiB header + 16 KiB = 20480.
      expect(out[name].message, name).toMatch(/266240 bytes offered, it now holds 20480 bytes/);
    }
    // The owner's write through its own mapping (the prefill side) still throws the guard's RangeError.
    expect(out.ownerWrite.error).toBe('RangeError');
    expect(out.ownerWrite.message).toMatch(/the mapped file shrank under this process/);
    expect(out.ownerWrite.message).toMatch(/it now holds 20480 bytes/); // 4 KiB header + 16 KiB
    expect(out.peerReadInside).toEqual({ ok: 9 });
  });
});
