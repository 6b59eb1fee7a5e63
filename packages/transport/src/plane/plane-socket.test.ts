// The router's WebSocket framing on the request plane (plane-socket.ts) against a raw server on 127.0.0.1
// port 0 that answers the handshake itself and then writes frame bytes by hand: messages however TCP cuts
// them, fragmented messages, pings, close frames, and every kind of bad frame. A bad frame must fail the
// open calls with UNAVAILABLE naming what was wrong, send the worker a close frame with the matching code,
// and never wait for (or hold) the bytes of a message over the limit.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame } from '../frame-codec.js';
import type { Frame } from '../frame-kinds.js';
import type { OicfError } from '../oicf-error.js';
import { type PlaneCall, PlaneChannel } from './plane-channel.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A server that accepts one WebSocket handshake and hands over the raw socket and what it receives. */
async function rawServer(
  accept = (key: string) => createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64'),
) {
  const state: { socket: Socket | undefined; received: Buffer } = { socket: undefined, received: Buffer.alloc(0) };
  const server: Server = createServer();
  server.on('upgrade', (req, socket: Socket) => {
    const key = req.headers['sec-websocket-key'] as string;
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(key)}\r\n\r\n`,
    );
    socket.on('data', (d: Buffer) => {
      state.received = Buffer.concat([state.received, d]);
    });
    socket.on('error', () => {});
    state.socket = socket;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        state.socket?.destroy();
        server.close(() => r());
      }),
  );
  const { port } = server.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}`, state };
}

/** A server frame (unmasked): FIN and opcode, then the payload with a 7/16/64-bit length. */
function frame(
  opcode: number,
  payload: Buffer,
  { fin = true, rsv = 0, mask = false, length = payload.byteLength } = {},
): Buffer {
  const head = length < 126 ? Buffer.alloc(2) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = (fin ? 0x80 : 0) | rsv | opcode;
  if (length < 126) head[1] = length;
  else if (length < 65536) {
    head[1] = 126;
    head.writeUInt16BE(length, 2);
  } else {
    head[1] = 127;
    head.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    head.writeUInt32BE(length >>> 0, 6);
  }
  if (mask) head[1] = (head[1] as number) | 0x80;
  return Buffer.concat([head, mask ? Buffer.alloc(4) : Buffer.alloc(0), payload]);
}

function recorder(id: string) {
  const got = { frames: [] as Frame[], closed: undefined as OicfError | undefined };
  const call: PlaneCall = {
    id,
    idleTimeoutMs: 0,
    lastFrameMs: 0,
    onFrame: (f) => got.frames.push(f),
    onOutput: () => {},
    onClosed: (e) => {
      got.closed = e;
    },
    onIdle: () => {},
  };
  return { call, got };
}

const until = async (cond: () => boolean, what: string) => {
  const end = Date.now() + 3000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

async function open(url: string, maxFrameBytes = 4096) {
  const c = await PlaneChannel.connect(url, {
    peer: 'decode worker w0',
    tickSeconds: 5,
    livenessTimeoutSeconds: 60,
    maxFrameBytes,
  });
  cleanups.push(() => c.close());
  const a = recorder('a');
  c.start(a.call, 'prefill', { requestId: 'a' });
  return { c, a };
}

/** The close frame the router sent (masked with the zero key): its code and reason. */
function sentClose(received: Buffer): { code: number; reason: string } | undefined {
  let at = 0;
  while (at + 2 <= received.byteLength) {
    const opcode = (received[at] as number) & 0x0f;
    let length = (received[at + 1] as number) & 0x7f;
    let head = 2;
    if (length === 126) {
      length = received.readUInt16BE(at + 2);
      head = 4;
    }
    const payload = received.subarray(at + head + 4, at + head + 4 + length);
    if (opcode === 0x8) return { code: payload.readUInt16BE(0), reason: payload.toString('utf8', 2) };
    at += head + 4 + length;
  }
  return undefined;
}

const done = encodeFrame('prefill.done', 'a', { firstTokenId: 7 });

describe('request plane framing (router end)', () => {
  it('delivers messages however TCP cuts them: byte by byte, two in one write, and fragmented', async () => {
    const { url, state } = await rawServer();
    const { c, a } = await open(url);
    const b = recorder('b');
    c.start(b.call, 'prefill', { requestId: 'b' });
    const bytes = frame(0x2, done);
    for (const byte of bytes) {
      state.socket?.write(Buffer.from([byte]));
      await new Promise((r) => setImmediate(r));
    }
    await until(() => a.got.frames.length === 1, 'the byte-by-byte message');
    expect(a.got.frames[0]).toMatchObject({ kind: 'prefill.done', id: 'a', body: { firstTokenId: 7 } });
    // b's answer in three fragments, with a ping between them (control frames may interleave).
    const doneB = encodeFrame('prefill.done', 'b', { firstTokenId: 9 });
    state.socket?.write(
      Buffer.concat([
        frame(0x2, doneB.subarray(0, 5), { fin: false }),
        frame(0x9, Buffer.from('hi')),
        frame(0x0, doneB.subarray(5, 9), { fin: false }),
        frame(0x0, doneB.subarray(9)),
      ]),
    );
    await until(() => b.got.frames.length === 1, 'the fragmented message');
    expect(b.got.frames[0]).toMatchObject({ kind: 'prefill.done', id: 'b', body: { firstTokenId: 9 } });
    // The ping was answered with a pong carrying its payload (masked, zero key).
    await until(() => state.received.includes(Buffer.from([0x8a, 0x82, 0, 0, 0, 0, 0x68, 0x69])), 'the pong');
    expect(c.isOpen).toBe(true);
  });

  it.each<[string, Buffer, number]>([
    ['a masked frame from the server', frame(0x2, done, { mask: true }), 1002],
    ['reserved bits set', frame(0x2, done, { rsv: 0x40 }), 1002],
    ['a text message', frame(0x1, Buffer.from('hello')), 1003],
    ['unknown opcode 3', frame(0x3, Buffer.alloc(1)), 1002],
    ['a fragmented control frame', frame(0x9, Buffer.alloc(1), { fin: false }), 1002],
    ['a control frame of 126 bytes', frame(0x9, Buffer.alloc(126)), 1002],
    ['a continuation frame with no message open', frame(0x0, done), 1002],
    [
      'a new message inside a fragmented one',
      Buffer.concat([frame(0x2, done, { fin: false }), frame(0x2, done)]),
      1002,
    ],
    ['close code 1005 is not valid', frame(0x8, Buffer.from([0x03, 0xed])), 1002],
    // Only the header of a 1 MiB message: refused at once, its bytes never awaited.
    ['a message over the 4096-byte limit', frame(0x2, Buffer.alloc(0), { length: 1 << 20 }), 1009],
    [
      'a message over the 4096-byte limit',
      Buffer.concat([frame(0x2, Buffer.alloc(3000), { fin: false }), frame(0x0, Buffer.alloc(0), { length: 2000 })]),
      1009,
    ],
  ])('refuses %s: the call fails naming it, and the worker gets the matching close code', async (what, bytes, code) => {
    const { url, state } = await rawServer();
    const { c, a } = await open(url);
    state.socket?.write(bytes);
    await until(() => a.got.closed !== undefined, 'the call to fail');
    expect(a.got.closed).toMatchObject({ code: 'UNAVAILABLE' });
    expect(a.got.closed?.message).toContain('request channel to decode worker w0 closed');
    expect(a.got.closed?.message).toContain(`it sent a bad frame (${what}`);
    await until(() => sentClose(state.received) !== undefined, 'the close frame');
    expect(sentClose(state.received)).toEqual({
      code,
      reason: expect.stringMatching(new RegExp(`^the worker sent ${what}`)),
    });
    expect(c.isOpen).toBe(false);
  });

  it('refuses a well-framed message that is not a frame envelope, naming the codec error', async () => {
    const { url, state } = await rawServer();
    const { a } = await open(url);
    state.socket?.write(frame(0x2, Buffer.from([0x05]))); // msgpack for the number 5
    await until(() => a.got.closed !== undefined, 'the call to fail');
    expect(a.got.closed?.message).toContain('it sent a bad frame (frame is not an envelope map');
    await until(() => sentClose(state.received) !== undefined, 'the close frame');
    expect(sentClose(state.received)).toEqual({ code: 1002, reason: expect.stringContaining('PROTOCOL_ERROR') });
  });

  it('ends on the worker’s close frame with its code and reason, and answers it', async () => {
    const { url, state } = await rawServer();
    const { a } = await open(url);
    const reason = Buffer.from('INTERNAL: worker shutting down');
    state.socket?.write(frame(0x8, Buffer.concat([Buffer.from([0x03, 0xf3]), reason]))); // 1011
    await until(() => a.got.closed !== undefined, 'the call to fail');
    expect(a.got.closed?.message).toMatch(/close code 1011\): INTERNAL: worker shutting down/);
    await until(() => sentClose(state.received) !== undefined, 'the echoed close');
    expect(sentClose(state.received)?.code).toBe(1011);
  });

  it('refuses a handshake answered with a wrong Sec-WebSocket-Accept', async () => {
    const { url } = await rawServer(() => 'bm90IHRoZSByaWdodCBhbnN3ZXI=');
    await expect(
      PlaneChannel.connect(url, { peer: 'decode worker w0', tickSeconds: 5, livenessTimeoutSeconds: 60 }),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('answered the handshake with a wrong Sec-WebSocket-Accept'),
    });
  });
});
