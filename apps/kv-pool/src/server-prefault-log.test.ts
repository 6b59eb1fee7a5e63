// With OICF_SHM_NATIVE=1 the pool maps its arena and prefaults it at start (config shm.prefault, default true): it
// says so through its logger, one line before and one after with the time taken.
import { shmNativeStatus } from '@oicf/pool-client';
import { realClock } from '@oicf/transport';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadKvPoolConfig } from './config.js';
import { startKvPool } from './server.js';

// Before anything loads the addon (shmNativeStatus reads the switch once, at its first call, which an import makes):
// vi.hoisted runs before the imports.
const before = vi.hoisted(() => {
  const was = process.env.OICF_SHM_NATIVE;
  process.env.OICF_SHM_NATIVE = '1';
  return was;
});
afterAll(() => {
  if (before === undefined) delete process.env.OICF_SHM_NATIVE;
  else process.env.OICF_SHM_NATIVE = before;
});
const status = shmNativeStatus();
const on = status.on;
const skip = status.on ? '' : ` (skipped: the arena is not mapped: ${status.reason})`;

describe.skipIf(!on)(`kv-pool start with a mapped arena${skip}`, () => {
  it('logs "prefaulting N MiB of the arena…" before the prefault and the seconds it took after', async () => {
    const lines: string[] = [];
    // 1 MiB capacity + (1 MiB − 4 KiB) staging = 2,093,056 data bytes, page-rounded as is, + the 4 KiB header page
    // = 2,097,152 bytes = 2.0 MiB.
    const config = loadKvPoolConfig({
      env: {},
      argv: ['--tiers.dram.capacityBytes=1048576', '--shm.stagingBytes=1044480', '--policy.name=lru'],
    });
    const { service, pool } = await startKvPool(config, {
      clock: realClock,
      handleSignals: false,
      log: (l) => lines.push(l),
    });
    try {
      expect(pool.arena()?.prefaultedBytes).toBe(2_097_152);
      const progress = lines.map((l) => JSON.parse(l)).filter((l) => /prefault/.test(l.msg));
      expect(progress).toHaveLength(2);
      expect(progress[0]).toEqual({ level: 'info', msg: 'prefaulting 2.0 MiB of the arena…', arenaBytes: 2_097_152 });
      expect(progress[1]).toMatchObject({ level: 'info', arenaBytes: 2_097_152, prefaultedBytes: 2_097_152 });
      expect(progress[1].msg).toMatch(/^prefaulted 2\.0 of 2\.0 MiB of the arena in \d+\.\d\d s$/);
      expect(progress[1].seconds).toBeGreaterThanOrEqual(0);
    } finally {
      await service.shutdown('test done');
    }
  });
});
