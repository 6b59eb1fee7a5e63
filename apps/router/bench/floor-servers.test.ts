// The bench's floors must serve the same thing for their CPU figures to compare: the node:net floor, its
// relay and the door floor answer the bench's request with the node:http floor's bytes (the Date value
// aside), pipelined requests in order, and the net floor refuses what its minimal reader does not take
// with 400 and a close instead of hanging.
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { requestBytes } from './lean-http-client.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** Starts a floor script and resolves with the JSON line it prints when listening. */
function start(file: string, args: string[] = [], nodeArgs: string[] = []): Promise<{ url: string; port: number }> {
  const child = spawn(process.execPath, [...nodeArgs, join(HERE, file), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) resolve(JSON.parse(line) as { url: string; port: number });
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

/** Writes `bytes` in one write and collects what comes back until `enough` says so, or the server closes. */
function exchange(
  url: string,
  bytes: Buffer | string,
  enough: (got: string) => boolean,
): Promise<{ got: string; closed: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let got = '';
    socket.on('data', (d) => {
      got += d.toString('latin1');
      if (enough(got)) {
        socket.destroy();
        resolve({ got, closed: false });
      }
    });
    socket.on('end', () => resolve({ got, closed: true }));
    socket.on('error', reject);
    socket.write(bytes);
  });
}

const BODY = JSON.stringify({ model: 'tiny-gqa', prompt: [1, 2, 3, 4, 5, 6, 7, 8], max_tokens: 1 });
const noDate = (s: string) => s.replace(/\r\nDate: [^\r]*/g, '\r\nDate: -');
const replies = (s: string) => s.split('HTTP/1.1 ').length - 1;

describe('the router bench floors', () => {
  it('answer the bench request with the node:http floor bytes, one reply per pipelined request', async () => {
    const http = await start('http-floor-server.mjs');
    const net = await start('net-floor-server.mjs');
    const peer = await start('net-floor-server.mjs', ['--peer']);
    const relay = await start('net-floor-server.mjs', ['--relay', String(peer.port)]);
    const door = await start('door-floor-server.ts', [], ['--import', 'tsx']);
    const one = (url: string) => Buffer.from(requestBytes(new URL(url), '/', BODY));
    const reference = await exchange(http.url, one(http.url), (g) => g.endsWith('}}'));
    expect(reference.got).toMatch(/^HTTP\/1\.1 200 OK\r\ncontent-type: application\/json\r\ncontent-length: \d+\r\n/);
    for (const server of [net, relay, door]) {
      const single = await exchange(server.url, one(server.url), (g) => g.endsWith('}}'));
      expect(noDate(single.got)).toBe(noDate(reference.got));
      // Three requests in one write: three replies, in one stream, each the same bytes.
      const three = Buffer.concat([one(server.url), one(server.url), one(server.url)]);
      const piped = await exchange(server.url, three, (g) => replies(g) === 3 && g.endsWith('}}'));
      expect(noDate(piped.got)).toBe(noDate(reference.got).repeat(3));
    }
  });

  it.each([
    ['a request without Content-Length', 'POST / HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['HTTP/1.0', 'POST / HTTP/1.0\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}'],
    ['a signed Content-Length', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +2\r\n\r\n{}'],
    ['a body over 1 MiB', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1048577\r\n\r\n'],
    ['a head over 16 KiB', `POST / HTTP/1.1\r\nx-pad: ${'a'.repeat(16 * 1024 + 1)}`],
  ])('the net floor answers %s with 400 and a close', async (_what, bytes) => {
    const net = await start('net-floor-server.mjs');
    const { got, closed } = await exchange(net.url, bytes, () => false);
    expect(got).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    expect(closed).toBe(true);
    // Still serving.
    const ok = await exchange(net.url, requestBytes(new URL(net.url), '/', BODY), (g) => g.endsWith('}}'));
    expect(ok.got.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
  });
});
