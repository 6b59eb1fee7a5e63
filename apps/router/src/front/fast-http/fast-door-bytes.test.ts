// The fast door answers with the bytes node:http answers with: the same requests on one keep-alive
// connection to a router with the fast door and to one without it give the same status lines, headers in
// the same order, bodies and framing (JSON replies, SSE in chunked framing, 400 and 503 errors with their
// OpenAI bodies and Retry-After, Connection: close), once the values that differ per request by design are
// masked: the Date header, request ids (32 random hex digits), `created` seconds and the measured times
// in `oicf` (`ttft_seconds`, …). Masked times change the lengths, so the comparison is of the decoded
// bodies and of heads with Content-Length masked; the framing itself is checked on each raw response
// (Content-Length equals the body's bytes, chunked bodies end in the zero chunk, nothing left over).
import { afterEach, describe, expect, it } from 'vitest';
import { type RawResponse, rawConnect, rawPost, splitResponses } from '../../testing/raw-http.js';
import { startTestRouter, type TestRouter } from '../../testing/router-harness.js';

const routers: TestRouter[] = [];
afterEach(async () => {
  await Promise.all(routers.splice(0).map((r) => r.close()));
});

const mask = (s: string) =>
  s
    .replace(/\r\nDate: [^\r]*/g, '\r\nDate: <date>')
    .replace(/\r\ncontent-length: \d+/g, '\r\ncontent-length: <n>')
    .replace(/[0-9a-f]{32}/g, '<id>')
    .replace(/"created":\d+/g, '"created":<s>')
    .replace(/"((?:ttft|e2e|queue|prefill|kv_transfer|decode)_seconds)":[0-9.e-]+/g, '"$1":<t>');

const completion = (body: Record<string, unknown>) => JSON.stringify({ model: 'tiny-gqa', ...body });

/** Sends every request on one connection, in turn; returns each raw response (masked). */
async function exchange(t: TestRouter, requests: string[]): Promise<string[]> {
  const conn = await rawConnect(t.url);
  const out: string[] = [];
  for (const r of requests) {
    conn.write(r);
    const last = (await conn.responses(out.length + 1)).at(-1) as RawResponse;
    const length = /\r\ncontent-length: (\d+)/.exec(last.head);
    if (length !== null) expect(Buffer.byteLength(last.body)).toBe(Number(length[1]));
    else expect(last.rawBody.endsWith('\r\n0\r\n\r\n')).toBe(true);
    out.push(mask(`${last.head}\r\n\r\n${last.body}`));
  }
  // Nothing beyond the responses came (no stray bytes, no second reply to one request).
  await new Promise((r) => setTimeout(r, 20));
  expect(splitResponses(conn.received()).length).toBe(requests.length);
  conn.socket.destroy();
  return out;
}

describe('fast door replies', () => {
  it('are the bytes node:http sends, for replies, streams and errors', async () => {
    const fast = await startTestRouter({ fastHttp: true });
    const node = await startTestRouter({ fastHttp: false });
    routers.push(fast, node);
    expect(fast.router.fastDoor).toBeDefined();
    expect(node.router.fastDoor).toBeUndefined();
    const seenByNode: string[] = [];
    fast.router.service.httpServer.on('request', (req) => seenByNode.push(req.url ?? ''));

    // No decode worker yet: admission refuses (503 + Retry-After).
    const unavailable = [rawPost('/v1/completions', completion({ prompt: 'hi', max_tokens: 2 }))];
    expect(await exchange(fast, unavailable)).toEqual(await exchange(node, unavailable));
    expect((await exchange(fast, unavailable))[0]).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);

    for (const t of [fast, node]) await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'héllo' });
    const requests = [
      rawPost('/v1/completions', completion({ prompt: 'hi', max_tokens: 3, temperature: 0 })),
      rawPost(
        '/v1/chat/completions',
        completion({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 4, temperature: 0 }),
      ),
      rawPost('/v1/completions', '{"model": "tiny-gqa", "prompt": '),
      rawPost('/v1/completions', ''),
      rawPost('/v1/completions', completion({ prompt: 'hi', max_tokens: -1 })),
      rawPost('/v1/completions', completion({ prompt: 'hi', max_tokens: 6, stream: true, temperature: 0 })),
      rawPost(
        '/v1/chat/completions',
        completion({
          messages: [{ role: 'user', content: 'hi' }],
          max_tokens: 3,
          stream: true,
          stream_options: { include_usage: true },
        }),
        'x-oicf-session-id: s-1\r\n',
      ),
      rawPost('/v1/completions', completion({ prompt: 'bye', max_tokens: 2 }), 'Connection: close\r\n'),
    ];
    const viaFast = await exchange(fast, requests);
    const viaNode = await exchange(node, requests);
    expect(viaFast).toEqual(viaNode);
    expect(viaFast.map((r) => r.slice(0, r.indexOf('\r\n')))).toEqual([
      'HTTP/1.1 200 OK',
      'HTTP/1.1 200 OK',
      'HTTP/1.1 400 Bad Request',
      'HTTP/1.1 400 Bad Request',
      'HTTP/1.1 400 Bad Request',
      'HTTP/1.1 200 OK',
      'HTTP/1.1 200 OK',
      'HTTP/1.1 200 OK',
    ]);
    expect(viaFast[5]).toContain('\r\nTransfer-Encoding: chunked\r\n');
    expect(viaFast[5]).toContain('data: [DONE]');
    expect(viaFast[7]).toContain('\r\nConnection: close\r\n');
    // Every generation request above was served by the fast door: node:http saw none of them.
    expect(seenByNode).toEqual([]);
    expect(fast.router.fastDoor?.handedOff).toBe(0);
  });
});
