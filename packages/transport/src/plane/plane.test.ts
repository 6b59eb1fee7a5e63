// The request plane over real sockets on 127.0.0.1 port 0: a PlaneChannel (router end) against a ws server
// whose handler uses PlaneSessions (worker end).
import type { SequenceOutput__Output } from '@oicf/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { Frame } from '../frame-kinds.js';
import type { OicfError } from '../oicf-error.js';
import { type FrameHandler, startWsServer, type WsServer } from '../ws-server.js';
import { type PlaneCall, PlaneChannel, type PlaneChannelOptions } from './plane-channel.js';
import { type PlaneOutput, PlaneSessions } from './plane-session.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(onFrame: FrameHandler): Promise<WsServer> {
  const s = await startWsServer({ onFrame });
  cleanups.push(() => s.close());
  return s;
}

async function channel(url: string, options: Partial<PlaneChannelOptions> = {}): Promise<PlaneChannel> {
  const c = await PlaneChannel.connect(url, {
    peer: 'decode worker w0',
    tickSeconds: 0.02,
    livenessTimeoutSeconds: 5,
    ...options,
  });
  cleanups.push(() => c.close());
  return c;
}

/** A PlaneCall that records what reached it. */
function recorder(id: string, idleTimeoutMs = 0) {
  const got = {
    outputs: [] as SequenceOutput__Output[],
    frames: [] as Frame[],
    closed: undefined as OicfError | undefined,
    idle: false,
  };
  const call: PlaneCall = {
    id,
    idleTimeoutMs,
    lastFrameMs: 0,
    onFrame: (f) => got.frames.push(f),
    onOutput: (o) => got.outputs.push(o),
    onClosed: (e) => {
      got.closed = e;
    },
    onIdle: () => {
      got.idle = true;
    },
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

const out = (requestId: string, firstTokenIndex: number, tokenIds: number[], last = false): PlaneOutput => ({
  firstTokenIndex,
  chunk: { requestId, tokenIds, ...(last ? { finishReason: 'FINISH_REASON_LENGTH' } : {}) },
});

describe('request plane', () => {
  it('sends the frames of one event-loop turn in one socket write, in order, once the turn ends', async () => {
    const frames: Frame[] = [];
    const s = await server((frame) => {
      frames.push(frame);
    });
    const c = await channel(s.url);
    await until(() => frames.some((f) => f.kind === 'plane.credit'), 'the initial credit');
    type Writes = { writableLength: number; _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
    const socket = (c as unknown as { ws: { _socket: Writes } }).ws._socket;
    // Count the stream's hand-offs to the socket's handle: one _writev (or _write) each.
    const writes: string[] = [];
    for (const method of ['_write', '_writev'] as const) {
      const original = socket[method].bind(socket);
      socket[method] = (...args: unknown[]) => {
        writes.push(method);
        original(...args);
      };
    }
    for (const id of ['a', 'b', 'c']) {
      c.start(recorder(id).call, 'decode', { requestId: id, promptTokenIds: [1, 2], maxTokens: 1 });
    }
    // Held in the corked socket (not yet handed to the kernel) until the turn ends…
    expect(socket.writableLength).toBeGreaterThan(0);
    expect(writes).toEqual([]);
    await new Promise<void>((r) => setImmediate(r));
    // …then written out together: one vectored write for the three frames.
    expect(socket.writableLength).toBe(0);
    expect(writes).toEqual(['_writev']);
    await until(() => frames.filter((f) => f.kind === 'decode').length === 3, 'the three decode frames');
    expect(frames.filter((f) => f.kind === 'decode').map((f) => f.id)).toEqual(['a', 'b', 'c']);
  });

  it('carries two requests in one step frame and routes each output to its own call', async () => {
    const sessions = new PlaneSessions();
    const frames: string[] = [];
    const s = await server((frame, conn) => {
      frames.push(frame.kind);
      if (frame.kind === 'plane.credit') sessions.of(conn).grant(frame.body.numFrames);
      if (frame.kind === 'decode' && frame.id === 'b') {
        // Both sequences produce a token in the same "step": one frame carries both.
        const session = sessions.of(conn);
        session.output(out('a', 0, [104]));
        session.output(out('b', 0, [105], true));
      }
    });
    const c = await channel(s.url);
    const a = recorder('a');
    const b = recorder('b');
    c.start(a.call, 'decode', { requestId: 'a', promptTokenIds: [1], maxTokens: 4 });
    c.start(b.call, 'decode', { requestId: 'b', promptTokenIds: [2], maxTokens: 1 });
    await until(() => a.got.outputs.length === 1 && b.got.outputs.length === 1, 'both outputs');
    expect(a.got.outputs[0]?.chunk?.tokenIds).toEqual([104]);
    expect(b.got.outputs[0]?.chunk).toMatchObject({ tokenIds: [105], finishReason: 'FINISH_REASON_LENGTH' });
    // The first frame the channel sends is its credit grant, then the two requests.
    expect(frames).toEqual(['plane.credit', 'decode', 'decode']);
  });

  it('merges outputs while the worker has no credit, then sends them as one frame', () => {
    const posted: Array<{ kind: string; body: unknown }> = [];
    const abort = new AbortController();
    const conn = {
      connectionId: 1,
      remoteAddress: 'test',
      signal: abort.signal,
      post: (kind: string, _id: string, body: unknown) => {
        posted.push({ kind, body });
        return true;
      },
    } as never;
    const session = new PlaneSessions().of(conn);
    session.output(out('a', 0, [1]));
    session.flush(); // no credit yet: held back
    session.output(out('a', 1, [2]));
    session.output(out('a', 2, [3], true));
    expect(posted).toEqual([]);
    session.grant(1);
    session.flush();
    // One frame, one output: indexes 0..2 in order from index 0, the finish taken from the last.
    expect(posted).toEqual([
      {
        kind: 'decode.step',
        body: {
          outputs: [
            {
              firstTokenIndex: 0,
              chunk: { requestId: 'a', tokenIds: [1, 2, 3], finishReason: 'FINISH_REASON_LENGTH' },
            },
          ],
        },
      },
    ]);
    expect(session.stats).toEqual({ numFrames: 1, numHeldBack: 1 });
  });

  it('merges fields it does not know: lists are concatenated, other fields take the later value', () => {
    const posted: unknown[] = [];
    const conn = {
      connectionId: 2,
      remoteAddress: 'test',
      signal: new AbortController().signal,
      post: (_kind: string, _id: string, body: unknown) => posted.push(body),
    } as never;
    const session = new PlaneSessions().of(conn);
    // A per-token list TokenChunk might gain (say, logprobs) and a scalar: neither is named in the merge.
    const chunk = (ids: number[], perToken: number[], at: number) =>
      ({ requestId: 'a', tokenIds: ids, perToken, emittedAfterSeconds: at }) as PlaneOutput['chunk'];
    session.output({ firstTokenIndex: 0, chunk: chunk([1], [-0.5], 0.1) });
    session.output({ firstTokenIndex: 1, chunk: chunk([2, 3], [-0.25, -1], 0.2) });
    session.grant(1);
    session.flush();
    expect(posted).toEqual([
      {
        outputs: [
          {
            firstTokenIndex: 0,
            chunk: { requestId: 'a', tokenIds: [1, 2, 3], perToken: [-0.5, -0.25, -1], emittedAfterSeconds: 0.2 },
          },
        ],
      },
    ]);
  });

  it('delivers prefill.done and error frames by envelope id, and forgets the call', async () => {
    const s = await server(async (frame, conn) => {
      if (frame.kind !== 'prefill') return;
      if (frame.id === 'bad') throw Object.assign(new Error('kv full'), { code: 'RESOURCE_EXHAUSTED' });
      conn.post('prefill.done', frame.id, { requestId: frame.id, firstTokenId: 7 });
    });
    const c = await channel(s.url);
    const ok = recorder('ok');
    const bad = recorder('bad');
    c.start(ok.call, 'prefill', { requestId: 'ok', tokenIds: [1, 2] });
    c.start(bad.call, 'prefill', { requestId: 'bad', tokenIds: [1, 2] });
    await until(() => ok.got.frames.length === 1 && bad.got.frames.length === 1, 'both replies');
    expect(ok.got.frames[0]).toMatchObject({ kind: 'prefill.done', body: { firstTokenId: 7 } });
    expect(bad.got.frames[0]).toMatchObject({
      kind: 'error',
      body: { code: 'RESOURCE_EXHAUSTED', message: 'kv full' },
    });
    expect(c.numOpenCalls).toBe(0);
  });

  it('fails every open call with UNAVAILABLE naming the worker when the connection drops, and the worker stops them', async () => {
    const sessions = new PlaneSessions();
    const stopped: string[] = [];
    const s = await server((frame, conn) => {
      if (frame.kind !== 'decode') return;
      sessions.of(conn).requests.set(frame.id, (reason) => stopped.push(`${frame.id}: ${reason}`));
      if (frame.id === 'b') conn.close(); // the worker side drops the connection
    });
    const c = await channel(s.url);
    const a = recorder('a');
    const b = recorder('b');
    c.start(a.call, 'decode', { requestId: 'a', promptTokenIds: [1], maxTokens: 4 });
    c.start(b.call, 'decode', { requestId: 'b', promptTokenIds: [1], maxTokens: 4 });
    await until(() => a.got.closed !== undefined && b.got.closed !== undefined, 'both calls to fail');
    expect(a.got.closed?.code).toBe('UNAVAILABLE');
    expect(a.got.closed?.message).toMatch(/^request channel to decode worker w0 closed/);
    expect(c.isOpen).toBe(false);
    expect(() => c.start(recorder('c').call, 'decode', { requestId: 'c' })).toThrow(/decode worker w0 closed/);
    await until(() => stopped.length === 2, 'the worker to stop both requests');
    expect(stopped.sort()).toEqual([
      expect.stringMatching(/^a: the request channel from .* closed$/),
      expect.stringMatching(/^b: the request channel from .* closed$/),
    ]);
  });

  it('declares a peer that answers no ping dead within the liveness timeout', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: false });
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    await new Promise<void>((r) => wss.once('listening', () => r()));
    const { port } = wss.address() as { port: number };
    const c = await channel(`ws://127.0.0.1:${port}`, { livenessTimeoutSeconds: 0.1 });
    const a = recorder('a');
    c.start(a.call, 'decode', { requestId: 'a' });
    const t0 = Date.now();
    await until(() => a.got.closed !== undefined, 'the call to fail');
    // 0.1 s without a pong, checked every 0.02 s: well under the 3 s wait.
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(a.got.closed?.message).toMatch(/answered nothing \(not even a ping\) for 0.1 s/);
  });

  it('cancels a call idle past its limit, and a cancel reaches only its own connection', async () => {
    const sessions = new PlaneSessions();
    const cancels: string[] = [];
    const s = await server((frame, conn) => {
      const session = sessions.of(conn);
      if (frame.kind === 'decode') session.requests.set(frame.id, () => cancels.push(frame.id));
      if (frame.kind === 'cancel') session.requests.get(frame.body.requestId)?.(frame.body.reason);
    });
    const c1 = await channel(s.url);
    const c2 = await channel(s.url);
    const idle = recorder('x', 50);
    c1.start(idle.call, 'decode', { requestId: 'x' });
    c2.start(recorder('y').call, 'decode', { requestId: 'y' });
    await until(() => idle.got.idle, 'the idle timeout');
    await until(() => cancels.length === 1, 'the cancel');
    // Connection 2 asking to cancel x (not its request) changes nothing.
    c2.cancel('x', 'not mine');
    c2.cancel('y', 'done');
    await until(() => cancels.length === 2, 'the second cancel');
    expect(cancels).toEqual(['x', 'y']);
  });

  it('stop() sends cancel and keeps the call open: the worker’s cancelled finish still reaches it', async () => {
    const sessions = new PlaneSessions();
    const s = await server((frame, conn) => {
      const session = sessions.of(conn);
      if (frame.kind === 'plane.credit') session.grant(frame.body.numFrames);
      if (frame.kind === 'decode') {
        session.output(out(frame.id, 0, [104]));
        // As the decode worker does on cancel: the sequence ends with a cancelled finish and its usage.
        session.requests.set(frame.id, () =>
          session.output({
            firstTokenIndex: 1,
            chunk: {
              requestId: frame.id,
              tokenIds: [],
              finishReason: 'FINISH_REASON_CANCELLED',
              usage: { numCompletionTokens: 1 },
            },
          }),
        );
      }
      if (frame.kind === 'cancel') session.requests.get(frame.body.requestId)?.(frame.body.reason);
    });
    const c = await channel(s.url);
    const a = recorder('a');
    c.start(a.call, 'decode', { requestId: 'a' });
    await until(() => a.got.outputs.length === 1, 'the first token');
    c.stop('a', 'stop string');
    await until(() => a.got.outputs.length === 2, 'the cancelled finish');
    expect(a.got.outputs[1]?.chunk).toMatchObject({
      finishReason: 'FINISH_REASON_CANCELLED',
      usage: { numCompletionTokens: 1 },
    });
    // Still open until its owner ends it (cancel() would have forgotten it, and the finish been dropped).
    expect(c.numOpenCalls).toBe(1);
    c.end('a');
    expect(c.numOpenCalls).toBe(0);
  });
});
