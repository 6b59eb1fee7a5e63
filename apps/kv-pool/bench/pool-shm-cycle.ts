// A profiling aid for the kv-pool bench's `pool-shm` system alone (a script, not a test): one pool process, one
// same-host client, the same put+get cycle as kv-pool.bench.ts (64 MiB of blocks, 32 in flight), repeated, with
// CPU per block byte of each side and phase from /proc, so a profile (`node --cpu-prof`) of either side shows
// the steady state rather than start-up and payload generation.
//   flock /work/bench.lock node --import tsx apps/kv-pool/bench/pool-shm-cycle.ts [--kib=256] [--cycles=10] [--signed] [--put-only]
// --put-only skips the gets, so a profile shows the put phase alone. --into reads gets into a slab reused every cycle
// (getInto, as kv-pool.bench.ts's `pool-shm` does), not fresh buffers.
// --dram-mib=N (default 4096) sizes the pool's dram tier (its arena): at the default the pool never fills, so every
// put lands in arena pages never written before; below what the cycles put (e.g. 128), the pool is at capacity
// from the third cycle on, evicts (LRU), and its puts reuse the evicted blocks' pages, as a serving pool's do.
// Env KVPOOL_BENCH_PROFILE_DIR=dir runs the pool with --cpu-prof (run this script with --cpu-prof for the client).
import { join } from 'node:path';
import { blockIdFor, ROOT_BLOCK_ID } from '@oicf/kv';
import { connectKvPool } from '@oicf/pool-client';
import { KV_POOL_NODE_FLAGS } from '../src/node-flags.js';
import { payloads, putBlock, signAsACluster, windowed } from './bench-blocks.js';
import { cpuSecondsByThread, loadAverage, ownCpuSeconds, processCpu, startProcess, stopAll } from './processes.js';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const KiB = 1024;
const size = Number(arg('kib', '256')) * KiB;
const cycles = Number(arg('cycles', '10'));
const signed = process.argv.includes('--signed');
const putOnly = process.argv.includes('--put-only');
const into = process.argv.includes('--into');
const dramMiB = Number(arg('dram-mib', '4096'));
const TOTAL = 64 * 1024 * KiB;
const WINDOW = 32;
const PROFILE_DIR = process.env.KVPOOL_BENCH_PROFILE_DIR;
const ROOT = join(new URL('.', import.meta.url).pathname, '../../..');

const signer = signed ? signAsACluster('tiny-gqa/fp32') : undefined;

const pool = await startProcess(
  process.execPath,
  [
    ...(PROFILE_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`]),
    ...KV_POOL_NODE_FLAGS,
    // The service from its build, as `oicf cluster up` runs it (rebuilt first if its sources changed).
    'scripts/run-service.mjs',
    'kv-pool',
    `--tiers.dram.capacityBytes=${dramMiB * 1024 * KiB}`,
    '--policy.name=lru',
    '--maxBlocksPerRequest=8192',
  ],
  ROOT,
  (line) => (JSON.parse(line) as { endpoints?: { ws: string; grpc: string } }).endpoints,
);
const pid = pool.child.pid as number;
const client = await connectKvPool(pool.ready, { shm: true });
if (client.link.mode !== 'shm') throw new Error(`no shared-memory link: ${client.link.reason}`);
const data = payloads(size, TOTAL / size, 0);
const slab = Buffer.alloc(TOTAL);
const targets = data.map((_, i) => slab.subarray(i * size, (i + 1) * size));
const load0 = loadAverage();
const ns = (s: number) => ((s * 1e9) / TOTAL).toFixed(3);
const sample = () => [processCpu(pid).totalSeconds, ownCpuSeconds()] as const;
const threads0 = [cpuSecondsByThread(pid), cpuSecondsByThread(process.pid)];
for (let c = 0; c < cycles; c++) {
  const ids = data.map((_, i) => blockIdFor(ROOT_BLOCK_ID, [c, size, i]));
  const a = sample();
  const t0 = performance.now();
  await windowed(data.length, WINDOW, (i) => putBlock(client, signer, ids[i] as string, data[i] as Buffer));
  const t1 = performance.now();
  const b = sample();
  const chunk = Math.ceil(ids.length / WINDOW);
  await windowed(putOnly ? 0 : WINDOW, WINDOW, async (w) => {
    const mine = ids.slice(w * chunk, (w + 1) * chunk);
    const got = into
      ? await client.getInto(mine, targets.slice(w * chunk, w * chunk + mine.length))
      : await client.get(mine);
    if (got.failed.length > 0 || got.missingBlockIds.length > 0) throw new Error('pool lost or failed blocks');
  });
  const t2 = performance.now();
  const d = sample();
  process.stderr.write(
    `cycle ${c}: put ${(TOTAL / (t1 - t0) / 1e6).toFixed(2)} GB/s, get ${(TOTAL / (t2 - t1) / 1e6).toFixed(2)} GB/s; ` +
      `CPU ns per block byte: put pool ${ns(b[0] - a[0])} client ${ns(b[1] - a[1])}, get pool ${ns(d[0] - b[0])} client ${ns(d[1] - b[1])}\n`,
  );
}
const threads1 = [cpuSecondsByThread(pid), cpuSecondsByThread(process.pid)];
const byThread = (k: number) =>
  [...(threads1[k] as Map<string, number>)]
    .map(([name, s]) => `${name} ${ns((s - ((threads0[k] as Map<string, number>).get(name) ?? 0)) / cycles)}`)
    .join(', ');
process.stderr.write(
  `per cycle, ns per block byte by thread: pool ${byThread(0)}; client ${byThread(1)}\n` +
    `pool dram ${dramMiB} MiB; load ${load0.join(' ')} → ${loadAverage().join(' ')}\n`,
);
await client.close();
await stopAll();
process.exit(0);
