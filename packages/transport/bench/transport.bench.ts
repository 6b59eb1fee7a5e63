// Transport benchmark (a script, never a test): measured side by side in one run on loopback,
//   1. bulk put throughput of 1 MiB blocks: raw `net` socket vs raw `ws` binary messages vs oicf frames
//      (kv.put envelopes through startWsServer/connectWs, each acknowledged, 16 in flight);
//   2. round-trip latency of ~1 KiB requests, sequential: oicf ws frames vs grpc-js unary.
// Reports ratios to the raw socket (throughput) and to the ws round trip (latency); absolute figures on
// a shared 2-core machine are noisy, the ratios less so. Writes bench/results/transport.{json,md}.
//
//   node --import tsx packages/transport/bench/transport.bench.ts   (or: pnpm --filter @oicf/transport bench)
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { createServer, connect as netConnect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { median, percentile } from '@oicf/core';
import { type KvPoolHandlers, loadProto } from '@oicf/proto';
import { WebSocket, WebSocketServer } from 'ws';
import {
  connectWs,
  createGrpcClient,
  defineService,
  OicfError,
  startGrpcServer,
  startWsServer,
  unaryCall,
} from '../src/index.js';

const MiB = 1024 * 1024;
const BULK_BYTES = 256 * MiB; // per repetition and transport
const REPS = 3;
const NUM_ROUND_TRIPS = 2000;
const NUM_WARMUP = 300;

const block = Buffer.alloc(MiB);
for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24; // distinct bytes, not all zero

async function rawNetBytesPerSecond(): Promise<number> {
  let received = 0;
  let done: () => void = () => {};
  const server = createServer((s) => {
    s.on('data', (d) => {
      received += d.length;
      if (received >= BULK_BYTES) done();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sock: Socket = netConnect((server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  const finished = new Promise<void>((r) => {
    done = r;
  });
  const t0 = performance.now();
  for (let sent = 0; sent < BULK_BYTES; sent += MiB) {
    if (!sock.write(block)) await new Promise((r) => sock.once('drain', r));
  }
  await finished;
  const seconds = (performance.now() - t0) / 1000;
  sock.destroy();
  await new Promise((r) => server.close(r));
  return BULK_BYTES / seconds;
}

async function rawWsBytesPerSecond(): Promise<number> {
  let received = 0;
  let done: () => void = () => {};
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 2 * MiB, perMessageDeflate: false });
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (ws) =>
    ws.on('message', (d: Buffer) => {
      received += d.length;
      if (received >= BULK_BYTES) done();
    }),
  );
  const ws = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate: false });
  await new Promise((r) => ws.once('open', r));
  const finished = new Promise<void>((r) => {
    done = r;
  });
  const t0 = performance.now();
  for (let sent = 0; sent < BULK_BYTES; sent += MiB) {
    await new Promise<void>((resolve) => {
      ws.send(block, { binary: true }, () => {});
      if (ws.bufferedAmount < 8 * MiB) resolve();
      else {
        const poll = () => (ws.bufferedAmount < 8 * MiB ? resolve() : setImmediate(poll));
        poll();
      }
    });
  }
  await finished;
  const seconds = (performance.now() - t0) / 1000;
  ws.terminate();
  await new Promise((r) => wss.close(r));
  return BULK_BYTES / seconds;
}

async function oicfFramesBytesPerSecond(): Promise<number> {
  const server = await startWsServer({
    maxFrameBytes: 2 * MiB,
    onFrame: async (frame, conn) => {
      if (frame.kind === 'kv.put') {
        await conn.send('kv.put.ack', frame.id, {
          blockId: frame.body.blockId,
          storedBytes: frame.body.payload.length,
        });
      }
    },
  });
  const client = await connectWs(server.url, { maxFrameBytes: 2 * MiB });
  const numBlocks = BULK_BYTES / MiB;
  const window = 16;
  let next = 0;
  let ackedBytes = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: window }, async () => {
      while (next < numBlocks) {
        const i = next++;
        const ack = await client.request('kv.put', { blockId: `b${i}`, numTokens: 64, payload: block }, 'kv.put.ack');
        ackedBytes += ack.body.storedBytes;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  if (ackedBytes !== BULK_BYTES) throw new Error(`acked ${ackedBytes} of ${BULK_BYTES} bytes`);
  await client.close();
  await server.close();
  return BULK_BYTES / seconds;
}

// ~1 KiB each way: 32 block ids of 32 hex characters.
const ids = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(32, '0'));

async function wsRoundTripsSeconds(): Promise<number[]> {
  const server = await startWsServer({
    onFrame: (frame, conn) =>
      frame.kind === 'kv.get'
        ? conn.send('kv.get.done', frame.id, { missingBlockIds: frame.body.blockIds })
        : undefined,
  });
  const client = await connectWs(server.url);
  const times: number[] = [];
  for (let i = 0; i < NUM_WARMUP + NUM_ROUND_TRIPS; i++) {
    const t0 = performance.now();
    const done = await client.request('kv.get', { blockIds: ids }, 'kv.get.done');
    if (done.body.missingBlockIds.length !== ids.length) throw new Error('bad echo');
    if (i >= NUM_WARMUP) times.push((performance.now() - t0) / 1000);
  }
  await client.close();
  await server.close();
  return times;
}

async function grpcRoundTripsSeconds(): Promise<number[]> {
  const unimplemented = () => {
    throw new OicfError('UNIMPLEMENTED', 'bench');
  };
  const proto = loadProto();
  const server = await startGrpcServer({
    services: [
      defineService<KvPoolHandlers>(proto.KvPool.service, {
        Lookup: (req) => ({
          numCachedBlocks: req.blockIds.length,
          blocks: req.blockIds.map((blockId) => ({ blockId })),
        }),
        Lease: unimplemented,
        Release: unimplemented,
        Stats: unimplemented,
        Evict: unimplemented,
        Health: unimplemented,
      }),
    ],
  });
  const client = createGrpcClient(proto.KvPool, server.address);
  const times: number[] = [];
  for (let i = 0; i < NUM_WARMUP + NUM_ROUND_TRIPS; i++) {
    const t0 = performance.now();
    const res = await unaryCall(client, 'Lookup', { blockIds: ids });
    if (res.blocks.length !== ids.length) throw new Error('bad echo');
    if (i >= NUM_WARMUP) times.push((performance.now() - t0) / 1000);
  }
  client.close();
  await server.shutdown(1);
  return times;
}

function hasBufferutil(): boolean {
  try {
    // ws loads bufferutil from its own location; resolve from there.
    const wsRequire = createRequire(createRequire(import.meta.url).resolve('ws'));
    wsRequire.resolve('bufferutil');
    return process.env.WS_NO_BUFFER_UTIL === undefined;
  } catch {
    return false;
  }
}

const throughput = { rawNet: [] as number[], rawWs: [] as number[], oicfFrames: [] as number[] };
for (let rep = 0; rep < REPS; rep++) {
  // Interleaved so drift in machine load hits every transport alike.
  throughput.rawNet.push(await rawNetBytesPerSecond());
  throughput.rawWs.push(await rawWsBytesPerSecond());
  throughput.oicfFrames.push(await oicfFramesBytesPerSecond());
}
const ws = (await wsRoundTripsSeconds()).sort((a, b) => a - b);
const grpc = (await grpcRoundTripsSeconds()).sort((a, b) => a - b);

const rawNet = median(throughput.rawNet);
const results = {
  machine: { node: process.version, bufferutil: hasBufferutil(), date: new Date().toISOString() },
  bulkPut1MiB: {
    bytesPerRepetition: BULK_BYTES,
    repetitions: REPS,
    rawNetBytesPerSecond: rawNet,
    rawWsBytesPerSecond: median(throughput.rawWs),
    oicfFramesBytesPerSecond: median(throughput.oicfFrames),
    rawWsToRawNetRatio: median(throughput.rawWs) / rawNet,
    oicfFramesToRawNetRatio: median(throughput.oicfFrames) / rawNet,
  },
  roundTrip1KiB: {
    numRoundTrips: NUM_ROUND_TRIPS,
    wsP50Seconds: percentile(ws, 0.5),
    wsP99Seconds: percentile(ws, 0.99),
    grpcP50Seconds: percentile(grpc, 0.5),
    grpcP99Seconds: percentile(grpc, 0.99),
    grpcToWsP50Ratio: percentile(grpc, 0.5) / percentile(ws, 0.5),
    grpcToWsP99Ratio: percentile(grpc, 0.99) / percentile(ws, 0.99),
  },
};

/** A markdown table padded the way biome formats one, so the written file passes `biome check`. */
function table(headers: string[], rightAligned: boolean[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(3, h.length, ...rows.map((r) => (r[i] as string).length)));
  const cell = (text: string, i: number) =>
    rightAligned[i] ? text.padStart(widths[i] as number) : text.padEnd(widths[i] as number);
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (rightAligned[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

const gbps = (x: number) => (x / 1e9).toFixed(2);
const us = (x: number) => (x * 1e6).toFixed(0);
const b = results.bulkPut1MiB;
const r = results.roundTrip1KiB;
const md = `# Transport benchmark

${results.machine.date}, Node ${results.machine.node}, bufferutil ${results.machine.bufferutil ? 'loaded' : 'absent'}.
Loopback, one run, transports interleaved; medians of ${REPS} repetitions of ${BULK_BYTES / MiB} MiB.

## 1 MiB put throughput

${table(
  ['transport', 'GB/s', 'ratio to raw net'],
  [false, true, true],
  [
    ['raw `net` socket', gbps(b.rawNetBytesPerSecond), '1.00'],
    ['raw `ws` binary messages', gbps(b.rawWsBytesPerSecond), b.rawWsToRawNetRatio.toFixed(2)],
    [
      'oicf frames (kv.put + ack, 16 in flight)',
      gbps(b.oicfFramesBytesPerSecond),
      b.oicfFramesToRawNetRatio.toFixed(2),
    ],
  ],
)}

## ~1 KiB round trip, sequential (${NUM_ROUND_TRIPS} after ${NUM_WARMUP} warm-up)

${table(
  ['transport', 'p50 µs', 'p99 µs'],
  [false, true, true],
  [
    ['oicf ws frames (kv.get → kv.get.done)', us(r.wsP50Seconds), us(r.wsP99Seconds)],
    ['grpc-js unary (KvPool.Lookup)', us(r.grpcP50Seconds), us(r.grpcP99Seconds)],
    ['ratio grpc / ws', r.grpcToWsP50Ratio.toFixed(2), r.grpcToWsP99Ratio.toFixed(2)],
  ],
)}
`;

const outDir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
writeFileSync(`${outDir}transport.json`, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(`${outDir}transport.md`, md);
console.log(md);
