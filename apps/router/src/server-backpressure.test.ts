// SSE backpressure: a client that stops reading must not make the router buffer its stream. The router
// stops pulling the request's events once the response's buffer is at its high-water mark; the decode
// worker still finishes (its load comes off), the tokens wait in the pipeline as ids, and they go out
// merged into few events when the client reads again.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type CompletionWire, startTestRouter, type TestRouter, waitUntil } from './testing/router-harness.js';

let t: TestRouter | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/**
 * POSTs `body` over a raw socket that reads nothing until resumed: only the kernel's socket buffers take
 * the response (an http client would keep reading into its own buffers).
 */
function postPaused(url: string, path: string, body: unknown): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const json = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.pause();
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: application/json\r\n` +
          `content-length: ${Buffer.byteLength(json)}\r\nconnection: close\r\n\r\n${json}`,
      );
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

/** Decodes an HTTP/1.1 chunked body. */
function unchunk(body: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    const size = Number.parseInt(body.slice(at, eol), 16);
    if (!(size > 0)) return out;
    out += body.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/** What the router buffers for the client: node:http's response, or the fast door's socket. */
interface Buffered {
  readonly writableHighWaterMark: number;
  readonly writableLength: number;
  readonly writableEnded: boolean;
}

describe.each([
  ['node:http', false],
  ['the fast door', true],
])('SSE backpressure (%s)', (_door, fastHttp) => {
  it('a client that stops reading holds about one high-water mark in the router, and gets every token later', async () => {
    t = await startTestRouter({ fastHttp });
    // 8 choices × 4,000 tokens, one token per 1 ms step, with logprobs. Relayed as it comes, one SSE event
    // per token is ~330 bytes (the chunk JSON and its logprobs object), so the stream is ~8 × 4,000 × 330 ≈
    // 10.5 MB: well over what loopback TCP absorbs from a reader that reads nothing (≈ 4 MiB: the send
    // buffer autotunes up to tcp_wmem's default maximum of 4 MiB, the receive window stays at ~128 KiB).
    const numChoices = 8;
    const numTokens = 4000;
    const d0 = await t.addWorker({
      workerId: 'decode-0',
      role: 'decode',
      text: 'x'.repeat(numTokens),
      tokenIntervalSeconds: 0.001,
    });
    const responses: ServerResponse[] = [];
    const sockets: Socket[] = [];
    t.router.service.httpServer.on('request', (_req: IncomingMessage, res: ServerResponse) => responses.push(res));
    t.router.service.httpServer.on('connection', (s: Socket) => sockets.push(s));
    const socket = await postPaused(t.url, '/v1/completions', {
      model: 'tiny-gqa',
      prompt: 'go',
      max_tokens: numTokens,
      n: numChoices,
      stream: true,
      logprobs: 1,
    });
    await waitUntil(() => d0.finishedStreams.length === numChoices, 120, 'the decode worker to finish every choice');
    const served: Buffered = fastHttp
      ? (sockets[0] as Socket)
      : (responses.find((r) => r.req.url === '/v1/completions') as ServerResponse);
    expect(served).toBeDefined();
    if (fastHttp) expect(responses).toEqual([]); // node:http saw no request: the fast door served it
    // The router has either stalled on the full buffer or (without backpressure) written everything.
    const highWaterBytes = served.writableHighWaterMark;
    expect(highWaterBytes).toBe(16 * 1024);
    await waitUntil(
      () => served.writableLength >= highWaterBytes || served.writableEnded,
      30,
      'the router to fill the response buffer or end the response',
    );
    // The worker is done, the client has read nothing: the router holds at most the high-water mark plus
    // the one event whose write found it full. An event carries at most 256 tokens (MAX_TOKENS_PER_EVENT)
    // at ≤ ~40 bytes each merged (text byte, logprob, its one alternative) plus ~300 bytes of envelope, so
    // ≤ ~11 KB; 16 KiB + 16 KiB bounds it. Without backpressure the router would hold the ~10.5 MB stream
    // minus the ~4 MiB the sockets absorbed.
    expect(served.writableEnded).toBe(false);
    expect(served.writableLength).toBeLessThanOrEqual(highWaterBytes + 16 * 1024);

    // The client reads again: every token of every choice arrives, in order, and each choice ends at
    // max_tokens ("length"), then [DONE].
    const parts: Buffer[] = [];
    socket.on('data', (part: Buffer) => parts.push(part));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.resume();
    await closed;
    const raw = Buffer.concat(parts).toString('latin1');
    expect(raw.slice(0, raw.indexOf('\r\n'))).toBe('HTTP/1.1 200 OK');
    const events = Buffer.from(unchunk(raw.slice(raw.indexOf('\r\n\r\n') + 4)), 'latin1')
      .toString('utf8')
      .split('\n\n')
      .filter((e) => e.startsWith('data: '))
      .map((e) => e.slice('data: '.length));
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as CompletionWire);
    expect(chunks.filter((c) => c.error !== undefined)).toEqual([]);
    for (let index = 0; index < numChoices; index++) {
      const mine = chunks.flatMap((c) => c.choices.filter((ch) => ch.index === index));
      expect(mine.map((ch) => ch.text ?? '').join('')).toBe('x'.repeat(numTokens));
      expect(mine.at(-1)?.finish_reason).toBe('length');
    }
  }, 180_000);
});
