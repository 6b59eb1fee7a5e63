// The request plane under the cluster secret, on real sockets (127.0.0.1, port 0): the worker end is a ws
// server with this process's credentials installed (as every worker's ws port: the upgrade takes cluster
// members only) whose handler uses PlaneSessions; the router end is PlaneChannel. A peer without a member
// token (or with one of another cluster) cannot open a channel, and none of its frames reaches the handler;
// a member's channel opens and carries its request.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { credentialsFor } from '../auth/cluster-keys.js';
import { setClusterCredentials } from '../auth/process-auth.js';
import { encodeFrame } from '../frame-codec.js';
import type { Frame } from '../frame-kinds.js';
import { startWsServer, type WsServer } from '../ws-server.js';
import { type PlaneCall, PlaneChannel } from './plane-channel.js';
import { isRequestPlaneKind, PlaneSessions } from './plane-session.js';

const ROOT = Buffer.alloc(32, 7);
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  setClusterCredentials(undefined);
});

/** A worker's ws port: request-plane frames are recorded (and a prefill answered), each in its session. */
async function worker(): Promise<{ server: WsServer; seen: Frame[]; sessions: PlaneSessions }> {
  setClusterCredentials(credentialsFor(ROOT, 'decode-0'));
  const seen: Frame[] = [];
  const sessions = new PlaneSessions();
  const server = await startWsServer({
    onFrame: async (frame, conn) => {
      seen.push(frame);
      if (!isRequestPlaneKind(frame.kind) || frame.kind !== 'prefill') return;
      sessions.of(conn).requests.set(frame.id, () => {});
      conn.post('error', frame.id, { code: 'UNIMPLEMENTED', message: 'recorded only', field: '' });
    },
  });
  cleanups.push(() => server.close());
  return { server, seen, sessions };
}

const options = { peer: 'decode worker decode-0', tickSeconds: 0.05, livenessTimeoutSeconds: 5 };

function call(id: string, onFrame: (f: Frame) => void): PlaneCall {
  return { id, idleTimeoutMs: 0, lastFrameMs: 0, onFrame, onOutput: () => {}, onClosed: () => {}, onIdle: () => {} };
}

const prefillBody = {
  requestId: 'r1',
  tokenIds: [1, 2, 3],
  cachedPrefix: [],
  decodeWsAddress: '',
  poolWsAddress: '',
  sessionId: '',
  sessionTtlSeconds: 0,
  numDecodeCachedTokens: 0,
};

describe('request plane with cluster credentials', () => {
  it('a channel without a member token, or with another cluster’s, is refused at the handshake', async () => {
    const { server, seen, sessions } = await worker();
    await expect(PlaneChannel.connect(server.url, { ...options, auth: null })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringContaining('decode worker decode-0'),
    });
    const otherCluster = credentialsFor(Buffer.alloc(32, 8), 'router', true);
    await expect(PlaneChannel.connect(server.url, { ...options, auth: otherCluster })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect([seen, sessions.size, server.numConnections()]).toEqual([[], 0, 0]);
  });

  it('a raw peer that sends plane frames without a token gets 401 and its frames reach nobody', async () => {
    const { server, seen } = await worker();
    const ws = new WebSocket(server.url);
    const status = await new Promise<number>((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => reject(new Error('the upgrade was accepted without a token')));
      ws.once('error', reject);
    });
    // It tries anyway (a socket that was never upgraded: the send cannot go out as a frame).
    expect(() => ws.send(encodeFrame('prefill', 'r1', prefillBody))).toThrow();
    ws.terminate();
    expect(status).toBe(401);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([]);
  });

  it('a member’s channel (this process’s credentials, the default) opens and its request reaches the worker', async () => {
    const { server, seen, sessions } = await worker();
    setClusterCredentials(credentialsFor(ROOT, 'router', true)); // the router's side of the same cluster
    const channel = await PlaneChannel.connect(server.url, options);
    cleanups.push(() => channel.close());
    const answered = new Promise<Frame>((resolve) => channel.start(call('r1', resolve), 'prefill', prefillBody));
    expect((await answered).kind).toBe('error');
    expect(seen.map((f) => [f.kind, f.id])).toEqual([
      ['plane.credit', '*'],
      ['prefill', 'r1'],
    ]);
    expect(sessions.size).toBe(1);
  });
});
