// Service lifecycle over real sockets: health, readiness through a drain, metrics, routes, and a real
// SIGTERM to a child process that must then exit by itself.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type KvPoolHandlers, loadProto } from '@oicf/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { createGrpcClient, unaryCall } from './grpc-client.js';
import { defineService, type ServiceImpl } from './grpc-server.js';
import { OicfError } from './oicf-error.js';
import { type RunningService, type ServiceOptions, startService } from './service.js';
import { connectWs } from './ws-client.js';

const proto = loadProto();
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const unimplemented = () => {
  throw new OicfError('UNIMPLEMENTED', 'not in this test');
};
function poolWithHealth(health: ServiceImpl<KvPoolHandlers>['Health']) {
  return defineService<KvPoolHandlers>(proto.KvPool.service, {
    Lookup: unimplemented,
    Lease: unimplemented,
    Release: unimplemented,
    Stats: unimplemented,
    Evict: unimplemented,
    Health: health,
  });
}

const metrics = {
  contentType: 'text/plain; version=0.0.4; charset=utf-8',
  metrics: async () => '# TYPE t_up gauge\nt_up 1\n',
};

async function start(options: Partial<ServiceOptions>): Promise<{ svc: RunningService; lines: string[] }> {
  const lines: string[] = [];
  const svc = await startService({
    name: 'test-svc',
    handleSignals: false,
    log: (l) => lines.push(l),
    metrics,
    ...options,
  });
  cleanups.push(() => svc.shutdown('test cleanup'));
  return { svc, lines };
}

async function get(url: string): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

describe('startService', () => {
  it('serves /healthz, /readyz and /metrics and reports its endpoints', async () => {
    const { svc, lines } = await start({ grpc: { services: [poolWithHealth(() => ({}))] }, ws: { onFrame: () => {} } });
    const { http, grpc, ws, ports } = svc.endpoints;
    expect(http).toBe(`http://127.0.0.1:${ports.http}`);
    expect(grpc).toBe(`127.0.0.1:${ports.grpc}`);
    expect(ws).toBe(`ws://127.0.0.1:${ports.ws}`);
    expect(new Set([ports.http, ports.grpc, ports.ws]).size).toBe(3);
    expect(JSON.parse(lines[0] ?? '')).toEqual({ event: 'listening', service: 'test-svc', endpoints: svc.endpoints });

    expect(await get(`${http}/healthz`)).toEqual({
      status: 200,
      type: 'application/json',
      body: '{"status":"alive","service":"test-svc"}\n',
    });
    expect((await get(`${http}/readyz`)).status).toBe(200);
    expect(await get(`${http}/metrics`)).toEqual({
      status: 200,
      type: metrics.contentType,
      body: '# TYPE t_up gauge\nt_up 1\n',
    });
  });

  it('maps route errors to JSON error bodies and unknown paths to 404', async () => {
    const { svc } = await start({
      routes: {
        'GET /v1/ok': (_req, res) => void res.writeHead(200).end('fine'),
        'POST /v1/full': () => {
          throw new OicfError('SLO_UNATTAINABLE', 'predicted TTFT 4.2 s exceeds the 2 s target: retry later', {
            field: 'max_tokens',
          });
        },
      },
    });
    const http = svc.endpoints.http;
    expect(await get(`${http}/v1/ok`)).toMatchObject({ status: 200, body: 'fine' });
    const full = await fetch(`${http}/v1/full`, { method: 'POST' });
    expect(full.status).toBe(429);
    expect(await full.json()).toEqual({
      error: {
        code: 'SLO_UNATTAINABLE',
        message: 'predicted TTFT 4.2 s exceeds the 2 s target: retry later',
        field: 'max_tokens',
      },
    });
    expect(JSON.parse((await get(`${http}/v1/none`)).body)).toEqual({
      error: { code: 'NOT_FOUND', message: 'no route GET /v1/none', field: null },
    });
    // A known path with the wrong method: 405 naming the method it takes, in the Allow header too.
    const wrong = await fetch(`${http}/v1/full`);
    expect([wrong.status, wrong.headers.get('allow')]).toEqual([405, 'POST']);
    expect(await wrong.json()).toEqual({
      error: { code: 'INVALID_ARGUMENT', message: 'method GET not allowed on /v1/full: use POST', field: null },
    });
  });

  it('hands unmatched requests to the fallback with the methods the path takes, built-in routes included', async () => {
    const seen: Array<[string, string, readonly string[]]> = [];
    const { svc } = await start({
      routes: { 'GET /v1/ok': (_req, res) => void res.writeHead(200).end('fine') },
      fallback: (req, res, url, allowed) => {
        seen.push([req.method ?? '', url.pathname, allowed]);
        res.writeHead(418).end();
      },
    });
    const http = svc.endpoints.http;
    expect((await fetch(`${http}/v1/ok`)).status).toBe(200);
    expect((await fetch(`${http}/v1/ok`, { method: 'DELETE' })).status).toBe(418);
    expect((await fetch(`${http}/v1/models/x`)).status).toBe(418);
    expect((await fetch(`${http}/healthz`, { method: 'POST' })).status).toBe(418);
    expect(seen).toEqual([
      ['DELETE', '/v1/ok', ['GET']],
      ['GET', '/v1/models/x', []],
      ['POST', '/healthz', ['GET']],
    ]);
  });

  it('is not ready while its own readiness check says no', async () => {
    let registered = false;
    const { svc } = await start({ isReady: () => registered });
    expect(await get(`${svc.endpoints.http}/readyz`)).toMatchObject({ status: 503 });
    registered = true;
    expect(await get(`${svc.endpoints.http}/readyz`)).toMatchObject({ status: 200 });
  });

  it('drops readiness while draining, lets in-flight work finish, refuses new work, then closes', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((r) => {
      release = r;
    });
    let numHealthCalls = 0;
    const { svc, lines } = await start({
      drainTimeoutSeconds: 10,
      grpc: {
        services: [
          poolWithHealth(async () => {
            numHealthCalls += 1;
            await released;
            return { status: 'SERVING_STATUS_DRAINING' };
          }),
        ],
      },
      ws: { onFrame: () => {} },
    });
    const http = svc.endpoints.http;
    const client = createGrpcClient(proto.KvPool, svc.endpoints.grpc as string);
    cleanups.push(() => client.close());
    const inFlight = unaryCall(client, 'Health', {});
    while (numHealthCalls === 0) await new Promise((r) => setTimeout(r, 10));

    const stopping = svc.shutdown('test');
    expect(svc.state()).toBe('draining');
    expect(await get(`${http}/readyz`)).toMatchObject({
      status: 503,
      body: '{"status":"draining","service":"test-svc"}\n',
    });
    expect((await get(`${http}/healthz`)).status).toBe(200);
    await expect(unaryCall(client, 'Health', {}, { timeoutSeconds: 2 })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(connectWs(svc.endpoints.ws as string, { connectTimeoutSeconds: 1 })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });

    release();
    expect(await inFlight).toEqual({ status: 'SERVING_STATUS_DRAINING', uptimeSeconds: 0, version: '' });
    await stopping;
    expect(svc.state()).toBe('stopped');
    expect(JSON.parse(lines.at(-1) ?? '')).toEqual({ event: 'stopped', service: 'test-svc', drained: true });
    await expect(fetch(`${http}/healthz`)).rejects.toThrow();
  });

  it('cuts in-flight work after the drain timeout', async () => {
    const { svc, lines } = await start({
      drainTimeoutSeconds: 0.2,
      grpc: { services: [poolWithHealth(() => new Promise(() => {}))] },
    });
    const client = createGrpcClient(proto.KvPool, svc.endpoints.grpc as string);
    cleanups.push(() => client.close());
    const stuck = unaryCall(client, 'Health', {}).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await svc.shutdown();
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(await stuck).toBeInstanceOf(OicfError);
    expect(JSON.parse(lines.at(-1) ?? '')).toMatchObject({ event: 'stopped', drained: false });
  });
});

describe('SIGTERM', () => {
  it('drains a child service and the process exits by itself with code 0', async () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const fixture = fileURLToPath(new URL('./testing/sigterm-service.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = JSON.parse((await lines.next()).value as string) as {
      event: string;
      endpoints: RunningService['endpoints'];
    };
    expect(first.event).toBe('listening');
    const { http, grpc, ws } = first.endpoints;
    expect((await get(`${http}/metrics`)).body).toBe('fixture_up 1\n');

    const wsClient = await connectWs(ws as string);
    const grpcClient = createGrpcClient(proto.KvPool, grpc as string);
    cleanups.push(() => grpcClient.close());
    // Work in flight when the signal arrives: both must still complete.
    const put = wsClient.request('kv.put', { blockId: 'during-drain' }, 'kv.put.ack');
    const health = unaryCall(grpcClient, 'Health', {});
    const started = [
      JSON.parse((await lines.next()).value as string),
      JSON.parse((await lines.next()).value as string),
    ];
    expect(started.map((e) => e.what).sort()).toEqual(['health', 'put']);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');

    expect((await put).body.blockId).toBe('during-drain');
    expect((await health).status).toBe('SERVING_STATUS_SERVING');
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const rest: string[] = [];
    for (let r = await lines.next(); r.done !== true; r = await lines.next()) rest.push(r.value as string);
    expect(rest.map((l) => JSON.parse(l).event)).toEqual(['draining', 'stopped']);
    expect(JSON.parse(rest[1] ?? '')).toMatchObject({ drained: true });
    // The data-plane client learnt that the server went away (close 1001 → UNAVAILABLE).
    await expect(wsClient.request('kv.put', { blockId: 'after' }, 'kv.put.ack')).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
  }, 30_000);
});
