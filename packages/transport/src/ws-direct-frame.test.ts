// The direct single-buffer frame against ws's own framing, over real sockets on 127.0.0.1.
import { createHash } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { zeroMask } from './ws-client.js';
import { binaryFrame, writeDirect } from './ws-direct-frame.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** A ws server whose connections' messages (as buffers) are collected in `got`. */
async function server(): Promise<{ url: string; got: Buffer[]; conns: WebSocket[] }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const got: Buffer[] = [];
  const conns: WebSocket[] = [];
  wss.on('connection', (ws) => {
    conns.push(ws);
    ws.on('message', (d: Buffer) => got.push(d));
  });
  cleanups.push(() => wss.close());
  return { url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`, got, conns };
}

async function open(url: string, options: ConstructorParameters<typeof WebSocket>[2]): Promise<WebSocket> {
  const ws = new WebSocket(url, options);
  cleanups.push(() => ws.terminate());
  await new Promise<void>((r) => ws.once('open', () => r()));
  return ws;
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
};

/** Bytes a raw TCP server receives from a ws client sending `send(ws)` (the handshake's reply faked). */
async function wireBytes(send: (ws: WebSocket) => void): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let conn: Socket | undefined;
  const tcp = createServer((c) => {
    conn = c;
    c.once('data', (req) => {
      const key = /sec-websocket-key: (\S+)/i.exec(req.toString())?.[1] ?? '';
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      c.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      c.on('data', (d) => chunks.push(d));
    });
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  cleanups.push(() => tcp.close());
  const ws = await open(`ws://127.0.0.1:${(tcp.address() as { port: number }).port}`, {
    perMessageDeflate: false,
    generateMask: zeroMask,
  });
  send(ws);
  await new Promise((r) => setTimeout(r, 50));
  conn?.destroy();
  return Buffer.concat(chunks);
}

describe('direct WebSocket frames', () => {
  it('are the bytes ws writes for the same message (client, zero mask), short and 16-bit lengths', async () => {
    for (const n of [0, 5, 125, 126, 300, 65535]) {
      const data = Buffer.alloc(n, 7);
      const viaWs = await wireBytes((ws) => ws.send(data, { binary: true, fin: true }));
      const direct = await wireBytes((ws) => expect(writeDirect(ws, data, () => {})).toBe(true));
      expect(direct.equals(viaWs)).toBe(true);
      // Hand-derived head: FIN|binary = 0x82; mask bit 0x80 | length (≤ 125) or 126 + 16-bit length; 4 zero key bytes.
      const head = n <= 125 ? [0x82, 0x80 | n, 0, 0, 0, 0] : [0x82, 0x80 | 126, n >> 8, n & 0xff, 0, 0, 0, 0];
      expect([...binaryFrame(data, true).subarray(0, head.length)]).toEqual(head);
    }
  });

  it('reach a ws peer as the messages sent, in order with ws sends, both ways', async () => {
    const s = await server();
    const client = await open(s.url, { perMessageDeflate: false, generateMask: zeroMask });
    await until(() => s.conns.length === 1);
    expect(writeDirect(client, Buffer.from('one'), () => {})).toBe(true);
    client.send(Buffer.from('two'));
    expect(writeDirect(client, Buffer.alloc(1000, 1), () => {})).toBe(true);
    await until(() => s.got.length === 3);
    expect(s.got.map((b) => b.length)).toEqual([3, 3, 1000]);
    expect(s.got[0]?.toString()).toBe('one');
    expect(s.got[1]?.toString()).toBe('two');
    // Server to client: unmasked.
    const back: Buffer[] = [];
    client.on('message', (d: Buffer) => back.push(d));
    expect(writeDirect(s.conns[0] as WebSocket, Buffer.from('back'), () => {})).toBe(true);
    await until(() => back.length === 1);
    expect(back[0]?.toString()).toBe('back');
  });

  it('leaves to ws a client with random masks, a payload above 64 KiB, and permessage-deflate', async () => {
    const s = await server();
    const random = await open(s.url, { perMessageDeflate: false });
    expect(writeDirect(random, Buffer.from('x'), () => {})).toBe(false);
    const zero = await open(s.url, { perMessageDeflate: false, generateMask: zeroMask });
    expect(writeDirect(zero, Buffer.alloc(65536), () => {})).toBe(false);
    const wssDeflate = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true });
    await new Promise<void>((r) => wssDeflate.once('listening', () => r()));
    cleanups.push(() => wssDeflate.close());
    const deflating = await open(`ws://127.0.0.1:${(wssDeflate.address() as { port: number }).port}`, {
      perMessageDeflate: true,
      generateMask: zeroMask,
    });
    expect(writeDirect(deflating, Buffer.from('x'), () => {})).toBe(false);
  });
});
