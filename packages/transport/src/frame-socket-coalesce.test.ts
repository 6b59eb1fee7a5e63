// FrameSocket's per-turn coalescing over a real WebSocket on 127.0.0.1, port 0: the frames one event-loop turn
// sends leave in one socket write, arrive whole and in order, and nothing is held past its turn.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { decodeFrame } from './frame-codec.js';
import { FrameSocket } from './frame-socket.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

interface Wired {
  fs: FrameSocket;
  /** Calls of the client socket's _write and _writev so far (each one socket write into the kernel). */
  writes: () => number;
  /** Resolves with the ids of the first `n` frames the server received, in order. */
  received: (n: number) => Promise<string[]>;
}

async function wired(coalescePerTurn: boolean): Promise<Wired> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const ids: string[] = [];
  const waiters: Array<() => void> = [];
  wss.on('connection', (ws) =>
    ws.on('message', (data) => {
      const decoded = decodeFrame(data as Buffer);
      ids.push(decoded.ok ? decoded.frame.id : `bad: ${decoded.error.message}`);
      for (const w of waiters.splice(0)) w();
    }),
  );
  const ws = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  cleanups.push(() => {
    ws.terminate();
    wss.close();
  });
  const socket = (
    ws as unknown as { _socket: { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void } }
  )._socket;
  let writes = 0;
  for (const method of ['_write', '_writev'] as const) {
    const original = socket[method].bind(socket);
    socket[method] = (...args: unknown[]) => {
      writes++;
      original(...args);
    };
  }
  const received = (n: number) =>
    new Promise<string[]>((resolve) => {
      const check = () => (ids.length >= n ? resolve(ids.slice(0, n)) : waiters.push(check));
      check();
    });
  return {
    fs: new FrameSocket(ws, { maxFrameBytes: 1 << 20, highWaterMarkBytes: 8 << 20, coalescePerTurn }),
    writes: () => writes,
    received,
  };
}

const release = (fs: FrameSocket, id: string) => fs.post('kv.get.release', id, { readLeaseId: `lease-${id}` });

describe('FrameSocket coalescePerTurn', () => {
  it('sends the five frames of one turn in one socket write, whole and in order', async () => {
    const { fs, writes, received } = await wired(true);
    const before = writes();
    for (const id of ['a', 'b', 'c', 'd', 'e']) release(fs, id);
    // Corked until the end of this turn: nothing has reached the socket yet.
    expect(writes()).toBe(before);
    expect(await received(5)).toEqual(['a', 'b', 'c', 'd', 'e']);
    // One uncork flushes the five frames' buffers together: one _writev.
    expect(writes() - before).toBe(1);

    // A later turn's frame is not held back by the first batch: it goes out in its own write.
    await fs.send('kv.get.release', 'f', { readLeaseId: 'lease-f' });
    expect(await received(6)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(writes() - before).toBe(2);
  });

  it('without it, each frame is its own socket write (the control)', async () => {
    const { fs, writes, received } = await wired(false);
    const before = writes();
    for (const id of ['a', 'b', 'c', 'd', 'e']) release(fs, id);
    expect(await received(5)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(writes() - before).toBeGreaterThan(1);
  });
});
