// What prefaulting a mapped arena costs at a pool's start (a script, not a test): creates arena segments as the
// kv-pool does (OwnedSegment, mapped) of the bench's sizes and maps all their pages (OwnedSegment.prefault), printing
// wall and CPU seconds of this process (from process.cpuUsage: user + system) per GiB. Needs the addon (it maps).
//   flock /work/bench.lock node --import tsx apps/kv-pool/bench/prefault-cost.ts [--mib=4352,384] [--repeats=3]

import { DEFAULT_SHM_DIR, OwnedSegment } from '@oicf/pool-client';
import { loadAverage } from './processes.js';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
// 4096 + 256 MiB: the bench's default dram and the pool's default staging; 128 + 256: KVPOOL_BENCH_DRAM_MIB=128.
const sizesMiB = arg('mib', '4352,384').split(',').map(Number);
const repeats = Number(arg('repeats', '3'));
const load0 = loadAverage();
for (const mib of sizesMiB) {
  for (let r = 0; r < repeats; r++) {
    const segment = OwnedSegment.create(DEFAULT_SHM_DIR, mib * 1024 * 1024, 'prefault-cost', { map: true });
    if (!segment.isMapped) throw new Error('the segment is not mapped: build the addon (node scripts/bootstrap.mjs)');
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const bytes = segment.prefault();
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    const gib = bytes / 1024 ** 3;
    process.stdout.write(
      `${mib} MiB: ${bytes} bytes mapped in ${seconds.toFixed(3)} s wall, ${cpu.toFixed(3)} s CPU (user ${(c.user / 1e6).toFixed(3)}, system ${(c.system / 1e6).toFixed(3)}): ${(seconds / gib).toFixed(3)} s and ${(cpu / gib).toFixed(3)} CPU s per GiB\n`,
    );
    segment.close();
  }
}
process.stdout.write(`load ${load0.join(' ')} → ${loadAverage().join(' ')}\n`);
