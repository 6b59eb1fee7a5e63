// A same-user client truncates the pool's mapped arena (through /proc/<pid>/fd/<n>) while a put's slot is being
// checked in place: the check reads under the addon's SIGBUS guard and throws RangeError; the pool process lives on.
// In a child process, so that a missing guard kills the child (SIGBUS), not the test runner.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { blockChecksum } from '@oicf/kv';
import { shmMapsByDefault } from '@oicf/pool-client';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../../', import.meta.url).pathname;
const STORE = new URL('./shm-arena-store.ts', import.meta.url).href;
const KiB = 1024;

// A 256 KiB arena (+ 256 KiB staging) mapped, one 64 KiB slot filled with 5s and checked in place once (its pages are
// mapped here), then the file cut to its 4 KiB header page: the slot, at the data area's start [4096, 69632), is past
// the new end.
const CHILD = `
import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { ShmArenaTierStore } from ${JSON.stringify(STORE)};
const dir = mkdtempSync('/dev/shm/oicf-arena-shrink-test-');
const store = ShmArenaTierStore.open({ name: 'dram', capacityBytes: ${256 * KiB}, dir, stagingBytes: ${256 * KiB}, map: true });
rmSync(dir, { recursive: true, force: true });
if (!store.segment.isMapped) throw new Error('not mapped');
const slot = store.allocateSlot(${64 * KiB});
store.segment.write(Buffer.alloc(${64 * KiB}, 5), slot.offset);
const out = { offset: slot.offset, before: store.slotChecksum(slot, ${64 * KiB}) };
truncateSync('/proc/self/fd/' + store.segment.fd, 4096);
const attempt = (name, f) => {
  try { out[name] = { ok: f() }; } catch (e) { out[name] = { error: e.constructor.name, message: e.message }; }
};
attempt('slotChecksum', () => store.slotChecksum(slot, ${64 * KiB}));
attempt('slotXxh32InPlace', () => store.slotXxh32InPlace(slot, ${64 * KiB}));
console.log(JSON.stringify(out));
`;

const off = !shmMapsByDefault('staging') // i.e. the addon loaded
  ? ' (skipped: the shm-native addon did not load)'
  : existsSync('/dev/shm')
    ? ''
    : ' (skipped: no /dev/shm)';
describe.skipIf(off !== '')(`a mapped arena truncated under the pool${off}`, () => {
  it("checking a slot in place throws RangeError naming the extent and the file's size; the process lives on", () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    // Without the guard the child dies at the first check after the cut: signal SIGBUS.
    expect(child.signal, child.stderr).toBeNull();
    expect(child.status, child.stderr).toBe(0);
    const out = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(out.offset).toBe(4096); // the first extent of the data area, after the header page
    // Before the cut, the slot's checksum (in place) is the XXH32 of the slot's bytes (TypeScript's, checked against published values).
    expect(out.before).toBe(blockChecksum(new Uint8Array(64 * KiB).fill(5)));
    for (const name of ['slotChecksum', 'slotXxh32InPlace']) {
      expect(out[name].error, name).toBe('RangeError');
      // 4096 + 64 KiB = 69632; the arena was 4 KiB + 512 KiB = 528384 bytes, now its 4096-byte header.
      expect(out[name].message, name).toBe(
        'the mapped file shrank under this process: extent [4096, 69632) of a mapping of 528384 bytes is past its end (it now holds 4096 bytes)',
      );
    }
  });
});
