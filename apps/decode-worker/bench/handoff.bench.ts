// KV handoff throughput, prefill → decode, through the real data plane vs a raw TCP socket, in one run.
//
//   data plane: this process plays the prefill worker (sendHandoff over the transport's WebSocket
//               client: msgpack frames, backpressure, the same code the prefill worker runs) and pushes
//               kv.handoff frames to a real decode-worker process, which decodes each frame, checks its
//               size and XXH32 and buffers it, then acknowledges the request's last frame.
//   raw TCP:    the same bytes, in the same block-sized writes, to a child process that only counts
//               them and answers one byte per request.
// Both receivers are separate processes on loopback; the two transports alternate, 3 rounds, medians.
// Writes bench/results/handoff.{json,md}. Run: pnpm --filter @oicf/decode-worker bench
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { median } from '@oicf/core';
import { blockChecksum } from '@oicf/kv';
import { connectWs } from '@oicf/transport';
import { type KvBlockPayload, sendHandoff } from '@oicf/worker';

const ROOT = new URL('../../../', import.meta.url).pathname;
const OUT = new URL('./results/', import.meta.url).pathname;
const KV_BYTES_PER_TOKEN = 4096; // tiny-gqa fp32: 4 layers × 2 × 2 kv heads × 64 × 4 B
const BLOCK_TOKENS = 64; // one frame = 64 tokens = 256 KiB
const TOKENS_PER_REQUEST = 2048; // 8 MiB of KV per handoff (32 frames)
const REQUESTS_PER_ROUND = 16; // 128 MiB per round
const ROUNDS = 3;

const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

function startDecodeWorker(): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.OICF_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.OICF_BENCH_CPU_PROF}`] : []),
      '--import',
      'tsx',
      join(ROOT, 'apps/decode-worker/src/main.ts'),
      '--workerId=bench-decode',
      '--role=decode',
      `--blockTokens=${BLOCK_TOKENS}`,
      '--handoffTtlSeconds=0.5',
      '--logLevel=error',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, OICF_PARENT_PID: String(process.pid) } },
  );
  children.push(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`decode worker exited with ${code}`)));
    lines.on('line', (line) => {
      if (line.includes('"listening"')) resolve((JSON.parse(line) as { endpoints: { ws: string } }).endpoints.ws);
    });
  });
}

// The raw receiver: counts bytes and answers one byte each time a request's bytes have all arrived.
const RAW_RECEIVER = `
const net = require('node:net');
const perRequest = Number(process.argv[1]);
const server = net.createServer((s) => {
  let got = 0;
  s.on('data', (chunk) => {
    got += chunk.length;
    while (got >= perRequest) { got -= perRequest; s.write(Buffer.of(1)); }
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

function startRawReceiver(bytesPerRequest: number): Promise<number> {
  const child = spawn(process.execPath, ['-e', RAW_RECEIVER, String(bytesPerRequest)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise((resolve) => lines.once('line', (l) => resolve(Number(l))));
}

function makeBlocks(): KvBlockPayload[] {
  const numBlocks = TOKENS_PER_REQUEST / BLOCK_TOKENS;
  return Array.from({ length: numBlocks }, (_, i) => {
    const payload = new Uint8Array(BLOCK_TOKENS * KV_BYTES_PER_TOKEN);
    for (let j = 0; j < payload.length; j += 4096) payload[j] = (i * 31 + j) & 0xff; // distinct contents
    return {
      blockId: '',
      firstToken: i * BLOCK_TOKENS,
      numTokens: BLOCK_TOKENS,
      payload,
      checksum: blockChecksum(payload),
    };
  });
}

async function rawRound(socket: Socket, blocks: KvBlockPayload[]): Promise<number> {
  const t0 = performance.now();
  for (let r = 0; r < REQUESTS_PER_ROUND; r++) {
    const acked = new Promise<void>((resolve) => socket.once('data', () => resolve()));
    for (const b of blocks) {
      if (!socket.write(b.payload)) await new Promise<void>((resolve) => socket.once('drain', () => resolve()));
    }
    await acked;
  }
  return (performance.now() - t0) / 1000;
}

let nextRequest = 0;
async function handoffRound(ws: Awaited<ReturnType<typeof connectWs>>, blocks: KvBlockPayload[]): Promise<number> {
  const t0 = performance.now();
  for (let r = 0; r < REQUESTS_PER_ROUND; r++) {
    const ack = await sendHandoff(ws, `bench-${nextRequest++}`, blocks, { timeoutSeconds: 60 });
    if (Number(ack.numBytes) !== TOKENS_PER_REQUEST * KV_BYTES_PER_TOKEN) throw new Error(`short ack: ${ack.numBytes}`);
  }
  return (performance.now() - t0) / 1000;
}

/**
 * Nothing claims the benchmark's handoffs (no Decode calls), so the decode worker holds them until its
 * handoff TTL (0.5 s) expires them and returns their buffers to its payload pool. In service a Decode
 * call claims a handoff milliseconds after its ack; waiting out the TTL between rounds gives the next
 * round the same recycled buffers that prompt claims would.
 */
const settle = () => new Promise((r) => setTimeout(r, 1500));

async function main(): Promise<void> {
  const blocks = makeBlocks();
  const bytesPerRound = REQUESTS_PER_ROUND * TOKENS_PER_REQUEST * KV_BYTES_PER_TOKEN;
  const [wsUrl, rawPort] = await Promise.all([
    startDecodeWorker(),
    startRawReceiver(TOKENS_PER_REQUEST * KV_BYTES_PER_TOKEN),
  ]);
  const ws = await connectWs(wsUrl);
  const socket = connect(rawPort, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  // Warm-up: two rounds each (JIT, socket buffers, the decode worker's payload pool).
  for (let i = 0; i < 2; i++) {
    await handoffRound(ws, blocks);
    await rawRound(socket, blocks);
    await settle();
  }
  const raw: number[] = [];
  const handoff: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    raw.push(bytesPerRound / (await rawRound(socket, blocks)));
    handoff.push(bytesPerRound / (await handoffRound(ws, blocks)));
    await settle();
  }
  await ws.close();
  socket.destroy();
  const rawBps = median(raw);
  const handoffBps = median(handoff);
  const result = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    numCpus: cpus().length,
    setup: {
      kvBytesPerToken: KV_BYTES_PER_TOKEN,
      blockTokens: BLOCK_TOKENS,
      frameBytes: BLOCK_TOKENS * KV_BYTES_PER_TOKEN,
      tokensPerRequest: TOKENS_PER_REQUEST,
      requestsPerRound: REQUESTS_PER_ROUND,
      bytesPerRound,
      rounds: ROUNDS,
    },
    rawTcpBytesPerSecond: { runs: raw, median: rawBps },
    handoffBytesPerSecond: { runs: handoff, median: handoffBps },
    ratioHandoffToRaw: handoffBps / rawBps,
    goalRatio: 0.5,
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'handoff.json'), `${JSON.stringify(result, null, 2)}\n`);
  const gb = (x: number) => (x / 1e9).toFixed(2);
  const md = `# KV handoff benchmark (prefill → decode)

${result.measuredAt}, Node ${result.node}, ${result.numCpus} × ${result.cpu}. Loopback; both receivers are separate processes.
${REQUESTS_PER_ROUND} requests × ${TOKENS_PER_REQUEST} tokens × ${KV_BYTES_PER_TOKEN} B = ${bytesPerRound / 2 ** 20} MiB per round in ${(BLOCK_TOKENS * KV_BYTES_PER_TOKEN) / 1024} KiB blocks; transports alternate, ${ROUNDS} rounds, medians.

| transport | GB/s | ratio to raw TCP |
| --- | ---: | ---: |
| raw TCP socket (same bytes, same writes, one ack byte per request) | ${gb(rawBps)} | 1.00 |
| kv.handoff frames to a decode-worker process (msgpack envelope, XXH32 verified, acked per request) | ${gb(handoffBps)} | ${result.ratioHandoffToRaw.toFixed(2)} |

Goal: ≥ 0.50 of raw. Runs (GB/s): raw ${raw.map(gb).join(', ')}; handoff ${handoff.map(gb).join(', ')}.
`;
  writeFileSync(join(OUT, 'handoff.md'), md);
  process.stdout.write(md);
  await Promise.all(
    children.map(
      (c) =>
        new Promise((resolve) => {
          c.once('exit', resolve);
          c.kill('SIGTERM');
        }),
    ),
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`handoff bench failed: ${String(err)}\n`);
    process.exit(1);
  },
);
