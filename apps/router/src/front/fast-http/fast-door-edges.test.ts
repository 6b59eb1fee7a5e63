// The fast door on a bare node:http server (no router): edge cases of its connection handling, each
// against what node:http itself does on the same bytes.
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { rawConnect } from '../../testing/raw-http.js';
import { waitUntil } from '../../testing/router-harness.js';
import type { GenerateReply } from '../http-generate.js';
import { FastDoor } from './fast-door.js';

let server: Server | undefined;
let doorOf: FastDoor | undefined;
afterEach(async () => {
  await doorOf?.close(0);
  doorOf = undefined;
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

/** node:http answering every request `node <method> <url>`, with the door in front serving /door. */
async function doorServer(reply: GenerateReply, admit: () => (() => void) | undefined = () => () => {}) {
  const s = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end(`node ${req.method} ${req.url}`));
  });
  server = s;
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const door = FastDoor.install(s, {
    routes: new Map([['/door', reply]]),
    maxBodyBytes: 1 << 20,
    nowSeconds: () => 0,
    serving: () => true,
    admit,
  });
  doorOf = door;
  const sockets: Socket[] = [];
  s.on('connection', (c: Socket) => sockets.push(c));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, door, sockets };
}

const post = (path: string, extra = '') => `POST ${path} HTTP/1.1\r\nHost: x\r\ncontent-length: 2\r\n${extra}\r\n{}`;

describe('fast door edges', () => {
  it('releases the client slot of a reply whose last write never finished (the client left)', async () => {
    let released = 0;
    // As a stream's last events: a write of 64 MiB (more than the socket buffers of a client that does
    // not read), then end() queued behind it.
    const big = 'x'.repeat(64 * 1024 * 1024);
    const { url, door } = await doorServer(
      async (_b, _s, res) => {
        res.writeHead(200);
        res.write(big);
        res.end();
      },
      () => () => {
        released++;
      },
    );
    const conn = await rawConnect(url);
    conn.socket.pause();
    conn.write(post('/door'));
    await new Promise((r) => setTimeout(r, 200));
    conn.socket.destroy();
    await waitUntil(() => door.size === 0, 2, 'the door to forget the connection');
    // node:http's ServerResponse emits 'close' when its socket closes, finished or not.
    await waitUntil(() => released === 1, 2, 'the slot released');
  });

  it('closes the connection after a Connection: close reply, reading no more of what the client sends', async () => {
    const { url, door, sockets } = await doorServer(async (_b, _s, res) => {
      res.writeHead(200, ['content-length', '2']);
      res.end('ok');
    });
    // A client that keeps its side open after the server's FIN (allowHalfOpen).
    const { port } = new URL(url);
    const client = connect({ host: '127.0.0.1', port: Number(port), allowHalfOpen: true });
    await new Promise((r) => client.once('connect', r));
    client.on('error', () => {}); // its writes after the server's close fail
    let got = '';
    client.on('data', (d: Buffer) => {
      got += d.toString('latin1');
    });
    client.write(post('/door', 'Connection: close\r\n'));
    await waitUntil(() => got.endsWith('\r\n\r\nok'), 2, 'the reply');
    // The client keeps its side open and keeps sending: 64 MiB the router must not hold.
    const junk = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < 64; i++) client.write(junk);
    await new Promise((r) => setTimeout(r, 500));
    // node:http destroys the socket once a last reply is flushed (destroySoon).
    expect(sockets[0]?.destroyed).toBe(true);
    expect(door.size).toBe(0);
    expect(sockets[0]?.bytesRead).toBeLessThan(8 * 1024 * 1024);
    client.destroy();
  });

  it('stops reading a pipelining client that does not read its replies (replies that end at once)', async () => {
    // Each request is answered at once (as a 400 for a bad body is) with 16 KiB.
    const reply = 'e'.repeat(16 * 1024);
    const { url, sockets } = await doorServer(async (_b, _s, res) => {
      res.writeHead(400, ['content-length', String(reply.length)]);
      res.end(reply);
    });
    const conn = await rawConnect(url);
    conn.socket.pause(); // never reads
    // 4,096 requests (≈ 220 KiB) asking for 64 MiB of replies: beyond what the kernel's buffers hold.
    conn.write(post('/door').repeat(4096));
    await new Promise((r) => setTimeout(r, 1000));
    // node:http stops reading once its replies wait in user space (needDrain); so must the door. A
    // bound of 4 MiB: one read's worth of requests (64 KiB ≈ 1,170 replies would be 18 MiB) is over it.
    expect(sockets[0]?.writableLength).toBeLessThan(4 * 1024 * 1024);
    // Once the client reads, every request is answered.
    let bytes = 0;
    conn.socket.on('data', (d: Buffer) => {
      bytes += d.length;
    });
    conn.socket.resume();
    const one = (await conn.responses(1))[0];
    const replyBytes = (one?.head.length ?? 0) + 4 + reply.length;
    await waitUntil(() => bytes === 4096 * replyBytes, 10, 'all 4,096 replies');
    conn.socket.destroy();
  });
});
