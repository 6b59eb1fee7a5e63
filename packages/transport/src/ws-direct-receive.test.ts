// The direct receive path against ws's own Receiver: the same bytes from a server, written in one socket
// write, must give a client with receiveDirect the same events as a plain ws client, and the fast path must
// take exactly the frames of its one shape.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { binaryFrame } from './ws-direct-frame.js';
import { emitDirect, receiveDirect } from './ws-direct-receive.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** A server frame (unmasked) with any first byte and payload. */
function frame(b0: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? Buffer.from([b0, n]) : Buffer.from([b0, 126, n >> 8, n & 0xff]);
  return Buffer.concat([head, payload]);
}

const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);

describe('emitDirect', () => {
  it('takes whole small binary frames from the start and stops at the first byte of anything else', () => {
    const got: Array<[string, boolean]> = [];
    const ws = { emit: (_e: string, d: Buffer, bin: boolean) => got.push([d.toString('hex'), bin]) } as never;
    const r = {
      _state: 0,
      _bufferedBytes: 0,
      _fragmented: 0,
      _errored: false,
      _opcode: 0,
      _binaryType: 'nodebuffer',
      _allowSynchronousEvents: true,
      _isServer: false,
      _maxPayload: 1000,
      writableLength: 0,
      writableEnded: false,
      write: () => true,
    };
    const a = frame(0x82, Buffer.from([1, 2, 3])); // 5 bytes
    const b = frame(0x82, bytes(200, 7)); // 204 bytes (16-bit length)
    const ping = frame(0x89, Buffer.from([9]));
    // a, b taken (5 + 204 = 209); the ping and what follows are the Receiver's.
    expect(emitDirect(ws, r as never, Buffer.concat([a, b, ping, a]))).toBe(209);
    expect(got).toEqual([
      ['010203', true],
      ['07'.repeat(200), true],
    ]);
    got.length = 0;
    // A frame cut by the chunk's end, a text frame, an empty one, a masked one, one over maxPayload: none taken.
    expect(emitDirect(ws, r as never, a.subarray(0, 4))).toBe(0);
    expect(emitDirect(ws, r as never, frame(0x81, Buffer.from('hi')))).toBe(0);
    expect(emitDirect(ws, r as never, Buffer.from([0x82, 0]))).toBe(0);
    expect(emitDirect(ws, r as never, Buffer.from([0x82, 0x81, 0, 0, 0, 0, 5]))).toBe(0);
    expect(emitDirect(ws, r as never, frame(0x82, bytes(1001, 1)))).toBe(0);
    // A Receiver in the middle of a frame (bytes held) or of a fragmented message: nothing taken.
    expect(emitDirect(ws, { ...r, _bufferedBytes: 1 } as never, a)).toBe(0);
    expect(emitDirect(ws, { ...r, _fragmented: 2 } as never, a)).toBe(0);
    expect(emitDirect(ws, { ...r, _state: 4 } as never, a)).toBe(0);
    expect(got).toEqual([]);
  });
});

describe('receiveDirect over a socket', () => {
  /** The events a client gets for `chunks` written by the server in one write each. */
  async function eventsFor(chunks: Buffer[], direct: boolean): Promise<string[]> {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
    cleanups.push(() => wss.close());
    await new Promise<void>((r) => wss.once('listening', () => r()));
    const port = (wss.address() as AddressInfo).port;
    const served = new Promise<WebSocket>((r) => wss.once('connection', (s) => r(s)));
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false, maxPayload: 100_000 });
    cleanups.push(() => ws.terminate());
    const events: string[] = [];
    ws.on('message', (d: Buffer, bin: boolean) => events.push(`${bin ? 'bin' : 'text'} ${d.length} ${d[0]}`));
    ws.on('pong', () => events.push('pong'));
    ws.on('close', (code) => events.push(`close ${code}`));
    ws.on('error', (err) => events.push(`error ${(err as { code?: string }).code}`));
    await new Promise<void>((r) => ws.once('open', () => r()));
    if (direct) expect(receiveDirect(ws)).toBe(true);
    const server = await served;
    const socket = (server as unknown as { _socket: { write(b: Buffer): void } })._socket;
    for (const c of chunks) {
      socket.write(c);
      await new Promise((r) => setTimeout(r, 20));
    }
    // The last chunk makes ws close the connection: wait for it (a loaded machine may take a while).
    for (let i = 0; i < 300 && !events.some((e) => e.startsWith('close')); i++)
      await new Promise((r) => setTimeout(r, 10));
    return events;
  }

  it('gives the events ws gives: binary runs, pings answered, text, fragments, large and bad frames', async () => {
    const small = binaryFrame(bytes(3, 1), false);
    const mid = binaryFrame(bytes(300, 2), false);
    const big = frame(0x82, bytes(70_000, 3).subarray(0, 200)); // 16-bit form
    const large = Buffer.concat([Buffer.from([0x82, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70]), bytes(70_000, 4)]);
    const chunks = [
      Buffer.concat([small, mid, small]),
      Buffer.concat([small, frame(0x8a, Buffer.from([1])), small]), // an unsolicited pong between two
      Buffer.concat([frame(0x81, Buffer.from('text')), small]),
      Buffer.concat([frame(0x02, bytes(4, 5)), frame(0x80, bytes(4, 6)), small]), // a fragmented message
      Buffer.concat([big, large.subarray(0, 100)]), // a 64-bit-length frame split across chunks
      large.subarray(100),
      small.subarray(0, 3), // a frame split across chunks
      small.subarray(3),
      Buffer.concat([small, frame(0xc2, bytes(2, 1))]), // RSV1 without deflate: ws closes 1002
    ];
    const plain = await eventsFor(chunks, false);
    const direct = await eventsFor(chunks, true);
    expect(direct).toEqual(plain);
    expect(plain).toEqual([
      'bin 3 1',
      'bin 300 2',
      'bin 3 1',
      'bin 3 1',
      'pong',
      'bin 3 1',
      'text 4 116',
      'bin 3 1',
      'bin 8 5',
      'bin 3 1',
      'bin 200 3',
      'bin 70000 4',
      'bin 3 1',
      'bin 3 1',
      'error WS_ERR_UNEXPECTED_RSV_1',
      'close 1006',
    ]);
  });
});
