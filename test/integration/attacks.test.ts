// The probes of issue 14's table, now refused, against real processes (a cluster launched as `oicf cluster
// up` launches it, with its generated cluster secret). "Outsider" = no credentials; "member" = valid cluster
// credentials of another identity (the CLI's, from the run dir): membership alone must not be enough to take
// a worker's place, read the pool without a lease, or poison it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  cliCredentials,
  type LaunchedService,
  launchCluster,
  parseClusterConfig,
  type RunningCluster,
} from '@oicf/cluster';
import { blockChecksum, chainBlockIds } from '@oicf/kv';
import { parsePrometheusText, sumSamples } from '@oicf/metrics/prometheus-text';
import { connectKvPool, PoolControl } from '@oicf/pool-client';
import { loadProto, type RegistryClient, type RouterClient } from '@oicf/proto';
import {
  CLUSTER_AUTH_FILE_ENV,
  type ClusterCredentials,
  connectWs,
  createGrpcClient,
  credentialsFor,
  credentialsToJson,
  serverStreamCall,
  unaryCall,
} from '@oicf/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
let cluster: RunningCluster;
let member: ClusterCredentials;
const closers: Array<() => unknown> = [];

const svc = (name: string) => cluster.services.find((s) => s.name === name) as LaunchedService;
const metric = async (url: string, name: string, labels: Record<string, string> = {}) =>
  sumSamples(parsePrometheusText(await (await fetch(`${url}/metrics`)).text()).samples, name, labels);

beforeAll(async () => {
  const config = parseClusterConfig({
    blockTokens: 16,
    prefill: { count: 1 },
    decode: { count: 1, maxBatch: 2, kvCapacityBytes: 1024 * 1024 * 1024 },
  });
  if (!config.ok) throw new Error(config.errors.join('\n'));
  const runDir = mkdtempSync(join(tmpdir(), 'oicf-attacks-'));
  cluster = await launchCluster(config.value, { runDir });
  member = cliCredentials(runDir) as ClusterCredentials;
}, 180_000);

afterAll(async () => {
  for (const c of closers.splice(0)) await c();
  await cluster?.stop();
});

function registry(auth: ClusterCredentials | null): RegistryClient {
  const c = createGrpcClient(loadProto().Registry, svc('router').endpoints.grpc as string, { auth });
  closers.push(() => c.close());
  return c;
}

const registration = (workerId: string, port: number) => ({
  workerId,
  role: 'WORKER_ROLE_DECODE' as const,
  grpcAddress: `127.0.0.1:${port}`,
  wsAddress: `ws://127.0.0.1:${port}`,
  modelId: 'tiny-gqa',
  capacity: { kvCapacityBytes: 1 << 24, maxBatch: 4, maxContextTokens: 8192 },
  deviceId: 'this-machine',
});

async function generate(request: Record<string, unknown>, signal?: AbortSignal): Promise<string> {
  const client: RouterClient = createGrpcClient(loadProto().Router, svc('router').endpoints.grpc as string, {
    auth: null,
  });
  try {
    let text = '';
    for await (const c of serverStreamCall(client, 'Generate', request, signal ? { signal } : {})) text += c.text;
    return text;
  } finally {
    client.close();
  }
}

describe('registration', () => {
  it('a fake worker: an outsider cannot register; the router keeps only real workers', async () => {
    await expect(unaryCall(registry(null), 'Register', registration('decode-9', 9))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const workers = (await (await fetch(`${cluster.routerUrl}/v1/oicf/workers`)).json()) as {
      data: { worker_id: string }[];
    };
    expect(workers.data.map((w) => w.worker_id).sort()).toEqual(['decode-0', 'prefill-0']);
  });

  it('re-registration takeover: a member cannot register as decode-0; decode-0 keeps serving', async () => {
    const before = (await (await fetch(`${cluster.routerUrl}/v1/oicf/workers`)).json()) as {
      data: { worker_id: string; grpc_address: string }[];
    };
    await expect(unaryCall(registry(member), 'Register', registration('decode-0', 6666))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const after = (await (await fetch(`${cluster.routerUrl}/v1/oicf/workers`)).json()) as typeof before;
    expect(after.data.find((w) => w.worker_id === 'decode-0')?.grpc_address).toBe(
      before.data.find((w) => w.worker_id === 'decode-0')?.grpc_address,
    );
    expect((await generate({ text: 'still here', maxTokens: 4, sampling: { temperature: 0 } })).length).toBeGreaterThan(
      0,
    );
  });

  it('a 1 MB worker_id is answered INVALID_ARGUMENT at once', async () => {
    const huge = 'w'.repeat(1 << 20);
    await expect(
      unaryCall(registry(member), 'Register', registration(huge, 1), { timeoutSeconds: 10 }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'worker_id',
    });
  });
});

describe('the pool', () => {
  it('without membership: Evict, Lookup and the data plane are refused', async () => {
    const pool = svc('kv-pool').endpoints;
    const outsider = new PoolControl(pool.grpc as string, {
      connect: (a) => createGrpcClient(loadProto().KvPool, a, { auth: null }),
    });
    closers.push(() => outsider.close());
    await expect(outsider.evict({ freeBytes: 1e15 })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(outsider.lookup(['ab'])).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(connectWs(pool.ws as string, { auth: null })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('a member reads only under a lease, and cannot poison the cache with unsigned bytes', async () => {
    // A prompt's blocks reach the pool through a real request (the prefill worker offers them, signed).
    const prompt = Array.from({ length: 64 }, (_, i) => 40 + ((i * 7) % 80));
    await generate({ tokenIds: { ids: prompt }, maxTokens: 2, sampling: { temperature: 0 } });
    const ids = chainBlockIds(prompt, { blockTokens: 16 });
    const pool = svc('kv-pool').endpoints as { ws: string; grpc: string };
    const c = await connectKvPool(pool, {
      ws: { auth: member },
      control: { connect: (a) => createGrpcClient(loadProto().KvPool, a, { auth: member }) },
    });
    closers.push(() => c.close());
    await expect(c.get([ids[0] as string])).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    // Random bytes with a valid XXH32 under the prompt's first block id (the poisoning).
    const poison = Buffer.alloc(16 * 4096, 7);
    const put = {
      blockId: ids[0] as string,
      parentId: '',
      numTokens: 0,
      checksum: blockChecksum(poison),
      payload: poison,
      sessionId: '',
      ttlSeconds: 0,
    };
    await expect(c.data.put(put)).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    // Under a lease the real, signed block is served. The prefill worker offers its blocks after the reply, so
    // on a busy machine the block may reach the pool later than the request ends: wait for it (a lease of a
    // block the pool does not hold pins nothing, and the get would be refused for that, not for the attack).
    const deadline = Date.now() + 10_000;
    while ((await c.control.lookup([ids[0] as string])).numCachedBlocks < 1) {
      if (Date.now() > deadline) throw new Error("the prompt's first block never reached the pool");
      await new Promise((r) => setTimeout(r, 20));
    }
    const lease = await c.control.lease([ids[0] as string], 10, 'attack-test');
    const got = await c.get([ids[0] as string], lease.leaseId);
    expect(got.blocks.size).toBe(1);
    expect(Buffer.from(got.blocks.get(ids[0] as string) as Uint8Array).equals(poison)).toBe(false);
  });
});

describe('request ids', () => {
  it("reusing another client's request_id cannot cancel its stream", async () => {
    const request = {
      requestId: 'shared',
      text: 'long story',
      maxTokens: 64,
      sampling: { temperature: 0 },
      stream: true,
    };
    const reference = await generate(request);
    const abort = new AbortController();
    const victim = generate(request);
    const attacker = generate(request, abort.signal).catch(() => 'cancelled');
    setTimeout(() => abort.abort(), 50);
    expect(await attacker).toBe('cancelled');
    expect(await victim).toBe(reference);
  });

  it('a 10,000-character request_id is INVALID_ARGUMENT before any routing', async () => {
    const routed = await metric(cluster.routerUrl, 'oicf_router_routed_requests_total');
    await expect(generate({ requestId: 'r'.repeat(10_000), text: 'x', maxTokens: 2 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'request_id',
    });
    expect(await metric(cluster.routerUrl, 'oicf_router_routed_requests_total')).toBe(routed);
  });
});

describe('bounded queues', () => {
  // One decode worker of 2 batch slots, 32 queued at most (the router's default per worker): the router never
  // holds more than 34 requests; every other one is refused at once. Sampled from its running gauge while
  // the burst arrives (each admitted stream asks for 2,000 tokens and is aborted once all have answered).
  it.each([200, 1000])(
    '%i concurrent requests: at most 34 in flight, every other one 503 + Retry-After',
    async (n) => {
      const abort = new AbortController();
      const running: number[] = [];
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          running.push(await metric(cluster.routerUrl, 'oicf_router_running_requests'));
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      const statuses = await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          const res = await fetch(`${cluster.routerUrl}/v1/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              model: 'tiny-gqa',
              prompt: `burst ${i}`,
              max_tokens: 2000,
              ignore_eos: true,
              stream: true,
            }),
            signal: abort.signal,
          });
          if (res.status === 200) return { status: 200, retryAfter: null, code: undefined };
          const body = (await res.json()) as { error?: { code: string } };
          return { status: res.status, retryAfter: res.headers.get('retry-after'), code: body.error?.code };
        }),
      );
      sampling = false;
      await sampler;
      abort.abort(); // the admitted streams: their cancels free the decode worker for the next case
      const ok = statuses.filter((s) => s.status === 200).length;
      const refused = statuses.filter((s) => s.status !== 200);
      expect(ok).toBeGreaterThan(0);
      expect(Math.max(...running)).toBeLessThanOrEqual(34);
      expect(refused.length).toBeGreaterThanOrEqual(n - 2 * 34);
      for (const r of refused) {
        expect(r.status).toBe(503);
        expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(['queue-full', 'queue-time', 'capacity']).toContain(r.code);
      }
      // Wait for the router to see them all gone before the next case.
      for (let i = 0; i < 100 && (await metric(cluster.routerUrl, 'oicf_router_running_requests')) > 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    180_000,
  );
});

describe('the decode worker handoff store', () => {
  let worker: ChildProcess | undefined;
  afterAll(() => {
    if (worker?.exitCode === null) worker.kill('SIGKILL');
  });

  it('a flood of kv.handoff frames for made-up ids: outsiders refused; a member hits the byte cap and the bytes come back', async () => {
    // A standalone decode worker with its own credentials, a 4 MiB cap and a 10 s TTL (defaults 256 MiB, 30 s).
    // The TTL must outlast the flood: if the first frames expired while the rest still arrive (a loaded
    // machine), their bytes would come back and a 65th frame would be acked.
    const root = Buffer.alloc(32, 42);
    const dir = mkdtempSync(join(tmpdir(), 'oicf-flood-'));
    const authFile = join(dir, 'decode-9.json');
    writeFileSync(authFile, JSON.stringify(credentialsToJson(credentialsFor(root, 'decode-9'))), { mode: 0o600 });
    worker = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        `${ROOT}apps/decode-worker/src/main.ts`,
        '--workerId=decode-9',
        '--role=decode',
        '--handoffMaxBufferedBytes=4194304',
        '--handoffTtlSeconds=10',
        '--kvCapacityBytes=16777216',
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, [CLUSTER_AUTH_FILE_ENV]: authFile, OICF_PARENT_PID: String(process.pid) },
      },
    );
    const endpoints = await new Promise<{ ws: string; http: string }>((resolve, reject) => {
      worker?.once('exit', (code) => reject(new Error(`decode worker exited ${code}`)));
      createInterface({ input: worker?.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        if (line.includes('"listening"'))
          resolve((JSON.parse(line) as { endpoints: { ws: string; http: string } }).endpoints);
      });
    });
    await expect(connectWs(endpoints.ws, { auth: null })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const ws = await connectWs(endpoints.ws, { auth: credentialsFor(root, 'prefill-9') });
    closers.push(() => ws.close());
    // tiny-gqa fp32: 4,096 B per token; 16 tokens per frame = 64 KiB; 200 made-up ids × 1 frame = 12.5 MiB.
    const payload = Buffer.alloc(16 * 4096, 1);
    const checksum = blockChecksum(payload);
    const codes = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        ws
          .request(
            'kv.handoff',
            { requestId: `made-up-${i}`, firstToken: 0, numTokens: 16, checksum, payload, last: true },
            'kv.handoff.ack',
          )
          .then(
            () => 'ack',
            (e: { code: string }) => e.code,
          ),
      ),
    );
    // 4 MiB holds 64 frames of 64 KiB: those are acked (complete, unclaimed), the rest refused.
    expect(codes.filter((c) => c === 'ack').length).toBe(64);
    expect(codes.filter((c) => c === 'RESOURCE_EXHAUSTED').length).toBe(136);
    // The gauge is refreshed once a second (min(1, ttl / 2) s): wait for it to show the held 64 frames,
    // 64 × 64 KiB = 4 MiB exactly, before waiting for it to fall (a gauge not yet refreshed reads 0).
    let held = -1;
    for (let i = 0; i < 50 && held !== 4 * 1024 * 1024; i++) {
      await new Promise((r) => setTimeout(r, 100));
      held = await metric(endpoints.http, 'oicf_decode_handoff_buffered_bytes');
    }
    expect(held).toBe(4 * 1024 * 1024);
    // After the TTL nothing is held.
    for (let i = 0; i < 300 && held !== 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      held = await metric(endpoints.http, 'oicf_decode_handoff_buffered_bytes');
    }
    expect(held).toBe(0);
  }, 120_000);
});

describe('no worker', () => {
  it('every door answers 503 with Retry-After, and /readyz says not-ready with 503', async () => {
    process.kill(svc('decode-0').pid, 'SIGKILL');
    // The router notices the silence after workerTimeoutSeconds (3 s).
    let ready = 200;
    for (let i = 0; i < 100 && ready === 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = (await fetch(`${cluster.routerUrl}/readyz`)).status;
    }
    const readyz = await fetch(`${cluster.routerUrl}/readyz`);
    expect([readyz.status, ((await readyz.json()) as { status: string }).status]).toEqual([503, 'not-ready']);
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${cluster.routerUrl}/v1/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'tiny-gqa', prompt: 'x', max_tokens: 2 }),
      });
      expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([503, 'no-worker']);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    await expect(generate({ text: 'x', maxTokens: 2 })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  }, 60_000);
});
