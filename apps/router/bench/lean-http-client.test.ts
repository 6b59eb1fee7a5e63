import { Agent, request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LeanHttpClient, parseReplyHead, requestBytes } from './lean-http-client.js';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A raw server that records each request's bytes and answers `reply` (a function of the request count). */
async function rawServer(reply: (n: number) => string): Promise<{ url: URL; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((c) => {
    c.on('data', (d) => {
      seen.push(d.toString());
      c.write(reply(seen.length));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: new URL(`http://127.0.0.1:${port}`), seen };
}

const OK = (body: string) => `HTTP/1.1 200 OK\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('lean HTTP client', () => {
  it('writes the bytes node:http writes for the same request', async () => {
    const { url, seen } = await rawServer(() => OK('{}'));
    const body = JSON.stringify({ model: 'm', prompt: [1, 2], max_tokens: 1 });
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: '/v1/completions',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    agent.destroy();
    expect(requestBytes(url, '/v1/completions', body).toString()).toBe(seen[0]);
  });

  it('reads replies by Content-Length on one kept-alive connection, in two pieces or one', async () => {
    // Reply 1 arrives whole; reply 2 too (the server writes each in one write): both on the first socket.
    const { url, seen } = await rawServer((n) => OK(n === 1 ? 'first' : 'second!'));
    const client = new LeanHttpClient(url, '/', '{}');
    const one = await new Promise<[number, string | undefined]>((r) => client.post((ms, e) => r([ms, e])));
    const two = await new Promise<[number, string | undefined]>((r) => client.post((ms, e) => r([ms, e])));
    client.close();
    expect(one[1]).toBeUndefined();
    expect(two[1]).toBeUndefined();
    expect(one[0]).toBeGreaterThanOrEqual(0);
    expect(seen).toHaveLength(2);
  });

  it('reports a non-200 status and a reply without a length as errors', async () => {
    const { url } = await rawServer((n) =>
      n === 1 ? 'HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n' : 'HTTP/1.1 200 OK\r\n\r\n',
    );
    const client = new LeanHttpClient(url, '/', '{}');
    const first = await new Promise<string | undefined>((r) => client.post((_ms, e) => r(e)));
    const second = await new Promise<string | undefined>((r) => client.post((_ms, e) => r(e)));
    client.close();
    expect(first).toBe('HTTP 503');
    expect(second).toBe('reply without Content-Length (status 200)');
  });

  it('parses a head case-insensitively and sees Connection: close', () => {
    expect(parseReplyHead('HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: close')).toEqual({
      status: 200,
      length: 12,
      close: true,
    });
    expect(parseReplyHead('HTTP/1.0 200 OK\r\ncontent-length: 1')).toMatch(/bad status line/);
  });
});
