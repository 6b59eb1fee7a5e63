import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { shmMapsByDefault } from '@oicf/pool-client';
import { afterAll, describe, expect, it } from 'vitest';
import { ShmArenaTierStore } from './shm-arena-store.js';

const DIR = mkdtempSync(join('/dev/shm', 'oicf-prefault-test-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

// 1 MiB capacity + (1 MiB − 4 KiB) staging = 2,093,056 data bytes + the 4 KiB header page = 2,097,152 = 2.0 MiB.
const open = (map: boolean, lines: [string, Readonly<Record<string, number>>][]) =>
  ShmArenaTierStore.open({
    name: 'dram',
    capacityBytes: 1 << 20,
    dir: DIR,
    stagingBytes: (1 << 20) - 4096,
    prefault: true,
    map,
    onProgress: (msg, fields) => lines.push([msg, fields]),
  });

describe('the arena prefault progress', () => {
  it.runIf(shmMapsByDefault('staging'))(
    `a mapped arena says before and after, with the time taken${shmMapsByDefault('staging') ? '' : ' (skipped: the addon did not load)'}`,
    async () => {
      const lines: [string, Readonly<Record<string, number>>][] = [];
      const store = open(true, lines);
      expect(store.prefaultedBytes).toBe(2_097_152);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toEqual(['prefaulting 2.0 MiB of the arena…', { arenaBytes: 2_097_152 }]);
      expect(lines[1]?.[0]).toMatch(/^prefaulted 2\.0 of 2\.0 MiB of the arena in \d+\.\d\d s$/);
      expect(lines[1]?.[1]).toMatchObject({ arenaBytes: 2_097_152, prefaultedBytes: 2_097_152 });
      await store.close();
    },
  );

  it('an unmapped arena has nothing to prefault, and says nothing', async () => {
    const lines: [string, Readonly<Record<string, number>>][] = [];
    const store = open(false, lines);
    expect([store.prefaultedBytes, lines]).toEqual([0, []]);
    await store.close();
  });
});
