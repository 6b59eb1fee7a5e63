// Split frames: a large bytes field sent as its own WebSocket fragment, and decoded without a join.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { decodeFrame, encodeFrame } from './frame-codec.js';
import { decodeFrameParts, encodeFrameParts, SPLIT_MIN_BYTES } from './frame-parts.js';
import { connectWs } from './ws-client.js';
import { startWsServer } from './ws-server.js';

/** Bytes i·7 + seed (mod 256): any mix-up of offsets shows as a mismatch. */
const bytes = (n: number, seed = 0) => Buffer.from(Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff));
const put = (payload: Uint8Array) => ({ blockId: 'b1', checksum: 7, payload, numTokens: 64, sessionId: 's' });

function decodedBody(result: ReturnType<typeof decodeFrame>) {
  if (!result.ok) throw result.error;
  return result.frame.body;
}

describe('encodeFrameParts', () => {
  it('keeps a frame whose bytes are below SPLIT_MIN_BYTES whole, byte for byte as encodeFrame', () => {
    const body = put(bytes(SPLIT_MIN_BYTES - 1));
    const parts = encodeFrameParts('kv.put', 'c1-1', body);
    expect(parts).toHaveLength(1);
    expect(Buffer.from(parts[0] as Uint8Array).equals(encodeFrame('kv.put', 'c1-1', body))).toBe(true);
  });

  // The bin header is the smallest that holds n: bin16 (0xc5, u16 BE) up to 0xffff, else bin32 (0xc6, u32 BE).
  // 16384 = 0x4000; 65535 = 0xffff; 65536 = 0x0001_0000; 70000 = 0x0001_1170.
  it.each([
    [16384, [0xc5, 0x40, 0x00]],
    [65535, [0xc5, 0xff, 0xff]],
    [65536, [0xc6, 0x00, 0x01, 0x00, 0x00]],
    [70000, [0xc6, 0x00, 0x01, 0x11, 0x70]],
  ])('sends %i payload bytes as [envelope head ending in its bin header, the payload itself]', (n, header) => {
    const payload = bytes(n);
    const [head, tail, ...rest] = encodeFrameParts('kv.put', 'c1-2', put(payload));
    expect(rest).toEqual([]);
    expect(tail).toBe(payload); // the caller's buffer, not a copy
    expect([...(head as Uint8Array).subarray(-header.length)]).toEqual(header);
    // Joined, the parts are an ordinary envelope carrying the same body as the one-piece encoding.
    const joined = Buffer.concat([head as Uint8Array, payload]);
    expect(decodedBody(decodeFrame(joined))).toEqual(
      decodedBody(decodeFrame(encodeFrame('kv.put', 'c1-2', put(payload)))),
    );
  });

  it('refuses what encodeFrame refuses: a bad body, or a frame over the limit counted with its payload', () => {
    expect(() => encodeFrameParts('kv.put', 'c1-3', { blockId: 5 } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'body.blockId' }),
    );
    expect(() => encodeFrameParts('kv.put', 'c1-4', put(bytes(SPLIT_MIN_BYTES)), SPLIT_MIN_BYTES)).toThrow(
      expect.objectContaining({ code: 'FRAME_TOO_LARGE' }),
    );
  });
});

describe('decodeFrameParts', () => {
  it('puts the payload fragment into the body as is (no join, no copy)', () => {
    const payload = bytes(100_000, 3);
    const parts = encodeFrameParts('kv.put', 'c2-1', put(payload));
    const result = decodeFrameParts(parts);
    expect(result.ok && result.frame.kind === 'kv.put' && result.frame.body.payload).toBe(payload);
    expect(decodedBody(result)).toMatchObject({ blockId: 'b1', checksum: 7, numTokens: 64, sessionId: 's' });
  });

  // Any other fragmentation (other peers may fragment as they like) decodes as the joined message would.
  const message = Buffer.concat(encodeFrameParts('kv.put', 'c2-2', put(bytes(20_000, 5))));
  it.each([
    ['one fragment', [message]],
    ['cut inside the envelope', [message.subarray(0, 10), message.subarray(10)]],
    ['cut inside the payload', [message.subarray(0, 5000), message.subarray(5000)]],
    ['three fragments', [message.subarray(0, 40), message.subarray(40, 9000), message.subarray(9000)]],
  ])('decodes %s like the joined message', (_name, parts) => {
    const result = decodeFrameParts(parts);
    expect(decodedBody(result)).toEqual(decodedBody(decodeFrame(message)));
  });

  // A head that merely ends in bytes looking like a bin header of the tail's length (here: the last bytes
  // of a small payload) must not be taken for one. Joined, these messages carry trailing bytes after a
  // complete envelope, which decodeFrame refuses; decodeFrameParts must refuse them the same way.
  it.each([
    ['bin16-like', [0xc5, 0x40, 0x00], 16384],
    ['bin8-like (same length as the placeholder)', [0xc4, 0x05], 5],
  ])('does not mistake %s bytes at the end of another field for the payload header', (_name, tailBytes, n) => {
    const head = encodeFrame('kv.put', 'c2-3', { blockId: 'b1', payload: Uint8Array.from([1, 2, ...tailBytes]) });
    const tail = bytes(n);
    const expected = decodeFrame(Buffer.concat([head, tail]));
    expect(expected).toMatchObject({ ok: false, error: { code: 'PROTOCOL_ERROR' } });
    expect(decodeFrameParts([head, tail])).toMatchObject({ ok: false, error: { code: 'PROTOCOL_ERROR' }, fatal: true });
  });

  it('refuses fragments over the limit in total, before decoding them', () => {
    const parts = encodeFrameParts('kv.put', 'c2-4', put(bytes(SPLIT_MIN_BYTES)));
    expect(decodeFrameParts(parts, SPLIT_MIN_BYTES)).toMatchObject({
      ok: false,
      error: { code: 'FRAME_TOO_LARGE' },
      fatal: true,
    });
  });
});

describe('split frames over real sockets', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('round-trips large payloads both ways, and a plain ws peer sees ordinary whole messages', async () => {
    const received: Buffer[] = [];
    const s = await startWsServer({
      onFrame: async (frame, conn) => {
        if (frame.kind === 'kv.put') {
          received.push(frame.body.payload);
          await conn.send('kv.block', frame.id, { blockId: frame.body.blockId, payload: bytes(300_000, 9) });
        }
      },
    });
    cleanups.push(() => s.close());
    const c = await connectWs(s.url);
    cleanups.push(() => c.close());

    const sent = bytes(100_000, 1);
    const reply = await c.request('kv.put', put(sent), 'kv.block');
    expect(received[0]?.equals(sent)).toBe(true);
    expect(reply.body.payload.equals(bytes(300_000, 9))).toBe(true);

    // A bare ws client (random masks, joined messages): sends a frame in three fragments and gets the
    // server's split frame back as one message that decodeFrame reads.
    const raw = new WebSocket(s.url);
    cleanups.push(async () => raw.terminate());
    await new Promise((r) => raw.once('open', r));
    const next = new Promise<Buffer>((r) => raw.once('message', (data: Buffer) => r(data)));
    const whole = encodeFrame('kv.put', 'raw-1', put(bytes(50_000, 2)));
    raw.send(whole.subarray(0, 30), { fin: false });
    raw.send(whole.subarray(30, 20_000), { fin: false });
    raw.send(whole.subarray(20_000), { fin: true });
    const answer = decodeFrame(await next);
    expect(answer.ok && answer.frame.kind === 'kv.block' && answer.frame.body.payload.equals(bytes(300_000, 9))).toBe(
      true,
    );
    expect(received[1]?.equals(bytes(50_000, 2))).toBe(true);
  });
});
