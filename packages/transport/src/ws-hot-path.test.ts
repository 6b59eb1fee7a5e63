// Round 10's hot path of the WebSocket data plane, over real sockets on 127.0.0.1, port 0: a `request` settled from
// a table of pending requests (no per-call generator), the frames of one event-loop turn corked into one writev,
// and a server that ends a synchronous handler's frame without a promise.
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { DEFAULT_MAX_FRAME_BYTES, decodeFrame } from './frame-codec.js';
import type { Frame } from './frame-kinds.js';
import { FrameSocket } from './frame-socket.js';
import { connectWs, type WsClient, zeroMask } from './ws-client.js';
import { type FrameHandler, startWsServer, type WsServer } from './ws-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(onFrame: FrameHandler): Promise<WsServer> {
  const s = await startWsServer({ onFrame });
  cleanups.push(() => s.close());
  return s;
}

async function client(url: string, opts: Parameters<typeof connectWs>[1] = {}): Promise<WsClient> {
  const c = await connectWs(url, opts);
  cleanups.push(() => c.close());
  return c;
}

const ackAll: FrameHandler = async (frame, conn) => {
  if (frame.kind === 'kv.put') await conn.send('kv.put.ack', frame.id, { blockId: frame.body.blockId });
};

/** Counts what reaches a socket's write paths: _write calls and _writev calls with their chunk counts. */
function countWrites(socket: Socket) {
  const counts = { write: 0, writev: [] as number[] };
  const s = socket as unknown as {
    _write: (...a: unknown[]) => unknown;
    _writev: (chunks: unknown[], ...a: unknown[]) => unknown;
  };
  const write = s._write.bind(socket);
  const writev = s._writev.bind(socket);
  s._write = (...a) => {
    counts.write += 1;
    return write(...a);
  };
  s._writev = (chunks, ...a) => {
    counts.writev.push(chunks.length);
    return writev(chunks, ...a);
  };
  return counts;
}

describe('ws request (pending-request table)', () => {
  it('fails with CANCELLED when its signal aborts, and forgets the request', async () => {
    const s = await server(() => new Promise<void>(() => {}));
    const c = await client(s.url);
    const abort = new AbortController();
    const put = c.request('kv.put', { blockId: 'x' }, 'kv.put.ack', { signal: abort.signal });
    expect(c.numOpenCalls()).toBe(1);
    abort.abort();
    await expect(put).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(c.numOpenCalls()).toBe(0);
  });

  it('fails at once with CANCELLED when its signal has already aborted', async () => {
    const s = await server(ackAll);
    const c = await client(s.url);
    const abort = new AbortController();
    abort.abort();
    await expect(c.request('kv.put', { blockId: 'x' }, 'kv.put.ack', { signal: abort.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(c.numOpenCalls()).toBe(0);
  });

  it('hands an answer that comes after its deadline to onUnsolicited', async () => {
    let release: () => void = () => {};
    const s = await server(async (frame, conn) => {
      await new Promise<void>((r) => {
        release = r;
      });
      await conn.send('kv.put.ack', frame.id, { blockId: 'late' });
    });
    const unsolicited: Frame[] = [];
    const c = await client(s.url, { onUnsolicited: (f) => unsolicited.push(f) });
    await expect(
      c.request('kv.put', { blockId: 'late' }, 'kv.put.ack', { timeoutSeconds: 0.05, id: 'r-late' }),
    ).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(c.numOpenCalls()).toBe(0);
    release();
    await new Promise((r) => setTimeout(r, 100));
    expect(unsolicited.map((f) => [f.kind, f.id])).toEqual([['kv.put.ack', 'r-late']]);
  });

  it('refuses an id that an open request holds, and a body that does not encode, leaving nothing open', async () => {
    const s = await server(() => new Promise<void>(() => {}));
    const c = await client(s.url);
    const first = c.request('kv.put', { blockId: 'a' }, 'kv.put.ack', { id: 'same' }).catch((e: unknown) => e);
    await expect(c.request('kv.put', { blockId: 'b' }, 'kv.put.ack', { id: 'same' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    expect(() => c.call({ id: 'same' })).toThrow(/already open/);
    await expect(
      c.request('kv.put', { blockId: 7 } as unknown as { blockId: string }, 'kv.put.ack'),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'body.blockId' });
    expect(c.numOpenCalls()).toBe(1); // only 'same'
    await c.close();
    expect(await first).toMatchObject({ code: 'UNAVAILABLE' });
    expect(c.numOpenCalls()).toBe(0);
  });
});

describe('frames of one event-loop turn', () => {
  it('reach the kernel in one writev, after the turn, all of them in order', async () => {
    // A bare ws server that records the messages it receives, and a ws client wrapped as the data plane wraps it.
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    await new Promise((r) => wss.once('listening', r));
    const received: string[] = [];
    let allIn: () => void = () => {};
    const ten = new Promise<void>((r) => {
      allIn = r;
    });
    wss.on('connection', (peer) =>
      peer.on('message', (data: Buffer) => {
        const decoded = decodeFrame(data);
        if (decoded.ok && decoded.frame.kind === 'kv.put') received.push(decoded.frame.body.blockId);
        if (received.length === 10) allIn();
      }),
    );
    const ws = new WebSocket(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`, { generateMask: zeroMask });
    cleanups.push(async () => ws.terminate());
    await new Promise((r) => ws.once('open', r));
    const fs = new FrameSocket(ws, { maxFrameBytes: DEFAULT_MAX_FRAME_BYTES, highWaterMarkBytes: 1 << 20 });
    const counts = countWrites((ws as unknown as { _socket: Socket })._socket);
    // Ten frames sent in one synchronous stretch (one turn): five by send, five by post.
    const sends: Array<Promise<void>> = [];
    for (let i = 0; i < 10; i++) {
      if (i % 2 === 0) sends.push(fs.send('kv.put', `r${i}`, { blockId: `b${i}` }));
      else fs.post('kv.put', `r${i}`, { blockId: `b${i}` });
    }
    expect(counts).toEqual({ write: 0, writev: [] }); // nothing written before the turn ends
    await Promise.all(sends);
    await ten;
    expect(received).toEqual(Array.from({ length: 10 }, (_, i) => `b${i}`));
    // One writev for the turn: ws writes a small frame by send as its header and its data (two chunks each, 5 × 2),
    // and post writes a frame as one buffer (5 × 1).
    expect(counts).toEqual({ write: 0, writev: [15] });
  });
});

describe('ws server, synchronous handlers', () => {
  it('ends a frame whose handler returned nothing: no frame left in flight, the connection keeps serving', async () => {
    let numSeen = 0;
    const s = await server((frame) => {
      if (frame.kind === 'kv.put.unslot') numSeen += 1;
    });
    const c = await client(s.url);
    for (let i = 0; i < 5; i++) {
      const call = c.call();
      await call.send('kv.put.unslot', { extents: [] });
      call.cancel();
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(numSeen).toBe(5);
    expect(s.numInFlight()).toBe(0);
    expect(await s.waitIdle(0.1)).toBe(true);
  });

  it('answers a synchronous throw with an error frame for that request and keeps serving', async () => {
    const s = await server((frame, conn) => {
      if (frame.kind === 'kv.put' && frame.body.blockId === 'bad') throw new Error('refused by the handler');
      return ackAll(frame, conn);
    });
    const c = await client(s.url);
    await expect(c.request('kv.put', { blockId: 'bad' }, 'kv.put.ack')).rejects.toMatchObject({
      code: 'INTERNAL',
    });
    expect((await c.request('kv.put', { blockId: 'good' }, 'kv.put.ack')).body.blockId).toBe('good');
    expect(s.numInFlight()).toBe(0);
  });
});
