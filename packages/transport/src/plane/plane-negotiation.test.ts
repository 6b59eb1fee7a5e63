// Negotiating the binary hot frames (hot-frames.ts) per request-plane channel, over real sockets on 127.0.0.1
// port 0. A peer of an older build refuses a frame starting with 0xc1 and closes the channel, so: a router
// (PlaneChannel) sends binary `decode` only to a worker that answered the upgrade's `x-oicf-hot-frames`
// header, a worker (startWsServer + PlaneSessions) sends binary `decode.step` only to a router that offered
// it, and two ends of this build use the binary form. The "old" peers are stand-ins that read msgpack only
// (msgpackr's unpack throws on 0xc1, and they close the socket then, as an older build does).
import { createServer, type Server, Socket } from 'node:net';
import type { SequenceOutput__Output } from '@oicf/proto';
import { unpack } from 'msgpackr';
import { afterEach, describe, expect, it } from 'vitest';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { packEnvelope } from '../frame-codec.js';
import { CONNECTION_SCOPE_ID } from '../frame-socket.js';
import type { OicfError } from '../oicf-error.js';
import { type FrameHandler, startWsServer } from '../ws-server.js';
import { type PlaneCall, PlaneChannel } from './plane-channel.js';
import { PlaneSessions } from './plane-session.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const until = async (cond: () => boolean, what: string) => {
  const end = Date.now() + 3000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

function recorder(id: string) {
  const got = { outputs: [] as SequenceOutput__Output[], closed: undefined as OicfError | undefined };
  const call: PlaneCall = {
    id,
    idleTimeoutMs: 0,
    lastFrameMs: 0,
    onFrame: () => {},
    onOutput: (o) => got.outputs.push(o),
    onClosed: (e) => {
      got.closed = e;
    },
    onIdle: () => {},
  };
  return { call, got };
}

async function channel(url: string): Promise<PlaneChannel> {
  const c = await PlaneChannel.connect(url, {
    peer: 'decode worker w0',
    tickSeconds: 0.05,
    livenessTimeoutSeconds: 5,
    auth: null,
  });
  cleanups.push(() => c.close());
  return c;
}

/** A worker of this build: grants credit, and answers each `decode` with two tokens and a finish. */
async function newWorker(): Promise<string> {
  const sessions = new PlaneSessions();
  const onFrame: FrameHandler = (frame, conn) => {
    const session = sessions.of(conn);
    if (frame.kind === 'plane.credit') session.grant(frame.body.numFrames);
    if (frame.kind === 'decode') {
      session.output({
        firstTokenIndex: 0,
        chunk: { requestId: frame.id, tokenIds: [104, 105], finishReason: 'FINISH_REASON_STOP' },
      });
    }
  };
  const s = await startWsServer({ onFrame });
  cleanups.push(() => s.close());
  return s.url;
}

/** What a msgpack-only peer makes of one message: the envelope, or 'refused' (it then closes, 1002). */
function oldPeerRead(ws: WebSocket, data: RawData): { kind: string; id: string; body: unknown } | 'refused' {
  try {
    return unpack(data as Buffer) as { kind: string; id: string; body: unknown };
  } catch {
    ws.close(1002, 'PROTOCOL_ERROR: frame is not a msgpack message');
    return 'refused';
  }
}

const firstBytes = (messages: readonly Buffer[]) => messages.map((m) => m[0]);

/**
 * A TCP relay between a client and `target`, keeping each direction's bytes; `messages` gives the binary
 * WebSocket messages of one direction (after the HTTP upgrade), unmasked.
 */
async function tap(target: string): Promise<{ url: string; messages: (dir: 'up' | 'down') => Buffer[] }> {
  const { hostname, port } = new URL(target);
  const streams = { up: [] as Buffer[], down: [] as Buffer[] };
  const sockets: Socket[] = [];
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    sockets.push(client, upstream);
    upstream.connect(Number(port), hostname);
    client.on('data', (d) => {
      streams.up.push(d);
      upstream.write(d);
    });
    upstream.on('data', (d) => {
      streams.down.push(d);
      client.write(d);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((r) => server.close(() => r()));
  });
  const messages = (dir: 'up' | 'down'): Buffer[] => {
    const bytes = Buffer.concat(streams[dir]);
    let at = bytes.indexOf('\r\n\r\n') + 4;
    const out: Buffer[] = [];
    while (at + 2 <= bytes.length) {
      const opcode = (bytes[at] as number) & 0x0f;
      const masked = ((bytes[at + 1] as number) & 0x80) !== 0;
      let len = (bytes[at + 1] as number) & 0x7f;
      let p = at + 2;
      if (len === 126) {
        len = bytes.readUInt16BE(p);
        p += 2;
      } else if (len === 127) {
        len = Number(bytes.readBigUInt64BE(p));
        p += 8;
      }
      const mask = masked ? bytes.subarray(p, p + 4) : undefined;
      if (masked) p += 4;
      if (p + len > bytes.length) break;
      const payload = Buffer.from(bytes.subarray(p, p + len));
      if (mask !== undefined)
        for (let i = 0; i < len; i++) payload[i] = (payload[i] as number) ^ (mask[i & 3] as number);
      if (opcode === 2) out.push(payload);
      else if (opcode === 0) out.push(Buffer.concat([out.pop() ?? Buffer.alloc(0), payload])); // a continuation
      at = p + len;
    }
    return out;
  };
  return { url: `ws://127.0.0.1:${(server.address() as { port: number }).port}`, messages };
}

describe('request plane: binary hot frames only between peers that negotiated them', () => {
  it('a router completes a decode with an old worker that reads msgpack only: it sends no 0xc1 frame', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    await new Promise<void>((r) => wss.once('listening', () => r()));
    const offered: Array<string | string[] | undefined> = [];
    const received: string[] = [];
    wss.on('connection', (ws, req) => {
      offered.push(req.headers['x-oicf-hot-frames']);
      ws.on('message', (data) => {
        const f = oldPeerRead(ws, data);
        received.push(f === 'refused' ? f : f.kind);
        if (f !== 'refused' && f.kind === 'decode') {
          const outputs = [
            {
              firstTokenIndex: 0,
              chunk: { requestId: f.id, tokenIds: [104, 105], finishReason: 'FINISH_REASON_STOP' },
            },
          ];
          ws.send(packEnvelope('decode.step', CONNECTION_SCOPE_ID, { outputs }));
        }
      });
    });
    const c = await channel(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`);
    const a = recorder('a');
    c.start(a.call, 'decode', { requestId: 'a', promptTokenIds: [1, 2], maxTokens: 4 });
    await until(() => a.got.outputs.length === 1 || a.got.closed !== undefined, 'the output or the close');
    expect(a.got.closed).toBeUndefined();
    expect(a.got.outputs[0]?.chunk).toMatchObject({ tokenIds: [104, 105], finishReason: 'FINISH_REASON_STOP' });
    expect(received).toEqual(['plane.credit', 'decode']);
    expect(offered).toEqual(['1']); // the router offered; the old worker's 101 did not answer
    expect(c.hotFrames).toBe(false);
    expect(c.isOpen).toBe(true);
  });

  it('a worker sends msgpack step frames to an old router that offered nothing', async () => {
    const url = await newWorker();
    const ws = new WebSocket(url, { perMessageDeflate: false }); // no x-oicf-hot-frames header
    cleanups.push(() => ws.terminate());
    const answered: Array<string | string[] | undefined> = [];
    ws.once('upgrade', (res) => answered.push(res.headers['x-oicf-hot-frames']));
    const raw: Buffer[] = [];
    const frames: Array<{ kind: string; id: string; body: unknown } | 'refused'> = [];
    ws.on('message', (data) => {
      raw.push(data as Buffer);
      frames.push(oldPeerRead(ws, data));
    });
    await new Promise((r) => ws.once('open', r));
    ws.send(packEnvelope('plane.credit', CONNECTION_SCOPE_ID, { numFrames: 4 }));
    ws.send(packEnvelope('decode', 'a', { requestId: 'a', promptTokenIds: [1, 2], maxTokens: 4 }));
    await until(() => frames.length === 1, 'the step frame');
    expect(firstBytes(raw)).not.toContain(0xc1);
    expect(frames[0]).toMatchObject({
      kind: 'decode.step',
      id: '*',
      body: { outputs: [{ firstTokenIndex: 0, chunk: { requestId: 'a', tokenIds: [104, 105] } }] },
    });
    expect(answered).toEqual([undefined]);
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });

  it('a router and a worker of this build send decode and decode.step in the binary layout (0xc1 on the wire)', async () => {
    const relay = await tap(await newWorker());
    const c = await channel(relay.url);
    const a = recorder('a');
    c.start(a.call, 'decode', { requestId: 'a', promptTokenIds: [1, 2], maxTokens: 4 });
    await until(() => a.got.outputs.length === 1 || a.got.closed !== undefined, 'the output or the close');
    expect(a.got.outputs[0]?.chunk).toMatchObject({ tokenIds: [104, 105], finishReason: 'FINISH_REASON_STOP' });
    expect(c.hotFrames).toBe(true);
    // Router → worker: the credit (msgpack, 0x84 = a map of 4), then the decode (marker, type 1).
    const up = relay.messages('up');
    expect(up).toHaveLength(2);
    expect(unpack(up[0] as Buffer)).toMatchObject({ kind: 'plane.credit' });
    expect([up[1]?.[0], up[1]?.[1]]).toEqual([0xc1, 1]);
    // Worker → router: one step frame (marker, type 2).
    const down = relay.messages('down');
    expect(down).toHaveLength(1);
    expect([down[0]?.[0], down[0]?.[1]]).toEqual([0xc1, 2]);
  });
});
