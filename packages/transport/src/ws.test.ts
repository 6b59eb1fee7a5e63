// WebSocket data plane over real sockets on 127.0.0.1, port 0.
import { pack } from 'msgpackr';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { fromWsClose } from './error-convert.js';
import { DEFAULT_MAX_FRAME_BYTES, decodeFrame, encodeFrame } from './frame-codec.js';
import { OicfError } from './oicf-error.js';
import { connectWs, type WsClient } from './ws-client.js';
import { type FrameHandler, startWsServer, type WsServer, type WsServerOptions } from './ws-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(onFrame: FrameHandler, opts: Omit<WsServerOptions, 'onFrame'> = {}): Promise<WsServer> {
  const s = await startWsServer({ onFrame, ...opts });
  cleanups.push(() => s.close());
  return s;
}

async function client(url: string, opts: Parameters<typeof connectWs>[1] = {}): Promise<WsClient> {
  const c = await connectWs(url, opts);
  cleanups.push(() => c.close());
  return c;
}

/** A small pool server: acks puts, streams gets (one block per id, 'missing' ids reported as missing). */
const poolLike: FrameHandler = async (frame, conn) => {
  if (frame.kind === 'kv.put') {
    if (frame.body.blockId === 'full') throw new OicfError('RESOURCE_EXHAUSTED', 'pool is full: evict or add a tier');
    await conn.send('kv.put.ack', frame.id, {
      blockId: frame.body.blockId,
      tier: 'TIER_DRAM',
      storedBytes: frame.body.payload.length,
    });
  } else if (frame.kind === 'kv.get') {
    const present = frame.body.blockIds.filter((id) => id !== 'missing');
    for (const id of present) await conn.send('kv.block', frame.id, { blockId: id, payload: Buffer.from(id) });
    await conn.send('kv.get.done', frame.id, {
      numBlocksSent: present.length,
      numBytesSent: present.join('').length,
      missingBlockIds: frame.body.blockIds.filter((id) => id === 'missing'),
    });
  }
};

/** A bare ws socket, to send frames the real client refuses to build and watch the raw answers. */
async function rawSocket(url: string) {
  const ws = new WebSocket(url);
  cleanups.push(async () => ws.terminate());
  await new Promise((r) => ws.once('open', r));
  const received: Buffer[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data: Buffer) => {
    received.push(data);
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return {
    send: (data: Uint8Array) => ws.send(data),
    /** The next frame from the server, decoded. */
    next: async () => {
      while (received.length === 0) await new Promise<void>((r) => waiters.push(r));
      const r = decodeFrame(received.shift() as Buffer);
      if (!r.ok) throw r.error;
      return r.frame;
    },
    closed,
  };
}

describe('ws request/response', () => {
  it('correlates concurrent requests by id', async () => {
    const s = await server(poolLike);
    const c = await client(s.url);
    const acks = await Promise.all(
      ['b1', 'b2', 'b3'].map((id) =>
        c.request('kv.put', { blockId: id, payload: Buffer.alloc(id === 'b2' ? 5 : 1) }, 'kv.put.ack'),
      ),
    );
    expect(acks.map((a) => [a.body.blockId, a.body.storedBytes, a.body.tier])).toEqual([
      ['b1', 1, 'TIER_DRAM'],
      ['b2', 5, 'TIER_DRAM'],
      ['b3', 1, 'TIER_DRAM'],
    ]);
    expect(c.numOpenCalls()).toBe(0);
  });

  it('delivers a handler OicfError as that code and message, and keeps the connection', async () => {
    const s = await server(poolLike);
    const c = await client(s.url);
    await expect(c.request('kv.put', { blockId: 'full' }, 'kv.put.ack')).rejects.toMatchObject({
      code: 'RESOURCE_EXHAUSTED',
      message: 'pool is full: evict or add a tier',
    });
    const ack = await c.request('kv.put', { blockId: 'ok' }, 'kv.put.ack');
    expect(ack.body.blockId).toBe('ok');
  });

  it('streams several frames for one request, ending with the terminal one', async () => {
    const s = await server(poolLike);
    const c = await client(s.url);
    const seen: string[] = [];
    for await (const f of c.stream('kv.get', { blockIds: ['x1', 'missing', 'x2'] })) {
      if (f.kind === 'kv.block') seen.push(`block ${f.body.blockId} ${f.body.payload.toString()}`);
      if (f.kind === 'kv.get.done')
        seen.push(`done ${f.body.numBlocksSent} missing ${f.body.missingBlockIds.join(',')}`);
    }
    expect(seen).toEqual(['block x1 x1', 'block x2 x2', 'done 2 missing missing']);
  });

  it('answers a bad body with an error frame for that request and keeps the connection', async () => {
    const s = await server(poolLike);
    const raw = await rawSocket(s.url);
    raw.send(pack({ v: 1, kind: 'kv.put', id: 'bad-1', body: { numTokens: -5 } }));
    expect(await raw.next()).toEqual({
      v: 1,
      kind: 'error',
      id: 'bad-1',
      body: {
        code: 'INVALID_ARGUMENT',
        field: 'body.numTokens',
        message: 'bad kv.put body: body.numTokens: expected a uint32 (integer 0..4294967295), got number -5',
      },
    });
    raw.send(encodeFrame('kv.put', 'good-1', { blockId: 'b' }));
    expect(await raw.next()).toMatchObject({ kind: 'kv.put.ack', id: 'good-1', body: { blockId: 'b' } });
  });

  it('answers a binary decode frame cut short with an error naming the field, and keeps the connection', async () => {
    const s = await server(poolLike);
    const raw = await rawSocket(s.url);
    const body = { requestId: 'cut-1', promptTokenIds: [1, 2, 3], maxTokens: 4 };
    const whole = encodeFrame('decode', 'cut-1', body, DEFAULT_MAX_FRAME_BYTES, true);
    // marker+type 2, id "cut-1" 7, requestId 7, promptTokenIds count 4 (3 ids follow): cut after one id
    raw.send(whole.subarray(0, 2 + 7 + 7 + 4 + 4));
    expect(await raw.next()).toEqual({
      v: 1,
      kind: 'error',
      id: 'cut-1',
      body: {
        code: 'INVALID_ARGUMENT',
        field: 'body.promptTokenIds',
        message: 'bad decode body: body.promptTokenIds: count 3 needs at least 12 bytes, the frame has 4 left',
      },
    });
    raw.send(encodeFrame('kv.put', 'good-2', { blockId: 'b' }));
    expect(await raw.next()).toMatchObject({ kind: 'kv.put.ack', id: 'good-2', body: { blockId: 'b' } });
  });

  it('fails a call with DEADLINE_EXCEEDED when no answer comes in time', async () => {
    const s = await server(() => new Promise<void>(() => {}));
    const c = await client(s.url);
    await expect(c.request('kv.put', { blockId: 'slow' }, 'kv.put.ack', { timeoutSeconds: 0.1 })).rejects.toMatchObject(
      {
        code: 'DEADLINE_EXCEEDED',
      },
    );
  });

  it('fails a call with PROTOCOL_ERROR when the answer is of another kind', async () => {
    const s = await server(poolLike);
    const c = await client(s.url);
    await expect(c.request('kv.get', { blockIds: ['a'] }, 'kv.get.done')).rejects.toMatchObject({
      code: 'PROTOCOL_ERROR',
      message: expect.stringContaining('expected a kv.get.done frame, got kv.block'),
    });
  });
});

describe('ws protocol violations', () => {
  it('an oversize frame closes that connection (1009 → FRAME_TOO_LARGE) while another keeps working', async () => {
    const s = await server(poolLike, { maxFrameBytes: 16 * 1024 });
    const healthy = await client(s.url);
    // The victim's own limit is the 16 MiB default, so it sends what this server refuses.
    const victim = await client(s.url);
    const big = { blockId: 'big', payload: Buffer.alloc(64 * 1024) };
    await expect(victim.request('kv.put', big, 'kv.put.ack')).rejects.toMatchObject({ code: 'FRAME_TOO_LARGE' });
    // The connection is gone: later calls fail with the same mapped error instead of hanging.
    await expect(victim.request('kv.put', { blockId: 'after' }, 'kv.put.ack')).rejects.toMatchObject({
      code: 'FRAME_TOO_LARGE',
    });
    const ack = await healthy.request('kv.put', { blockId: 'still-fine' }, 'kv.put.ack');
    expect(ack.body.blockId).toBe('still-fine');
    expect(s.numConnections()).toBe(1);
  });

  it.each([
    ['an unknown kind', pack({ v: 1, kind: 'kv.teleport', id: 't1', body: {} }), 't1', 'UNKNOWN_KIND', 1003],
    ['a wrong version', pack({ v: 9, kind: 'kv.get', id: 't2', body: {} }), 't2', 'PROTOCOL_ERROR', 1002],
    ['bytes that are not msgpack', Buffer.from('hello'), '*', 'PROTOCOL_ERROR', 1002],
  ] as const)(
    '%s gets an error frame and a close, while another connection keeps working',
    async (_name, bytes, id, code, closeCode) => {
      const s = await server(poolLike);
      const healthy = await client(s.url);
      const raw = await rawSocket(s.url);
      raw.send(bytes);
      expect(await raw.next()).toMatchObject({ kind: 'error', id, body: { code } });
      expect(await raw.closed).toBe(closeCode);
      const ack = await healthy.request('kv.put', { blockId: 'still-fine' }, 'kv.put.ack');
      expect(ack.body.blockId).toBe('still-fine');
      expect(fromWsClose(closeCode, '')?.code).toBe(code);
    },
  );
});

describe('ws backpressure', () => {
  it('a writer to a slow reader awaits drain instead of buffering without bound', async () => {
    const MiB = 1024 * 1024;
    const numBlocks = 64;
    const highWaterMarkBytes = 2 * MiB;
    let numSent = 0;
    let maxBufferedAfterSend = 0;
    let numWaits = 0;
    const s = await server(
      async (frame, conn) => {
        if (frame.kind !== 'kv.get') return;
        for (let i = 0; i < numBlocks; i++) {
          const t0 = performance.now();
          await conn.send('kv.block', frame.id, { blockId: `b${i}`, payload: Buffer.alloc(MiB, i) });
          if (performance.now() - t0 > 20) numWaits += 1;
          maxBufferedAfterSend = Math.max(maxBufferedAfterSend, conn.bufferedBytes());
          numSent += 1;
        }
        await conn.send('kv.get.done', frame.id, { numBlocksSent: numBlocks });
      },
      { highWaterMarkBytes },
    );
    const c = await client(s.url, { receiveHighWaterMarkBytes: 2 * MiB });
    const frames = c.stream('kv.get', { blockIds: ['all'] });
    const first = await frames.next(); // start the call, then stop reading
    expect(first.value).toMatchObject({ kind: 'kv.block', body: { blockId: 'b0' } });

    await new Promise((r) => setTimeout(r, 400));
    const stalledAt = numSent;
    await new Promise((r) => setTimeout(r, 200));
    // 64 MiB cannot fit in: 2 MiB server buffer + kernel socket buffers (a few MiB on loopback) + 2 MiB
    // client queue; so the writer must be parked, and parked for good while nobody reads.
    expect(stalledAt).toBeLessThan(numBlocks);
    expect(numSent).toBe(stalledAt);
    expect(maxBufferedAfterSend).toBeLessThanOrEqual(highWaterMarkBytes);
    // The client paused its socket: it holds at most its high-water mark plus one frame unconsumed.
    expect(c.receivedUnconsumedBytes()).toBeLessThanOrEqual(2 * MiB + MiB + 1024);

    let numBlocksRead = 1;
    let done: unknown;
    for await (const f of frames) {
      if (f.kind === 'kv.block') {
        expect(f.body.payload[0]).toBe(numBlocksRead % 256);
        numBlocksRead += 1;
      } else done = f.body;
    }
    expect(numBlocksRead).toBe(numBlocks);
    expect(done).toMatchObject({ numBlocksSent: numBlocks });
    expect(numWaits).toBeGreaterThan(0);
  }, 20_000);
});

describe('ws shutdown', () => {
  it('closing the server fails open calls with UNAVAILABLE (close 1001)', async () => {
    const s = await startWsServer({ onFrame: () => new Promise<void>(() => {}) });
    const c = await client(s.url);
    const pending = c.request('kv.put', { blockId: 'never' }, 'kv.put.ack').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    expect(s.numInFlight()).toBe(1);
    await s.close();
    expect(await pending).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('close code 1001') });
    await expect(connectWs(s.url, { connectTimeoutSeconds: 1 })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

describe('ws server read backpressure', () => {
  it('stops reading a connection whose handlers pile up, and resumes as they finish', async () => {
    let numStarted = 0;
    const gates: Array<() => void> = [];
    const limited = await server(
      async (frame, conn) => {
        numStarted += 1;
        await new Promise<void>((r) => gates.push(r));
        await conn.send('kv.put.ack', frame.id, {});
      },
      { maxInFlightPerConnection: 4 },
    );
    const c = await client(limited.url);
    const acks = Array.from({ length: 10 }, (_, i) => c.request('kv.put', { blockId: `p${i}` }, 'kv.put.ack'));
    await new Promise((r) => setTimeout(r, 200));
    // 10 small frames arrived in the socket, but only 4 handlers were let start; all 10 count as in flight.
    expect(numStarted).toBe(4);
    expect(limited.numInFlight()).toBe(10);
    while (numStarted < 10 || gates.length > 0) {
      for (const g of gates.splice(0)) g();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await Promise.all(acks)).length).toBe(10);
  });
});
