// The router's authenticated doors (issue 14.4), in process with real sockets: API keys on the three public
// front doors and the admin route, the per-client limit (429), and the Registry bound to cluster identities:
// no outsider registers, no member takes another's worker id, heartbeats from another address repair the
// slot instead of keeping it alive, and a 1 MB worker_id is answered at once.
import { loadProto, type RegistryClient, type RouterClient } from '@oicf/proto';
import {
  connectWs,
  createGrpcClient,
  credentialsFor,
  grpcMetadata,
  serverStreamCall,
  setClusterCredentials,
  unaryCall,
} from '@oicf/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiAuth } from './front/api-auth.js';
import {
  type ApiErrorBody,
  jsonOf,
  postJson,
  startTestRouter,
  type TestRouter,
  waitUntil,
} from './testing/router-harness.js';

let t: TestRouter | undefined;
const closers: Array<() => void> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await t?.close();
  t = undefined;
  setClusterCredentials(undefined);
});

const KEY = 'sk-test-0123456789abcdef';
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('API keys on the public doors', () => {
  it('HTTP: /v1/* needs a key (401 invalid_api_key), health and metrics stay open', async () => {
    t = await startTestRouter({ api: { keys: [KEY] } });
    await t.addWorker({ workerId: 'decode-0', role: 'decode' });
    const url = `${t.url}/v1/completions`;
    const body = { model: 'tiny-gqa', prompt: 'x', max_tokens: 2 };
    for (const headers of [{}, bearer('sk-wrong-0123456789abcdef')]) {
      const res = await postJson(url, body, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect((await jsonOf<ApiErrorBody>(res)).error.code).toBe('invalid_api_key');
    }
    expect((await postJson(url, body, bearer(KEY))).status).toBe(200);
    expect((await fetch(`${t.url}/v1/oicf/workers`)).status).toBe(401);
    expect((await fetch(`${t.url}/v1/oicf/workers`, { headers: bearer(KEY) })).status).toBe(200);
    expect((await fetch(`${t.url}/v1/models/tiny-gqa`)).status).toBe(401); // the fallback's pattern route
    for (const open of ['/healthz', '/readyz', '/metrics']) expect((await fetch(`${t.url}${open}`)).status).toBe(200);
  });

  it('WebSocket and gRPC front doors: UNAUTHENTICATED without the key, served with it', async () => {
    t = await startTestRouter({ api: { keys: [KEY] } });
    await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'ok' });
    await expect(connectWs(t.wsUrl)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const ws = await connectWs(t.wsUrl, { headers: bearer(KEY) });
    closers.push(() => void ws.close());
    const done = await ws.request('generate', { text: 'hi', maxTokens: 8 }, 'generate.done');
    expect(done.body.finishReason).toBe('FINISH_REASON_STOP');
    const client: RouterClient = createGrpcClient(loadProto().Router, t.grpcAddress);
    closers.push(() => client.close());
    const run = async (metadata?: ReturnType<typeof grpcMetadata>) => {
      let text = '';
      for await (const c of serverStreamCall(client, 'Generate', { text: 'hi', maxTokens: 8 }, { metadata }))
        text += c.text;
      return text;
    };
    await expect(run()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await run(grpcMetadata(bearer(KEY)))).toBe('ok');
  });

  it('the per-client limit is 429 client-limit with Retry-After, and frees when the request ends', async () => {
    t = await startTestRouter({ api: { keys: [KEY], maxInFlightPerClient: 1 } });
    await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'z'.repeat(30), tokenIntervalSeconds: 0.02 });
    const url = `${t.url}/v1/completions`;
    const slow = postJson(url, { model: 'tiny-gqa', prompt: 'x', max_tokens: 20 }, bearer(KEY));
    const router = t;
    await waitUntil(() => (router.workers[0]?.calls.decode.length ?? 0) === 1, 3, 'the first request to run');
    const second = await postJson(url, { model: 'tiny-gqa', prompt: 'x', max_tokens: 1 }, bearer(KEY));
    expect([second.status, second.headers.get('retry-after')]).toEqual([429, '1']);
    expect((await jsonOf<ApiErrorBody>(second)).error).toMatchObject({
      code: 'client-limit',
      type: 'rate_limit_exceeded',
    });
    expect((await slow).status).toBe(200);
    expect((await postJson(url, { model: 'tiny-gqa', prompt: 'x', max_tokens: 1 }, bearer(KEY))).status).toBe(200);
  });

  it('without keys: the admin routes refuse everyone on a non-loopback host; api.requireKeys refuses to start', async () => {
    const open = new ApiAuth({ keys: [], maxInFlightPerClient: 0, adminOpenWithoutKeys: false });
    expect(open.check(undefined)).toBeUndefined();
    expect(open.check(undefined, true)?.code).toBe('UNAUTHENTICATED');
    await expect(startTestRouter({ host: '0.0.0.0', api: { requireKeys: true } })).rejects.toThrow(
      'api.requireKeys: the router binds 0.0.0.0 (not loopback) but no api.keys are set',
    );
  });
});

describe('Registry bound to cluster identities', () => {
  const ROOT = Buffer.alloc(32, 5);
  const registration = (workerId: string, port: number) => ({
    workerId,
    role: 'WORKER_ROLE_DECODE' as const,
    grpcAddress: `127.0.0.1:${port}`,
    wsAddress: `ws://127.0.0.1:${port}`,
    modelId: 'tiny-gqa',
    capacity: { kvCapacityBytes: 1 << 24, maxBatch: 4, maxContextTokens: 0 },
    deviceId: 'this-machine',
  });
  const registryAs = (router: TestRouter, auth: ReturnType<typeof credentialsFor> | null): RegistryClient => {
    const c = createGrpcClient(loadProto().Registry, router.grpcAddress, { auth });
    closers.push(() => c.close());
    return c;
  };

  it('refuses outsiders and impostors; a worker registers and heartbeats only as itself', async () => {
    setClusterCredentials(credentialsFor(ROOT, 'router', true));
    t = await startTestRouter();
    const outsider = registryAs(t, null);
    const otherCluster = registryAs(t, credentialsFor(Buffer.alloc(32, 6), 'decode-0'));
    const decode0 = registryAs(t, credentialsFor(ROOT, 'decode-0'));
    const decode1 = registryAs(t, credentialsFor(ROOT, 'decode-1'));
    await expect(unaryCall(outsider, 'Register', registration('decode-9', 9))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(unaryCall(otherCluster, 'Register', registration('decode-0', 9))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await unaryCall(decode0, 'Register', registration('decode-0', 1001))).toMatchObject({ accepted: true });
    // A member taking over decode-0's slot (the issue's re-registration attack) is refused; the slot keeps its address.
    await expect(unaryCall(decode1, 'Register', registration('decode-0', 6666))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/needs that worker's identity; the caller proved identity "decode-1"/),
    });
    await expect(unaryCall(decode1, 'Heartbeat', { workerId: 'decode-0' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(t.router.registry.table.get('decode-0')?.registration.grpcAddress).toBe('127.0.0.1:1001');
    // The same identity from a new address (a restarted worker) may move its own slot.
    expect(await unaryCall(decode0, 'Register', registration('decode-0', 1002))).toMatchObject({ accepted: true });
    expect(t.router.registry.table.get('decode-0')?.registration.grpcAddress).toBe('127.0.0.1:1002');
  });

  it('a heartbeat from another address is not counted: REREGISTER, and the slot goes unhealthy', async () => {
    t = await startTestRouter({ workerTimeoutSeconds: 0.3 });
    const registry = registryAs(t, null); // auth off here: the address check alone
    await unaryCall(registry, 'Register', registration('decode-0', 1001));
    const stale = await unaryCall(registry, 'Heartbeat', {
      workerId: 'decode-0',
      grpcAddress: '127.0.0.1:2002',
      wsAddress: 'ws://127.0.0.1:2002',
    });
    expect(stale.directives.map((d) => d.kind)).toEqual(['DIRECTIVE_KIND_REREGISTER']);
    const same = await unaryCall(registry, 'Heartbeat', {
      workerId: 'decode-0',
      grpcAddress: '127.0.0.1:1001',
      wsAddress: 'ws://127.0.0.1:1001',
    });
    expect(same).toMatchObject({ acknowledged: true, directives: [] });
    // Only the mismatched heartbeats keep coming: the registered worker goes unhealthy (no outage masked).
    const router = t;
    const entry = () => router.router.registry.table.get('decode-0');
    await waitUntil(
      async () => {
        await unaryCall(registry, 'Heartbeat', { workerId: 'decode-0', grpcAddress: '127.0.0.1:2002' });
        const e = entry();
        return e !== undefined && !router.router.registry.isHealthy(e);
      },
      5,
      'decode-0 to turn unhealthy',
    );
  });

  it('a 1 MB worker_id is INVALID_ARGUMENT at once, from a member too', async () => {
    setClusterCredentials(credentialsFor(ROOT, 'router', true));
    t = await startTestRouter();
    const huge = 'w'.repeat(1 << 20);
    const member = registryAs(t, credentialsFor(ROOT, 'decode-0'));
    await expect(unaryCall(member, 'Register', registration(huge, 1), { timeoutSeconds: 10 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'worker_id',
      message: expect.stringMatching(/worker_id must be 1–128 characters .*\(1048576 characters\)/),
    });
    await expect(unaryCall(member, 'Heartbeat', { workerId: huge }, { timeoutSeconds: 10 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(t.router.registry.table.size()).toBe(0);
  });
});
