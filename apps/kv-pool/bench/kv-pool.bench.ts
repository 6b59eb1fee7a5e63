// kv-pool data-plane throughput vs Redis vs a raw Node TCP socket, measured side by side in one run
// (a script, not a test: `pnpm --filter @oicf/kv-pool bench`). Each server is its own process on
// loopback; this process is the client for all three. For each block size, N blocks (64 MiB in
// total) are put with 32 requests in flight, then read back with 32 in flight, and the throughput
// of the put+get cycle is (2 × 64 MiB) ÷ (put seconds + get seconds). The pool's side includes its
// integrity work: checksums computed on put, verified on receipt, on every tier read and again by
// the client on get. Rounds rotate the order of the three systems; medians are reported.
// Writes bench/results/kv-pool.json and kv-pool.md.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { blockIdFor, ROOT_BLOCK_ID } from '@oicf/kv';
import { connectKvPool } from '../src/client/index.js';
import { RawClient } from './raw-client.js';
import { RespClient } from './resp-client.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const SIZES = [64 * KiB, 256 * KiB, 1 * MiB];
const TOTAL_BYTES = 64 * MiB;
const WINDOW = 32;
const ROUNDS = Number(process.env.KVPOOL_BENCH_ROUNDS ?? 3);
const HERE = new URL('.', import.meta.url).pathname;
const ROOT = join(HERE, '../../..');

type System = 'pool' | 'redis' | 'raw';
interface Sample {
  putSeconds: number;
  getSeconds: number;
}

const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

function startProcess(
  cmd: string,
  args: string[],
  isReady: (line: string) => unknown,
): Promise<{ child: ChildProcess; ready: unknown }> {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${cmd} exited (${code}) before it was ready`)));
    lines.on('line', (line) => {
      const ready = isReady(line);
      if (ready !== undefined) resolve({ child, ready });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Runs `task(i)` for i in [0, n) with at most `window` in flight. */
async function windowed(n: number, window: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(window, n) }, worker));
}

function payloads(size: number, n: number, seed: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => {
    const b = Buffer.allocUnsafe(size);
    let x = (seed * 7919 + i * 104729 + 1) >>> 0;
    for (let j = 0; j < size; j += 4) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b.writeUInt32LE(x >>> 0, j);
    }
    return b;
  });
}

async function main(): Promise<void> {
  const pool = await startProcess(
    process.execPath,
    [
      '--import',
      'tsx',
      'apps/kv-pool/src/main.ts',
      `--tiers.dram.capacityBytes=${4 * 1024 * MiB}`,
      '--policy.name=lru',
      '--maxBlocksPerRequest=8192',
    ],
    (line) => (JSON.parse(line) as { event: string; endpoints?: { ws: string; grpc: string } }).endpoints,
  );
  const redisPort = await freePort();
  await startProcess(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    (line) => (line.includes('Ready to accept connections') ? true : undefined),
  );
  const raw = await startProcess(
    process.execPath,
    ['--import', 'tsx', join(HERE, 'raw-tcp-server.ts')],
    (line) => (JSON.parse(line) as { port: number }).port,
  );

  const poolClient = await connectKvPool(pool.ready as { ws: string; grpc: string });
  const redis = await RespClient.connect(redisPort);
  const rawClient = await RawClient.connect(raw.ready as number);
  let rawStored = 0;

  const runners: Record<System, (size: number, data: Buffer[], round: number) => Promise<Sample>> = {
    pool: async (size, data, round) => {
      const ids = data.map((_, i) => blockIdFor(ROOT_BLOCK_ID, [round, size, i]));
      const t0 = performance.now();
      await windowed(data.length, WINDOW, (i) =>
        poolClient.put({ blockId: ids[i] as string, payload: data[i] as Buffer }),
      );
      const t1 = performance.now();
      let received = 0;
      const chunk = Math.ceil(data.length / WINDOW);
      await windowed(WINDOW, WINDOW, async (w) => {
        const got = await poolClient.get(ids.slice(w * chunk, (w + 1) * chunk));
        if (got.failed.length > 0 || got.missingBlockIds.length > 0) throw new Error('pool lost or failed blocks');
        for (const b of got.blocks.values()) received += b.length;
      });
      const t2 = performance.now();
      if (received !== size * data.length) throw new Error(`pool returned ${received} bytes`);
      return { putSeconds: (t1 - t0) / 1000, getSeconds: (t2 - t1) / 1000 };
    },
    redis: async (size, data, round) => {
      await redis.command(['FLUSHALL']);
      const key = (i: number) => `b:${round}:${size}:${i}`;
      const t0 = performance.now();
      await windowed(data.length, WINDOW, async (i) => {
        const r = await redis.command(['SET', key(i), data[i] as Buffer]);
        if (r.kind !== 'status') throw new Error(`redis SET failed: ${JSON.stringify(r)}`);
      });
      const t1 = performance.now();
      let received = 0;
      await windowed(data.length, WINDOW, async (i) => {
        const r = await redis.command(['GET', key(i)]);
        received += r.kind === 'bulk' && r.value !== null ? r.value.length : 0;
      });
      const t2 = performance.now();
      if (received !== size * data.length) throw new Error(`redis returned ${received} bytes`);
      return { putSeconds: (t1 - t0) / 1000, getSeconds: (t2 - t1) / 1000 };
    },
    raw: async (size, data) => {
      const base = rawStored;
      const t0 = performance.now();
      await windowed(data.length, WINDOW, (i) => rawClient.put(data[i] as Buffer));
      rawStored += data.length;
      const t1 = performance.now();
      let received = 0;
      await windowed(data.length, WINDOW, async (i) => {
        const block = await rawClient.get(base + i);
        received += block.length; // not `received += await …`: that reads `received` before awaiting
      });
      const t2 = performance.now();
      if (received !== size * data.length) throw new Error(`raw returned ${received} bytes`);
      return { putSeconds: (t1 - t0) / 1000, getSeconds: (t2 - t1) / 1000 };
    },
  };

  const systems: System[] = ['pool', 'redis', 'raw'];
  const samples = new Map<string, Sample[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const size of SIZES) {
      const data = payloads(size, TOTAL_BYTES / size, round * 10 + SIZES.indexOf(size));
      const order = systems.map((_, k) => systems[(k + round) % systems.length] as System);
      for (const system of order) {
        const sample = await runners[system](size, data, round);
        const key = `${system}:${size}`;
        samples.set(key, [...(samples.get(key) ?? []), sample]);
        process.stderr.write(`round ${round} ${system} ${size / KiB} KiB: ${gbps(sample).toFixed(2)} GB/s\n`);
      }
    }
  }
  await poolClient.close();
  redis.close();
  rawClient.close();

  const rows = SIZES.map((size) => {
    const median = (system: System) => {
      const list = (samples.get(`${system}:${size}`) ?? []).map(gbps).sort((a, b) => a - b);
      return list[Math.floor(list.length / 2)] as number;
    };
    const [p, r, w] = [median('pool'), median('redis'), median('raw')];
    return {
      blockBytes: size,
      numBlocks: TOTAL_BYTES / size,
      poolGBps: p,
      redisGBps: r,
      rawGBps: w,
      poolOverRedis: p / r,
      poolOverRaw: p / w,
    };
  });
  const result = {
    bench: 'kv-pool data plane: put+get throughput vs Redis vs raw TCP (loopback, one client process)',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, totalMemoryBytes: totalmem(), node: process.version },
    method: {
      totalBytesPerMeasurement: TOTAL_BYTES,
      requestsInFlight: WINDOW,
      rounds: ROUNDS,
      statistic: 'median of rounds',
      throughput: '2 × bytes ÷ (put s + get s)',
    },
    goal: { poolOverRedisAtLeast: 1.5, poolOverRawAtLeast: 0.5, forBlockBytesAtLeast: 256 * KiB },
    rows,
    goalMet: rows.filter((r) => r.blockBytes >= 256 * KiB).every((r) => r.poolOverRedis >= 1.5 && r.poolOverRaw >= 0.5),
  };
  const outDir = join(HERE, 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'kv-pool.json'), `${JSON.stringify(result, null, 2)}\n`);
  const md = [
    '# kv-pool data plane vs Redis vs raw TCP',
    '',
    `${result.date}, ${result.machine.cpus} cores (${result.machine.cpuModel}), Node ${result.machine.node}. Loopback; each server its own process,`,
    `one client process; ${TOTAL_BYTES / MiB} MiB per measurement, ${WINDOW} requests in flight, median of ${ROUNDS} rounds.`,
    'Throughput = 2 × bytes ÷ (put seconds + get seconds). The pool side includes XXH32 on put, on receipt, on the tier read and on the client.',
    '',
    '| block | pool GB/s | Redis GB/s | raw TCP GB/s | pool ÷ Redis | pool ÷ raw |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.blockBytes / KiB} KiB | ${r.poolGBps.toFixed(2)} | ${r.redisGBps.toFixed(2)} | ${r.rawGBps.toFixed(2)} | ${r.poolOverRedis.toFixed(2)} | ${r.poolOverRaw.toFixed(2)} |`,
    ),
    '',
    `Goal (≥ 1.5× Redis and ≥ 50 % of raw for blocks ≥ 256 KiB): ${result.goalMet ? 'met' : 'not met'}.`,
    '',
  ].join('\n');
  writeFileSync(join(outDir, 'kv-pool.md'), md);
  process.stdout.write(md);
  process.exit(0);
}

function gbps(s: Sample): number {
  return (2 * TOTAL_BYTES) / (s.putSeconds + s.getSeconds) / 1e9;
}

await main();
