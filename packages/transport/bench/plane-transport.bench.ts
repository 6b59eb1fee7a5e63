// Which long-lived channel should carry the request plane (issue 11: "the WebSocket + msgpackr transport, or
// one bidirectional gRPC stream — measure before choosing")? A script, never a test. Both carry the same
// exchange over ONE connection that stays open, measured side by side in one run on loopback:
//   - request: a DecodeRequest of an 8-token prompt; reply: a step of 8 sequences' outputs (DecodeStep);
//   - ws: the oicf frame codec (msgpack envelope, body checked against its oicf.v1 message) on `ws`;
//   - gRPC: one grpc-js bidirectional stream, each message the same two messages in protobuf.
// Sequential round trips (latency) and 32 in flight (throughput), the server in a child process; reported:
// µs per round trip, and CPU µs per exchange of client and server from /proc, which hold on a busy machine.
// Writes bench/results/plane-transport.{json,md}.
//
//   node --import tsx packages/transport/bench/plane-transport.bench.ts [--exchanges 20000]
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { loadProtoRoot } from '@oicf/proto';
import { pack, unpack } from 'msgpackr';
import { WebSocket, WebSocketServer } from 'ws';
import {
  DEFAULT_MAX_FRAME_BYTES,
  decodeFrame,
  encodeFrame,
  HOT_FRAMES_HEADER,
  HOT_FRAMES_VERSION,
  startWsServer,
} from '../src/index.js';

const { values } = parseArgs({
  options: { exchanges: { type: 'string', default: '20000' }, serve: { type: 'string' } },
});
const N = Number(values.exchanges);
const REQUEST = {
  requestId: '0123456789abcdef0123456789abcdef',
  promptTokenIds: [1, 2, 3, 4, 5, 6, 7, 8],
  maxTokens: 64,
  sampling: { temperature: 0, topP: 1, seed: 7, stopTokenIds: [257] },
};
const STEP = {
  outputs: Array.from({ length: 8 }, (_, i) => ({
    firstTokenIndex: 5,
    chunk: {
      requestId: `0123456789abcdef0123456789abcd${String(i).padStart(2, '0')}`,
      tokenIds: [104],
      emittedAfterSeconds: 0.01,
      stepSeconds: 0.004,
    },
  })),
};
const CHANNEL_NAMES = {
  ws: 'WebSocket + oicf frame codec (msgpack envelope, body checked and normalised)',
  raw: "WebSocket + bare msgpack (no body check: the codec's share)",
  grpc: 'grpc-js bidirectional stream (protobuf)',
} as const;
const root = loadProtoRoot();
const DecodeRequest = root.lookupType('oicf.v1.DecodeRequest');
const DecodeStep = root.lookupType('oicf.v1.DecodeStep');
const TO_OBJECT = { longs: Number, enums: String, defaults: true } as const;
const cpuSeconds = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(') ') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / 100;
};

// --- server side (child process) -----------------------------------------------------------------------
if (values.serve !== undefined) {
  const ws = await startWsServer({
    onFrame: (frame, conn) => {
      conn.post('decode.step', '*', STEP);
      void frame;
    },
  });
  // The same exchange as bare msgpack on bare `ws`: what the frame codec's body check and normalisation cost.
  const raw = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((r) => raw.once('listening', r));
  raw.on('connection', (sock) => {
    sock.on('message', (d: Buffer) => {
      unpack(d);
      sock.send(pack({ v: 1, kind: 'decode.step', id: '*', body: STEP }));
    });
  });
  const server = new grpc.Server();
  const method = {
    path: '/bench.Plane/Channel',
    requestStream: true,
    responseStream: true,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  };
  server.addService({ Channel: method } as grpc.ServiceDefinition, {
    Channel: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
      call.on('error', () => {}); // the stream ends with UNAVAILABLE when the server process is stopped
      call.on('data', (b: Buffer) => {
        DecodeRequest.toObject(DecodeRequest.decode(b), TO_OBJECT); // what a worker would do with it
        call.write(Buffer.from(DecodeStep.encode(DecodeStep.fromObject(STEP)).finish()));
      });
      call.on('end', () => call.end());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  process.send?.({
    ws: ws.url,
    raw: `ws://127.0.0.1:${(raw.address() as { port: number }).port}`,
    grpc: `127.0.0.1:${port}`,
  });
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
}

interface Channel {
  send(): void;
  onReply: (() => void) | undefined;
}

async function rawChannel(url: string): Promise<Channel> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise((r) => ws.once('open', r));
  const ch: Channel = {
    send: () => ws.send(pack({ v: 1, kind: 'decode', id: REQUEST.requestId, body: REQUEST })),
    onReply: undefined,
  };
  ws.on('message', (d: Buffer) => {
    unpack(d);
    ch.onReply?.();
  });
  return ch;
}

async function wsChannel(url: string): Promise<Channel> {
  // Offers the binary hot frames, as the router's PlaneChannel does; the server answers in kind.
  const ws = new WebSocket(url, { perMessageDeflate: false, headers: { [HOT_FRAMES_HEADER]: HOT_FRAMES_VERSION } });
  await new Promise((r) => ws.once('open', r));
  const ch: Channel = {
    send: () => ws.send(encodeFrame('decode', REQUEST.requestId, REQUEST, DEFAULT_MAX_FRAME_BYTES, true)),
    onReply: undefined,
  };
  ws.on('message', (d: Buffer) => {
    const f = decodeFrame(d);
    if (!f.ok) throw f.error;
    ch.onReply?.();
  });
  return ch;
}

function grpcChannel(address: string): Channel {
  const Client = grpc.makeGenericClientConstructor(
    {
      Channel: {
        path: '/bench.Plane/Channel',
        requestStream: true,
        responseStream: true,
        requestSerialize: (b: Buffer) => b,
        requestDeserialize: (b: Buffer) => b,
        responseSerialize: (b: Buffer) => b,
        responseDeserialize: (b: Buffer) => b,
      },
    },
    'Plane',
  );
  const client = new Client(address, grpc.credentials.createInsecure());
  const call = (client as unknown as { Channel(): grpc.ClientDuplexStream<Buffer, Buffer> }).Channel();
  const ch: Channel = {
    send: () => call.write(Buffer.from(DecodeRequest.encode(DecodeRequest.fromObject(REQUEST)).finish())),
    onReply: undefined,
  };
  call.on('error', () => {}); // the stream ends with UNAVAILABLE when the server process is stopped
  call.on('data', (b: Buffer) => {
    DecodeStep.toObject(DecodeStep.decode(b), TO_OBJECT);
    ch.onReply?.();
  });
  return ch;
}

/** `n` exchanges with `window` in flight; returns µs per exchange (wall) and CPU µs per exchange. */
async function drive(ch: Channel, n: number, window: number, serverPid: number) {
  let sent = 0;
  let done = 0;
  const c0 = cpuSeconds(process.pid);
  const s0 = cpuSeconds(serverPid);
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    ch.onReply = () => {
      done++;
      if (sent < n) {
        sent++;
        ch.send();
      }
      if (done === n) resolve();
    };
    for (; sent < Math.min(window, n); sent++) ch.send();
  });
  const wallUs = ((performance.now() - t0) * 1000) / n;
  return {
    microsPerExchange: wallUs,
    clientCpuMicrosPerExchange: ((cpuSeconds(process.pid) - c0) / n) * 1e6,
    serverCpuMicrosPerExchange: ((cpuSeconds(serverPid) - s0) / n) * 1e6,
  };
}

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', '1'], {
    execArgv: ['--import', 'tsx'],
    stdio: 'inherit',
  });
  const addr = await new Promise<{ ws: string; raw: string; grpc: string }>((r) =>
    child.once('message', (m) => r(m as never)),
  );
  const pid = child.pid as number;
  const ws = await wsChannel(addr.ws);
  const raw = await rawChannel(addr.raw);
  const g = grpcChannel(addr.grpc);
  type Figures = Awaited<ReturnType<typeof drive>>;
  const results: Record<string, { ws: Figures; raw: Figures; grpc: Figures }> = {};
  for (const [name, window] of [
    ['sequential', 1],
    ['32 in flight', 32],
  ] as const) {
    await drive(ws, 2000, window, pid); // warm-up
    await drive(raw, 2000, window, pid);
    await drive(g, 2000, window, pid);
    results[name] = {
      ws: await drive(ws, N, window, pid),
      raw: await drive(raw, N, window, pid),
      grpc: await drive(g, N, window, pid),
    };
  }
  child.disconnect();
  child.kill();
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const out = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(out, { recursive: true });
  const json = {
    bench: 'plane-transport',
    at: new Date().toISOString(),
    exchanges: N,
    loadAverageAfter: load,
    results,
  };
  writeFileSync(`${out}plane-transport.json`, `${JSON.stringify(json, null, 2)}\n`);
  const f = (x: number) => x.toFixed(1);
  const rows = Object.entries(results)
    .flatMap(([mode, r]) =>
      (['ws', 'raw', 'grpc'] as const).map(
        (t) =>
          `| ${mode} | ${CHANNEL_NAMES[t]} | ${f(r[t].microsPerExchange)} | ${f(r[t].clientCpuMicrosPerExchange)} | ${f(r[t].serverCpuMicrosPerExchange)} |`,
      ),
    )
    .join('\n');
  const md = `# Request-plane channel: WebSocket frames vs one gRPC bidirectional stream

${json.at}; \`node --import tsx packages/transport/bench/plane-transport.bench.ts --exchanges ${N}\`; load average after ${load} (2 shared cores).
One exchange: a DecodeRequest (8-token prompt) out, a DecodeStep of 8 sequences' outputs back, on one connection that stays open; the server in its own process. CPU from /proc (10 ms ticks).

| mode | channel | µs per exchange | client CPU µs | server CPU µs |
| --- | --- | ---: | ---: | ---: |
${rows}

Reading it: the bare-msgpack rows against the gRPC rows compare the two transports (a WebSocket and one HTTP/2
stream of grpc-js); the codec rows against the bare rows are what the oicf frame codec adds per frame: the
strict body check and the normalisation, each a function generated once per message type (body-accepts.ts,
body-normalize.ts; round 5: before, walking the plan per field, the codec added ≈ 10 µs of client CPU per
sequential exchange, plane-transport-r5-main.md). The request plane uses the WebSocket (one framing and one
codec with the KV data plane, zero-copy payload fragments, no per-call HTTP/2 stream state).
`;
  writeFileSync(`${out}plane-transport.md`, md);
  process.stdout.write(md);
}
