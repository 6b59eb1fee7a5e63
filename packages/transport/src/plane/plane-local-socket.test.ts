// Request channels to a worker on this host go through its Unix socket twin (local-socket.ts); over real
// sockets: 127.0.0.1 port 0, the socket file in the temp directory.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SequenceOutput__Output } from '@oicf/proto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Frame } from '../frame-kinds.js';
import { localSocketPath, localSocketUrl } from '../local-socket.js';
import { startWsServer, type WsConnection, type WsServer, type WsServerOptions } from '../ws-server.js';
import { type PlaneCall, PlaneChannel, type PlaneChannelOptions } from './plane-channel.js';
import { PlaneSessions } from './plane-session.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A worker end that answers every decode with one output of token 104, and records who connected. */
async function worker(options: Partial<WsServerOptions> = {}): Promise<{ server: WsServer; from: string[] }> {
  const sessions = new PlaneSessions();
  const from: string[] = [];
  const server = await startWsServer({
    ...options,
    onFrame: (frame: Frame, conn: WsConnection) => {
      if (frame.kind === 'plane.credit') {
        from.push(conn.remoteAddress);
        sessions.of(conn).grant(frame.body.numFrames);
      }
      if (frame.kind === 'decode') {
        sessions.of(conn).output({
          firstTokenIndex: 0,
          chunk: { requestId: frame.id, tokenIds: [104], finishReason: 'FINISH_REASON_LENGTH' },
        });
      }
    },
  });
  cleanups.push(() => server.close());
  return { server, from };
}

async function channel(url: string, options: Partial<PlaneChannelOptions> = {}): Promise<PlaneChannel> {
  const c = await PlaneChannel.connect(url, { peer: 'decode worker w0', tickSeconds: 1, livenessTimeoutSeconds: 5, ...options });
  cleanups.push(() => c.close());
  return c;
}

/** Sends one decode on `c` and resolves with its output's token ids. */
function roundTrip(c: PlaneChannel, id: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const call: PlaneCall = {
      id,
      idleTimeoutMs: 0,
      lastFrameMs: 0,
      onFrame: (f) => reject(new Error(`unexpected ${f.kind}`)),
      onOutput: (o: SequenceOutput__Output) => resolve(o.chunk?.tokenIds ?? []),
      onClosed: reject,
      onIdle: () => reject(new Error('idle')),
    };
    c.start(call, 'decode', { requestId: id, promptTokenIds: [1, 2], maxTokens: 1 });
  });
}

describe('local socket paths', () => {
  it('maps ws://127.0.0.1:PORT (and only that) to the ws+unix URL of the port’s socket', () => {
    const path = join(tmpdir(), 'oicf-ws-127.0.0.1-41234.sock');
    expect(localSocketPath(41234)).toBe(path);
    expect(localSocketUrl('ws://127.0.0.1:41234')).toBe(`ws+unix://${path}:/`);
    expect(localSocketUrl('ws://127.0.0.1:41234/plane?x=1')).toBe(`ws+unix://${path}:/plane?x=1`);
    expect(localSocketUrl('ws://10.0.0.7:41234')).toBeUndefined();
    expect(localSocketUrl('ws://localhost:41234')).toBeUndefined();
    expect(localSocketUrl('wss://127.0.0.1:41234')).toBeUndefined();
    expect(localSocketUrl('ws://127.0.0.1')).toBeUndefined();
    expect(localSocketUrl('not a url')).toBeUndefined();
  });
});

describe('request channel to a worker on this host', () => {
  it('goes through the Unix socket, and the server removes the socket file when it closes', async () => {
    const { server, from } = await worker();
    const path = localSocketPath(server.port);
    expect(existsSync(path)).toBe(true);
    const c = await channel(server.url);
    expect(c.isLocalSocket).toBe(true);
    expect(c.url).toBe(server.url);
    expect(await roundTrip(c, 'r1')).toEqual([104]);
    expect(from).toEqual(['unix']);
    await c.close();
    await server.close();
    expect(existsSync(path)).toBe(false);
  });

  it('uses TCP when the server has no socket, when the channel is told not to, and past a dead file', async () => {
    const tcpOnly = await worker({ localSocket: false });
    expect(existsSync(localSocketPath(tcpOnly.server.port))).toBe(false);
    const a = await channel(tcpOnly.server.url);
    expect(a.isLocalSocket).toBe(false);
    expect(await roundTrip(a, 'r1')).toEqual([104]);

    const both = await worker();
    const b = await channel(both.server.url, { localSocket: false });
    expect(b.isLocalSocket).toBe(false);
    expect(await roundTrip(b, 'r2')).toEqual([104]);
    expect(both.from).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+$/)]);

    // A file at the path that nobody listens on (here not even a socket): the channel falls back to TCP.
    const dead = localSocketPath(tcpOnly.server.port);
    writeFileSync(dead, '');
    cleanups.push(() => rmSync(dead, { force: true }));
    const d = await channel(tcpOnly.server.url);
    expect(d.isLocalSocket).toBe(false);
    expect(await roundTrip(d, 'r3')).toEqual([104]);
  });
});
