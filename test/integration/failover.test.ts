// Faults on real clusters (issue 14.1, 14.2): OS processes on loopback, launched by the launcher `oicf
// cluster up` uses, with the cluster secret it generates. Every faulted request must give the client the
// same token ids as an uninterrupted reference run of the same prompt and seed (sampled at temperature 0.8,
// so a wrong KV or a skipped/duplicated sampler draw would change them).
//
//   prefill worker SIGKILLed mid-request       → the request is retried on the other prefill worker
//   the last prefill worker SIGKILLed likewise → the decode worker prefills locally
//   kv-pool SIGKILLed (supervised)  → requests recompute; the pool comes back on its ports with its disk tier
//   router SIGKILLed (supervised)   → it comes back on its ports; workers register again; requests go on
//   cluster down                    → the supervisor and every service are gone
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ClusterState,
  cliCredentials,
  isAlive,
  type LaunchedService,
  launchCluster,
  launchSupervisedCluster,
  parseClusterConfig,
  type RunningCluster,
  readClusterState,
  stopSupervisedCluster,
} from '@oicf/cluster';
import { chainBlockIds } from '@oicf/kv';
import { parsePrometheusText, sumSamples } from '@oicf/metrics/prometheus-text';
import { PoolControl } from '@oicf/pool-client';
import { loadProto, type RouterClient } from '@oicf/proto';
import { createGrpcClient, serverStreamCall } from '@oicf/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BLOCK_TOKENS = 16;
/** 100 byte tokens: 6 full 16-token blocks and 4 more. */
const PROMPT = Array.from({ length: 100 }, (_, i) => 32 + ((i * 37 + 11) % 90));
const SAMPLING = { temperature: 0.8, topP: 1, topK: 0, seed: 1234, stopTokenIds: [] };

function config(over: Record<string, unknown>) {
  const res = parseClusterConfig({
    blockTokens: BLOCK_TOKENS,
    decode: { count: 1, kvCapacityBytes: 64 * 1024 * 1024, maxBatch: 8 },
    ...over,
  });
  if (!res.ok) throw new Error(res.errors.join('\n'));
  return res.value;
}

/** One non-streamed Router.Generate: the token ids the client got. */
async function generate(grpcAddress: string, prompt = PROMPT): Promise<number[]> {
  const client: RouterClient = createGrpcClient(loadProto().Router, grpcAddress, { auth: null });
  try {
    const ids: number[] = [];
    const req = { tokenIds: { ids: prompt }, maxTokens: 24, sampling: SAMPLING, stream: false };
    for await (const chunk of serverStreamCall(client, 'Generate', req, { timeoutSeconds: 60 }))
      ids.push(...chunk.tokenIds);
    return ids;
  } finally {
    client.close();
  }
}

async function metric(url: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return sumSamples(parsePrometheusText(text).samples, name, labels);
}

async function waitFor<T>(
  what: string,
  seconds: number,
  probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const service = (state: ClusterState, name: string) => state.services.find((s) => s.name === name) as LaunchedService;
const kill = (s: LaunchedService) => process.kill(s.pid, 'SIGKILL');

describe('prefill worker failures (unsupervised cluster)', () => {
  let cluster: RunningCluster;
  let router: LaunchedService;
  let reference: number[];

  beforeAll(async () => {
    // round-robin alternates the two prefill workers, so one of two consecutive requests is planned on a given one.
    cluster = await launchCluster(config({ prefill: { count: 2 }, router: { policy: 'round-robin' } }), {
      runDir: mkdtempSync(join(tmpdir(), 'oicf-failover-')),
    });
    router = service(cluster, 'router');
    reference = await generate(router.endpoints.grpc as string);
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('the reference run is a real sampled reply', () => {
    expect(reference.length).toBeGreaterThan(0);
    expect(reference.length).toBeLessThanOrEqual(24);
  });

  it('a SIGKILLed prefill worker: its request is retried on the other one, token for token', async () => {
    // Killed mid-request: frozen first (SIGSTOP) so that a request planned on it is in flight there, then
    // SIGKILLed. (Killed before routing, its request channel closes at once and the router plans around it.)
    const grpc = router.endpoints.grpc as string;
    const p0 = service(cluster, 'prefill-0');
    process.kill(p0.pid, 'SIGSTOP');
    // Two requests at once: round-robin plans one of them on the frozen prefill-0.
    const replies = Promise.all([generate(grpc), generate(grpc)]);
    await new Promise((r) => setTimeout(r, 500));
    kill(p0);
    expect(await replies).toEqual([reference, reference]);
    expect(await metric(router.endpoints.http, 'oicf_router_prefill_failover_requests_total', { next: 'remote' })).toBe(
      1,
    );
  }, 60_000);

  it('no prefill worker left: the decode worker prefills locally, token for token', async () => {
    const p1 = service(cluster, 'prefill-1');
    process.kill(p1.pid, 'SIGSTOP');
    const reply = generate(router.endpoints.grpc as string);
    await new Promise((r) => setTimeout(r, 500));
    kill(p1); // mid-request, the last prefill worker
    expect(await reply).toEqual(reference);
    expect(await metric(router.endpoints.http, 'oicf_router_prefill_failover_requests_total', { next: 'local' })).toBe(
      1,
    );
  }, 60_000);
});

describe('supervised cluster: pool and router deaths', () => {
  let runDir: string;
  let state: ClusterState;
  let reference: number[];

  beforeAll(async () => {
    runDir = mkdtempSync(join(tmpdir(), 'oicf-supervised-'));
    // The pool has only a disk tier: every block it holds survives its process.
    const c = config({
      prefill: { count: 1 },
      router: { policy: 'oicf-cost', policyParams: { maxLocalPrefillTokens: 0 } },
      pool: { tiers: { dram: { capacityBytes: 0 }, disk: { capacityBytes: 64 * 1024 * 1024 } } },
    });
    state = await launchSupervisedCluster(c, { runDir });
    reference = await generate(service(state, 'router').endpoints.grpc as string);
  }, 240_000);

  afterAll(async () => {
    const latest = readClusterState(runDir) ?? state;
    if (latest !== undefined) await stopSupervisedCluster(latest);
  });

  it('a SIGKILLed pool: the request recomputes; the pool is back on its ports, with its disk tier', async () => {
    const pool = service(state, 'kv-pool');
    const blockIds = chainBlockIds(PROMPT, { blockTokens: BLOCK_TOKENS });
    const credentials = cliCredentials(runDir);
    const lookup = async () => {
      const control = new PoolControl(pool.endpoints.grpc as string, {
        connect: (a) => createGrpcClient(loadProto().KvPool, a, { auth: credentials }),
        timeoutSeconds: 2,
      });
      try {
        return (await control.lookup(blockIds)).numCachedBlocks;
      } finally {
        control.close();
      }
    };
    // The reference run offered the prompt's 6 full blocks to the pool (all on disk).
    const before = await waitFor('the blocks in the pool', 20, async () => ((await lookup()) === 6 ? 6 : undefined));
    kill(pool);
    // During the outage (and whenever it ends) the reply is the same.
    expect(await generate(service(state, 'router').endpoints.grpc as string)).toEqual(reference);
    const restarted = await waitFor('the supervisor to restart the pool', 60, () => {
      const s = service(readClusterState(runDir) as ClusterState, 'kv-pool');
      return s.pid !== pool.pid && isAlive(s.pid) ? s : undefined;
    });
    expect(restarted.restarts).toBe(1);
    expect(restarted.endpoints).toEqual(pool.endpoints); // same ports
    // Its disk tier came back: the blocks are found again, through the same address.
    expect(await waitFor('the pool to answer', 30, async () => lookup().catch(() => undefined))).toBe(before);
    expect(readFileSync(join(runDir, 'supervisor.log'), 'utf8')).toMatch(/"service_restarted","service":"kv-pool"/);
  }, 120_000);

  it('a SIGKILLed router: back on its ports, the workers register again, requests go on', async () => {
    const router = service(readClusterState(runDir) as ClusterState, 'router');
    kill(router);
    const restarted = await waitFor('the supervisor to restart the router', 60, () => {
      const s = service(readClusterState(runDir) as ClusterState, 'router');
      return s.pid !== router.pid && isAlive(s.pid) ? s : undefined;
    });
    expect(restarted.endpoints).toEqual(router.endpoints);
    await waitFor('the router to be ready (a decode worker registered again)', 60, async () =>
      (await fetch(`${router.endpoints.http}/readyz`).catch(() => undefined))?.ok ? true : undefined,
    );
    expect(await generate(router.endpoints.grpc as string)).toEqual(reference);
  }, 120_000);

  it('cluster down stops the supervisor first, then every service: nothing is left running', async () => {
    const latest = readClusterState(runDir) as ClusterState;
    const outcome = await stopSupervisedCluster(latest);
    expect(outcome.supervisorStopped).toBe(true);
    expect(outcome.survived).toEqual([]);
    const pids = [latest.supervisor?.pid as number, ...latest.services.map((s) => s.pid)];
    expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
  }, 120_000);
});
