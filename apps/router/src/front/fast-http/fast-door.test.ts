// The fast door's HTTP/1.1 handling on a real router (scripted decode worker, raw TCP clients): keep-alive,
// pipelining in order, hand-off to node:http for what it does not take (on the same connection, with the
// bytes already read), node:http's own answers to malformed and oversized requests, half-sent requests,
// a client that leaves mid-stream, and the bound on what a pipelining client makes the router buffer.
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { rawConnect, rawPost } from '../../testing/raw-http.js';
import { startTestRouter, type TestRouter, waitUntil } from '../../testing/router-harness.js';
import { PIPELINE_BYTES } from './fast-connection.js';

let t: TestRouter | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const body = (fields: Record<string, unknown>) => JSON.stringify({ model: 'tiny-gqa', prompt: 'hi', ...fields });
const text = (b: string) => (JSON.parse(b) as { choices: Array<{ text: string }> }).choices[0]?.text;

/** A router with one scripted decode worker generating "abcdefgh", and the URLs node:http itself saw. */
async function routerWithWorker(overrides: Parameters<typeof startTestRouter>[0] = {}) {
  t = await startTestRouter({ fastHttp: true, ...overrides });
  const worker = await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'abcdefgh' });
  const seenByNode: string[] = [];
  t.router.service.httpServer.on('request', (req) => seenByNode.push(`${req.method} ${req.url}`));
  return { t, worker, seenByNode, door: t.router.fastDoor as NonNullable<TestRouter['router']['fastDoor']> };
}

describe('fast door', () => {
  it('answers pipelined requests in order on one kept-alive connection', async () => {
    const { t, seenByNode, door } = await routerWithWorker();
    const conn = await rawConnect(t.url);
    // Three requests in one write, then a fourth on the same connection after their replies.
    conn.write(
      rawPost('/v1/completions', body({ max_tokens: 3 })) +
        rawPost(
          '/v1/chat/completions',
          body({ prompt: undefined, messages: [{ role: 'user', content: 'x' }], max_tokens: 1 }),
        ) +
        rawPost('/v1/completions', body({ max_tokens: 5 })),
    );
    const first = await conn.responses(3);
    expect(first.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(text(first[0]?.body as string)).toBe('abc');
    expect((JSON.parse(first[1]?.body as string) as { object: string }).object).toBe('chat.completion');
    expect(text(first[2]?.body as string)).toBe('abcde');
    conn.write(rawPost('/v1/completions', body({ max_tokens: 2 })));
    const all = await conn.responses(4);
    expect(text(all[3]?.body as string)).toBe('ab');
    expect(all.every((r) => r.head.includes('\r\nConnection: keep-alive\r\n'))).toBe(true);
    expect(seenByNode).toEqual([]);
    expect(door.handedOff).toBe(0);
    expect(door.size).toBe(1);
    conn.socket.destroy();
    await waitUntil(() => door.size === 0, 2, 'the door to forget the closed connection');
  });

  it('hands the connection to node:http at a route it does not serve, with the bytes already read', async () => {
    const { t, seenByNode, door } = await routerWithWorker();
    const conn = await rawConnect(t.url);
    // A fast request, then GET /v1/models and another completion in the same write: the first is the
    // door's, the rest node:http's (the connection stays with node:http), all answered in order.
    conn.write(
      `${rawPost('/v1/completions', body({ max_tokens: 1 }))}GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n` +
        rawPost('/v1/completions', body({ max_tokens: 2 })),
    );
    const rs = await conn.responses(3);
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(text(rs[0]?.body as string)).toBe('a');
    expect((JSON.parse(rs[1]?.body as string) as { object: string }).object).toBe('list');
    expect(text(rs[2]?.body as string)).toBe('ab');
    expect(seenByNode).toEqual(['GET /v1/models', 'POST /v1/completions']);
    expect(door.handedOff).toBe(1);
    // Later bytes on that connection still reach node:http.
    conn.write(rawPost('/v1/completions?x=1', body({ max_tokens: 1 })));
    expect((await conn.responses(4))[3]?.status).toBe(200);
    expect(seenByNode.at(-1)).toBe('POST /v1/completions?x=1');
    conn.socket.destroy();
  });

  it.each([
    ['a malformed request line', 'POST /v1/completions XTTP/1.1\r\nHost: x\r\ncontent-length: 2\r\n\r\n{}', 400],
    [
      'two Content-Lengths',
      'POST /v1/completions HTTP/1.1\r\nHost: x\r\ncontent-length: 2\r\ncontent-length: 2\r\n\r\n{}',
      400,
    ],
    ['a non-numeric Content-Length', 'POST /v1/completions HTTP/1.1\r\nHost: x\r\ncontent-length: 2x\r\n\r\n{}', 400],
    [
      'a header line without a colon',
      'POST /v1/completions HTTP/1.1\r\nHost: x\r\nbroken\r\ncontent-length: 2\r\n\r\n{}',
      400,
    ],
    [
      'a head over 16 KiB',
      `POST /v1/completions HTTP/1.1\r\nHost: x\r\nx-pad: ${'a'.repeat(17 * 1024)}\r\ncontent-length: 2\r\n\r\n{}`,
      431,
    ],
  ])('leaves %s to node:http, which refuses it (%s) and closes', async (_what, request, status) => {
    const { t, door } = await routerWithWorker();
    const conn = await rawConnect(t.url);
    conn.write(request);
    await conn.closed();
    expect(conn.received().startsWith(`HTTP/1.1 ${status} `)).toBe(true);
    expect(door.handedOff).toBe(1);
  });

  it('leaves a body over maxBodyBytes to node:http: its 413 in the OpenAI shape, the connection still usable', async () => {
    const { t, door } = await routerWithWorker({ maxBodyBytes: 1024 });
    const conn = await rawConnect(t.url);
    conn.write(rawPost('/v1/completions', body({ prompt: 'x'.repeat(2000), max_tokens: 1 })));
    const [tooLarge] = await conn.responses(1);
    expect(tooLarge?.status).toBe(413);
    expect(JSON.parse(tooLarge?.body as string)).toMatchObject({ error: { code: 'request_too_large' } });
    expect(door.handedOff).toBe(1);
    conn.write(rawPost('/v1/completions', body({ max_tokens: 1 })));
    expect((await conn.responses(2))[1]?.status).toBe(200);
    conn.socket.destroy();
  });

  it('closes after a reply to Connection: close, and after a client that half-closed', async () => {
    const { t, door } = await routerWithWorker();
    const conn = await rawConnect(t.url);
    conn.write(rawPost('/v1/completions', body({ max_tokens: 1 }), 'Connection: close\r\n'));
    await conn.closed();
    expect((await conn.responses(1))[0]?.head).toMatch(/\r\nConnection: close(\r\n|$)/);
    const halfClosed = await rawConnect(t.url);
    // Two pipelined requests, then the client's FIN: both answered in order, then the close.
    halfClosed.socket.end(
      rawPost('/v1/completions', body({ max_tokens: 2 })) + rawPost('/v1/completions', body({ max_tokens: 3 })),
    );
    await halfClosed.closed();
    expect((await halfClosed.responses(2)).map((r) => text(r.body))).toEqual(['ab', 'abc']);
    expect(door.handedOff).toBe(0);
    await waitUntil(() => door.size === 0, 2, 'no connection left in the door');
  });

  it("closes an idle kept-alive connection after node:http's keepAliveTimeout, and answers 408 to a stalled head", async () => {
    const { t, door } = await routerWithWorker();
    // node:http's defaults are 5 s and 60 s; the door reads them from the server (checked every second).
    t.router.service.httpServer.keepAliveTimeout = 200;
    t.router.service.httpServer.headersTimeout = 300;
    const idle = await rawConnect(t.url);
    idle.write(rawPost('/v1/completions', body({ max_tokens: 1 })));
    expect((await idle.responses(1))[0]?.status).toBe(200);
    const stalled = await rawConnect(t.url);
    stalled.write('POST /v1/completions HTTP/1.1\r\nHost: x\r\n');
    await idle.closed(3);
    await stalled.closed(3);
    expect(stalled.received()).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    expect(door.size).toBe(0);
  });

  it('forgets a half-sent request whose client left, and keeps serving', async () => {
    const { t, worker, door } = await routerWithWorker();
    for (const partial of ['POST /v1/compl', rawPost('/v1/completions', body({ max_tokens: 1 })).slice(0, -5)]) {
      const conn = await rawConnect(t.url);
      conn.write(partial);
      await waitUntil(() => door.size === 1, 2, 'the door to hold the connection');
      conn.socket.destroy();
      await waitUntil(() => door.size === 0, 2, 'the door to forget the connection');
    }
    expect(worker.calls.decode).toEqual([]); // nothing half-sent was admitted
    const conn = await rawConnect(t.url);
    conn.write(rawPost('/v1/completions', body({ max_tokens: 1 })));
    expect((await conn.responses(1))[0]?.status).toBe(200);
    conn.socket.destroy();
  });

  it('cancels the decode stream when the client leaves mid-stream', async () => {
    t = await startTestRouter({ fastHttp: true });
    const worker = await t.addWorker({
      workerId: 'decode-0',
      role: 'decode',
      text: 'x'.repeat(200),
      tokenIntervalSeconds: 0.02,
    });
    const conn = await rawConnect(t.url);
    conn.write(rawPost('/v1/completions', body({ max_tokens: 200, stream: true })));
    await waitUntil(() => conn.received().includes('data: {'), 3, 'the first SSE event');
    conn.socket.destroy();
    await waitUntil(() => worker.calls.cancel.length === 1, 3, 'Cancel on the decode worker');
    expect(worker.calls.cancel[0]).toEqual({
      requestId: worker.calls.decode[0]?.requestId,
      reason: 'client disconnected',
    });
    await waitUntil(() => worker.cancelledStreams.length === 1, 3, 'the decode stream to stop');
    await waitUntil(() => t?.router.fastDoor?.size === 0, 2, 'the door to forget the connection');
  });

  it('stops reading a client that pipelines behind a running stream once PIPELINE_BYTES wait', async () => {
    t = await startTestRouter({ fastHttp: true });
    await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'x'.repeat(100), tokenIntervalSeconds: 0.02 });
    const sockets: Socket[] = [];
    t.router.service.httpServer.on('connection', (s: Socket) => sockets.push(s));
    const conn = await rawConnect(t.url);
    // A 2 s stream, then 4 MiB of pipelined requests (≈ 40,000) written behind it.
    conn.write(rawPost('/v1/completions', body({ max_tokens: 100, stream: true })));
    const one = rawPost('/v1/completions', body({ max_tokens: 1 }));
    const flood = one.repeat(Math.ceil((4 * 1024 * 1024) / one.length));
    conn.write(flood);
    await new Promise((r) => setTimeout(r, 500));
    const server = sockets[0] as Socket;
    // Read by the router while the stream runs: at most PIPELINE_BYTES plus the reads in flight when it
    // paused (libuv reads up to 64 KiB at a time), far below the 4 MiB sent (the rest waits in the kernel).
    expect(server.bytesRead).toBeLessThan(PIPELINE_BYTES + 4 * 64 * 1024 + 2 * one.length);
    expect(server.isPaused()).toBe(true);
    conn.socket.destroy();
  });
});
