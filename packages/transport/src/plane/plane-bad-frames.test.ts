// The router's end of the request plane (PlaneChannel) against a worker that sends bad frames, over a real
// WebSocket on 127.0.0.1 port 0. What the router must do: a frame it cannot trust ends the channel (every
// open call fails with UNAVAILABLE naming the worker and what was wrong), a well-formed frame for a request
// it does not know is dropped, and the router process keeps running (the test process is the router).
import type { SequenceOutput__Output } from '@oicf/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { DEFAULT_MAX_FRAME_BYTES, decodeFrame, encodeFrame, packEnvelope } from '../frame-codec.js';
import { CONNECTION_SCOPE_ID } from '../frame-socket.js';
import type { OicfError } from '../oicf-error.js';
import { type PlaneCall, PlaneChannel } from './plane-channel.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A raw ws server standing in for a worker: `onDecode` runs with the socket once a `decode` frame arrived. */
async function rawWorker(onDecode: (ws: WebSocket) => void): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
  await new Promise<void>((r) => wss.once('listening', () => r()));
  wss.on('connection', (ws) => {
    ws.on('message', (data: Buffer) => {
      // The channel's first frame is its credit grant; the call's `decode` frame comes after it (msgpack: this
      // stand-in does not answer the hot-frames upgrade header).
      const decoded = decodeFrame(data);
      if (decoded.ok && decoded.frame.kind === 'decode') onDecode(ws);
    });
  });
  const { port } = wss.address() as { port: number };
  return `ws://127.0.0.1:${port}`;
}

async function channel(url: string, problems: OicfError[] = []): Promise<PlaneChannel> {
  const c = await PlaneChannel.connect(url, {
    peer: 'decode worker w0',
    tickSeconds: 0.05,
    livenessTimeoutSeconds: 5,
    auth: null,
    onProblem: (e) => problems.push(e),
  });
  cleanups.push(() => c.close());
  return c;
}

function recorder(id: string) {
  const got = { outputs: [] as SequenceOutput__Output[], closed: undefined as OicfError | undefined };
  const call: PlaneCall = {
    id,
    idleTimeoutMs: 0,
    lastFrameMs: 0,
    onFrame: () => {},
    onOutput: (o) => got.outputs.push(o),
    onClosed: (e) => {
      got.closed = e;
    },
    onIdle: () => {},
  };
  return { call, got };
}

const until = async (cond: () => boolean, what: string) => {
  const end = Date.now() + 3000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

const step = (requestId: string, tokenIds: number[]) =>
  packEnvelope('decode.step', CONNECTION_SCOPE_ID, {
    outputs: [{ firstTokenIndex: 0, chunk: { requestId, tokenIds } }],
  });

describe('request plane, router end: bad frames from a worker', () => {
  it('garbage bytes end the channel: every open call fails with UNAVAILABLE naming the worker and the bad frame', async () => {
    const url = await rawWorker((ws) => ws.send(Buffer.from([0xc1, 0xff, 0x00, 0x13])));
    const c = await channel(url);
    const a = recorder('a');
    const b = recorder('b');
    c.start(a.call, 'decode', { requestId: 'a', promptTokenIds: [1], maxTokens: 4 });
    c.start(b.call, 'decode', { requestId: 'b', promptTokenIds: [1], maxTokens: 4 });
    await until(() => a.got.closed !== undefined && b.got.closed !== undefined, 'both calls to fail');
    for (const got of [a.got, b.got]) {
      expect(got.closed?.code).toBe('UNAVAILABLE');
      expect(got.closed?.message).toMatch(/^request channel to decode worker w0 closed: it sent a bad frame \(/);
      expect(got.outputs).toEqual([]);
    }
    expect(c.isOpen).toBe(false);
    expect(c.numOpenCalls).toBe(0);
  });

  it('a step frame whose outputs are not a list ends the channel, and the error names the field', async () => {
    const url = await rawWorker((ws) => ws.send(packEnvelope('decode.step', CONNECTION_SCOPE_ID, { outputs: 'x' })));
    const c = await channel(url);
    const a = recorder('a');
    c.start(a.call, 'decode', { requestId: 'a', promptTokenIds: [1], maxTokens: 4 });
    await until(() => a.got.closed !== undefined, 'the call to fail');
    expect(a.got.closed?.message).toMatch(/bad frame \(.*outputs/);
    expect(a.got.outputs).toEqual([]);
  });

  it('a binary step frame cut short ends the channel, and the error names the field it was cut in', async () => {
    const body = { outputs: [{ firstTokenIndex: 0, chunk: { requestId: 'a', tokenIds: [104, 105] } }] };
    const whole = encodeFrame('decode.step', CONNECTION_SCOPE_ID, body, DEFAULT_MAX_FRAME_BYTES, true);
    // marker+type 2, id 3, outputs count 4, firstTokenIndex 4, has 1, requestId 3, tokenIds count 4, one id 4
    const url = await rawWorker((ws) => ws.send(whole.subarray(0, 2 + 3 + 4 + 4 + 1 + 3 + 4 + 4)));
    const c = await channel(url);
    const a = recorder('a');
    c.start(a.call, 'decode', { requestId: 'a', promptTokenIds: [1], maxTokens: 4 });
    await until(() => a.got.closed !== undefined, 'the call to fail');
    expect(whole[0]).toBe(0xc1);
    expect(a.got.closed?.message).toMatch(
      /bad frame \(bad decode\.step body: body\.outputs\[0\]\.chunk\.tokenIds: count 2 needs at least 8 bytes, the frame has 4 left\)/,
    );
    expect(a.got.outputs).toEqual([]);
  });

  it('a step for a request the router does not know is dropped; the known request still gets its tokens', async () => {
    const url = await rawWorker((ws) => {
      ws.send(step('stranger', [9, 9]));
      ws.send(step('a', [104, 105]));
    });
    const problems: OicfError[] = [];
    const c = await channel(url, problems);
    const a = recorder('a');
    c.start(a.call, 'decode', { requestId: 'a', promptTokenIds: [1], maxTokens: 4 });
    await until(() => a.got.outputs.length === 1, "a's tokens");
    expect(a.got.outputs[0]?.chunk?.tokenIds).toEqual([104, 105]);
    expect(a.got.closed).toBeUndefined();
    expect(c.isOpen).toBe(true);
    expect(c.numOpenCalls).toBe(1);
    expect(problems).toEqual([]);
  });
});
