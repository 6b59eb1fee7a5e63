// The twin and the router make the same routing decisions for the same inputs. One scripted scenario is
// played twice: through the real router (its HTTP front door, registry gRPC service, RouterCore and
// pipeline; scripted gRPC workers whose load each heartbeat reports; a pool adapter over an in-memory
// pool; a fake clock) and through the twin's router host (SimRouter: the same Admission driven as the twin
// drives it, with scripted twin workers answering as the gRPC ones do). Each request's decision is checked
// one by one: accepted or rejected and why, the decode and prefill workers, the predicted TTFT, the pool
// blocks leased and the tokens handed off.
import { POOL_TIERS, type PoolTierId } from '@oicf/core';
import { chainBlockIds } from '@oicf/kv';
import type { PoolPort } from '@oicf/router/adapters/pool-client';
import { routerConfig } from '@oicf/router/config';
import { type RunningRouter, startRouter } from '@oicf/router/server';
import { jsonOf, postJson } from '@oicf/router/testing/router-harness';
import { type ScriptedWorker, startScriptedWorker } from '@oicf/router/testing/scripted-worker';
import { rejectClass, type WorkerLoadReport as WorkerLoad } from '@oicf/sched';
import {
  type DecodeWorkerPort,
  EventQueue,
  Fabric,
  type PrefillWorkerPort,
  registrationOf,
  type SimCluster,
  SimPool,
  SimRouter,
  type SimWorkerSpec,
} from '@oicf/sim';
import { FakeClock } from '@oicf/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const blockIdsOf = (prompt: readonly number[]) => chainBlockIds(prompt, { blockTokens: 64 });
const BPT = 4096; // tiny-gqa fp32: 4 layers × 2 × 2 kv heads × 64 × 4 B
const BT = 64;
const SCRIPT = [...Buffer.from('hello', 'utf8')]; // what the scripted workers generate (max_tokens ≤ 5)

/** Prompt tokens: `n` byte tokens of a stream named by `seed` (equal seeds share prefixes). */
const tokens = (seed: number, n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => (seed * 31 + (from + i) * 7) % 250);
const promptA = tokens(1, 200);
const promptA2 = [...promptA, ...tokens(2, 40)]; // A + 40: shares A's 3 full blocks
const promptA3 = [...promptA, ...tokens(8, 70)]; // A + 70: 78 tokens past A's 3 full blocks
const promptB = tokens(3, 200); // its first 2 blocks are in the pool (dram), the third on disk

const idle = (over: Partial<WorkerLoad> = {}): WorkerLoad => ({
  numRunningSequences: 0,
  numWaitingSequences: 0,
  kvUsedBytes: 0,
  kvCapacityBytes: 0,
  prefillSecondsPerToken: 0,
  prefillFixedSeconds: 0,
  decodeStepSeconds: 0,
  prefillIntensityFlopsPerByte: 0,
  decodeIntensityFlopsPerByte: 0,
  ...over,
});

const WORKERS = [
  { workerId: 'd0', role: 'decode' as const, kvCapacityBytes: 300 * BPT, maxBatch: 8 },
  { workerId: 'd1', role: 'decode' as const, kvCapacityBytes: 120 * BPT, maxBatch: 8 },
  { workerId: 'p0', role: 'prefill' as const, kvCapacityBytes: 256 * 1024 * 1024, maxBatch: 16 },
];

/** One step of the scenario, at a time on both clocks. */
type Step =
  | { kind: 'heartbeat'; atSeconds: number; workerId: string; load: WorkerLoad }
  | { kind: 'request'; atSeconds: number; prompt: number[]; maxTokens: number };

const SCENARIO: Step[] = [
  // Measured speeds arrive: p0 prefills at 0.2 ms/token, the decode workers step in 5 ms.
  { kind: 'heartbeat', atSeconds: 0.1, workerId: 'p0', load: idle({ prefillSecondsPerToken: 2e-4 }) },
  { kind: 'heartbeat', atSeconds: 0.1, workerId: 'd0', load: idle({ decodeStepSeconds: 0.005 }) },
  { kind: 'heartbeat', atSeconds: 0.1, workerId: 'd1', load: idle({ decodeStepSeconds: 0.005 }) },
  // A: 204 tokens of KV fit only d0; 200 uncached > 64: remote prefill.
  { kind: 'request', atSeconds: 0.2, prompt: promptA, maxTokens: 4 },
  // A + 40: d0 holds A's blocks (index); 48 uncached ≤ 64: local prefill competes with remote.
  { kind: 'request', atSeconds: 0.3, prompt: promptA2, maxTokens: 4 },
  // A + 70: 78 uncached on d0 > 64: remote, the handoff skipping the 192 tokens d0 holds.
  { kind: 'request', atSeconds: 0.35, prompt: promptA3, maxTokens: 4 },
  // B: its prefix is in the pool (2 blocks dram, 1 disk): leased and fetched by the prefill worker.
  { kind: 'request', atSeconds: 0.38, prompt: promptB, maxTokens: 5 },
  // 400 + 10 tokens fit no decode worker: 503 capacity (overloaded, docs/reliability.md).
  { kind: 'request', atSeconds: 0.4, prompt: tokens(4, 400), maxTokens: 10 },
  // d0 reports itself nearly full: a 60-token request goes to d1.
  { kind: 'heartbeat', atSeconds: 0.5, workerId: 'd0', load: idle({ kvUsedBytes: 280 * BPT, numRunningSequences: 3 }) },
  { kind: 'request', atSeconds: 0.6, prompt: tokens(5, 60), maxTokens: 4 },
  // p0 turns very slow: a 100-token request's best predicted TTFT breaks the SLO (0.5 s): 429 slo.
  { kind: 'heartbeat', atSeconds: 0.8, workerId: 'p0', load: idle({ prefillSecondsPerToken: 0.01 }) },
  { kind: 'heartbeat', atSeconds: 0.8, workerId: 'd0', load: idle({ decodeStepSeconds: 0.005 }) },
  { kind: 'request', atSeconds: 0.9, prompt: tokens(6, 100), maxTokens: 4 },
  // d1 goes silent past the 3 s timeout: the next request cannot use it (and d0 is full again).
  { kind: 'heartbeat', atSeconds: 4.5, workerId: 'p0', load: idle({ prefillSecondsPerToken: 2e-4 }) },
  { kind: 'heartbeat', atSeconds: 4.5, workerId: 'd0', load: idle({ decodeStepSeconds: 0.005 }) },
  { kind: 'request', atSeconds: 4.6, prompt: tokens(7, 90), maxTokens: 3 },
  { kind: 'request', atSeconds: 4.7, prompt: promptA, maxTokens: 2 },
];

const POLICY = { name: 'oicf-cost', params: { sloTtftSeconds: 0.5, maxLocalPrefillTokens: 64 } };

/** What one request's routing came to, on either side. */
interface Decision {
  status: number;
  reason: string | null;
  decodeWorkerId: string | null;
  prefillWorkerId: string | null;
  predictedTtftSeconds: number | null;
  leasedBlocks: number;
  numHandoffTokens: number;
  numDecodeCachedTokens: number;
}

/** The pool both routers look into: blocks of B's prompt, 2 in dram and the third on disk. */
function filledPool(blockIds: readonly string[]): SimPool {
  const pool = new SimPool(
    {
      tiers: [
        { id: 'dram', capacityBytes: 2 * BT * BPT, bandwidthBytesPerSecond: 63e9, latencySeconds: 2e-6, paced: false },
        { id: 'disk', capacityBytes: 1e9, bandwidthBytesPerSecond: 14e9, latencySeconds: 8e-5, paced: false },
      ],
      policy: 'lru',
      recompute: { modelId: 'llama-3-8b', deviceId: 'h100', precision: 'bf16' },
      maxLeaseTtlSeconds: 300,
      link: undefined,
    },
    BT,
    BPT,
  );
  // Three puts into a 2-block dram: the first (least recent) is demoted to disk.
  for (const [i, id] of blockIds.slice(0, 3).entries()) {
    pool.put({ blockId: id, parentId: i === 0 ? '' : (blockIds[i - 1] as string), numTokens: BT }, undefined, 0);
  }
  return pool;
}

const TIER_PATHS = Object.fromEntries(
  POOL_TIERS.map((t) => [
    t.id,
    { bandwidthBytesPerSecond: t.bandwidthBytesPerSecond, latencySeconds: t.latencySeconds },
  ]),
);

function poolPort(pool: SimPool, clock: FakeClock): PoolPort {
  return {
    wsAddress: 'ws://127.0.0.1:1',
    lookup: async (ids) => ({ blocks: pool.lookup(ids, clock.nowSeconds()) }),
    lease: async (ids, ttl) => {
      const l = pool.lease(ids, ttl, clock.nowSeconds());
      return { leaseId: l.leaseId, leasedBlockIds: l.leased };
    },
    release: async (id) => pool.release(id, clock.nowSeconds()),
    readPaths: async () => new Map(Object.entries(TIER_PATHS) as [PoolTierId, (typeof TIER_PATHS)[string]][]),
    close: () => {},
  };
}

async function viaRouter(blockIdsOfB: readonly string[]): Promise<Decision[]> {
  const clock = new FakeClock(0);
  const config = routerConfig({ policy: POLICY, heartbeatIntervalSeconds: 1000, drainTimeoutSeconds: 1 });
  const router: RunningRouter = await startRouter(config, {
    clock,
    write: () => {},
    handleSignals: false,
    pool: poolPort(filledPool(blockIdsOfB), clock),
  });
  const grpc = router.service.endpoints.grpc as string;
  const loads = new Map<string, WorkerLoad>();
  const workers = new Map<string, ScriptedWorker>();
  try {
    for (const w of WORKERS) {
      loads.set(w.workerId, idle({ kvCapacityBytes: w.kvCapacityBytes }));
      workers.set(
        w.workerId,
        await startScriptedWorker({
          ...w,
          routerGrpcAddress: grpc,
          text: 'hello',
          load: () => loads.get(w.workerId) as WorkerLoad,
        }),
      );
    }
    const out: Decision[] = [];
    for (const step of SCENARIO) {
      await clock.advance(step.atSeconds - clock.nowSeconds());
      if (step.kind === 'heartbeat') {
        const w = WORKERS.find((x) => x.workerId === step.workerId);
        loads.set(step.workerId, { ...step.load, kvCapacityBytes: w?.kvCapacityBytes ?? 0 });
        await workers.get(step.workerId)?.heartbeat();
        continue;
      }
      const before = {
        p: workers.get('p0')?.calls.prefill.length ?? 0,
        d: [...workers.values()].map((w) => w.calls.decode.length),
      };
      const res = await postJson(`${router.service.endpoints.http}/v1/completions`, {
        model: 'tiny-gqa',
        prompt: step.prompt,
        max_tokens: step.maxTokens,
      });
      const body = await jsonOf<{ oicf?: Record<string, unknown>; error?: { code: string } }>(res);
      const prefillCall = workers.get('p0')?.calls.prefill[before.p];
      const decodeCall = [...workers.values()]
        .map((w, i) => w.calls.decode[before.d[i] ?? 0])
        .find((c) => c !== undefined);
      const o = body.oicf;
      out.push({
        status: res.status,
        reason: (o?.reason as string | undefined) ?? body.error?.code ?? null,
        decodeWorkerId: (o?.decode_worker_id as string | undefined) ?? null,
        prefillWorkerId: (o?.prefill_worker_id as string | null | undefined) ?? null,
        predictedTtftSeconds: (o?.predicted_ttft_seconds as number | undefined) ?? null,
        leasedBlocks: (prefillCall?.cachedPrefix ?? decodeCall?.kvSources ?? []).reduce(
          (a, s) => a + s.blocks.length,
          0,
        ),
        numHandoffTokens: decodeCall?.numHandoffTokens ?? 0,
        numDecodeCachedTokens: prefillCall?.numDecodeCachedTokens ?? 0,
      });
    }
    return out;
  } finally {
    await Promise.all([...workers.values()].map((w) => w.close()));
    await router.shutdown('test done');
  }
}

function viaTwin(blockIdsOfB: readonly string[]): Decision[] {
  const specs: SimWorkerSpec[] = WORKERS.map((w) => ({
    ...w,
    maxContextTokens: 0,
    maxPrefillTokensPerStep: 512,
    stepTime: { kind: 'oicf', label: 'unused', stepSeconds: () => 0 },
    link: undefined,
    label: w.workerId,
  }));
  const defaults = routerConfig();
  const cluster: SimCluster = {
    kvBytesPerToken: BPT,
    blockTokens: BT,
    mode: 'disaggregated',
    sessionTtlSeconds: defaults.sessionTtlSeconds,
    router: {
      policy: POLICY.name,
      policyParams: POLICY.params,
      heartbeatIntervalSeconds: 1000,
      workerTimeoutSeconds: defaults.workerTimeoutSeconds,
      workerDropSeconds: defaults.workerDropSeconds,
      priorPrefillSecondsPerToken: defaults.priorPrefillSecondsPerToken,
      priorDecodeStepSeconds: defaults.priorDecodeStepSeconds,
      leaseTtlSeconds: defaults.leaseTtlSeconds,
      maxPromptTokens: defaults.maxPromptTokens,
      handoffPath: { bandwidthBytesPerSecond: 50e9, latencySeconds: 2e-6 }, // rdma-400g
      tierPaths: TIER_PATHS,
      learnTransferPaths: defaults.learnTransferPaths,
    },
    workers: specs,
    pool: undefined,
    host: undefined,
  };
  const queue = new EventQueue();
  const pool = filledPool(blockIdsOfB);
  const ctx = {
    queue,
    cluster,
    fabric: new Fabric(cluster, { read: new Map(), write: new Map() }),
    pool,
    seed: 1,
    rpcSeconds: 0,
    hostCpu: undefined,
    processes: undefined,
  };
  // Scripted twin workers: the gRPC scripted worker's answers (first token from prefill, then the script).
  const calls = {
    prefill: [] as { leased: number; numDecodeCachedTokens: number }[],
    decode: [] as { numHandoffTokens: number; leased: number }[],
  };
  const prefill: PrefillWorkerPort = {
    workerId: 'p0',
    prefill: (call, reply) => {
      const cached = (call.cachedPrefix?.blocks ?? []).reduce((a, b) => a + b.numTokens, 0);
      calls.prefill.push({
        leased: call.cachedPrefix?.blocks.length ?? 0,
        numDecodeCachedTokens: call.numDecodeCachedTokens,
      });
      reply({
        firstTokenId: SCRIPT[0] as number,
        report: {
          numCachedTokens: cached,
          kvBytesSent: (call.prompt.numTokens - call.numDecodeCachedTokens) * BPT,
          queueSeconds: 0,
          fetchKvSeconds: 0,
          computeSeconds: 0,
          sendKvSeconds: 0,
        },
      });
    },
  };
  const decoder = (workerId: string): DecodeWorkerPort => ({
    workerId,
    decode: (call, sink) => {
      calls.decode.push({ numHandoffTokens: call.numHandoffTokens, leased: call.kvSources?.blocks.length ?? 0 });
      const generated = SCRIPT.slice(0, call.maxTokens);
      const remote = call.numHandoffTokens > 0;
      for (let i = remote ? 1 : 0; i < generated.length; i++) sink.onChunk(1, 0);
      sink.onFinal({
        finishReason: 'length',
        numCompletionTokens: generated.length,
        numCachedPromptTokens: 0,
        queueSeconds: 0,
        kvReceiveSeconds: 0,
        decodeSeconds: 0,
        emittedAfterSeconds: 0,
        generatedTokenIds: generated,
      });
    },
  });
  const router = new SimRouter(
    ctx,
    {
      decode: new Map([
        ['d0', decoder('d0')],
        ['d1', decoder('d1')],
      ]),
      prefill: new Map([['p0', prefill]]),
    },
    0,
  );
  for (const w of specs) router.admission.register(registrationOf(w), 0);
  for (const w of specs) router.admission.heartbeat(w.workerId, idle({ kvCapacityBytes: w.kvCapacityBytes }), 0);
  const out: Decision[] = [];
  for (const step of SCENARIO) {
    queue.at(step.atSeconds, () => {
      if (step.kind === 'heartbeat') {
        const w = specs.find((x) => x.workerId === step.workerId);
        router.admission.heartbeat(
          step.workerId,
          { ...step.load, kvCapacityBytes: w?.kvCapacityBytes ?? 0 },
          queue.nowSeconds,
        );
        return;
      }
      const before = { p: calls.prefill.length, d: calls.decode.length };
      const d = router.decisions.length;
      const prompt = { numTokens: step.prompt.length, blockIds: blockIdsOf(step.prompt), tokenIds: step.prompt };
      router.submit(
        {
          requestId: `r${out.length}`,
          prompt,
          maxTokens: step.maxTokens,
          sessionId: '',
          sessionTtlSeconds: cluster.sessionTtlSeconds,
        },
        {
          onToken: () => {},
          onFinal: () => {},
          onError: () => {},
        },
      );
      queue.runUntil(queue.nowSeconds); // the request runs to its end at this instant (no latencies)
      const decided = router.decisions[d]?.decision;
      const p = calls.prefill[before.p];
      const dc = calls.decode[before.d];
      out.push(
        decided === undefined || decided.kind === 'reject'
          ? {
              // The router's split (docs/reliability.md): overloaded 503, rate-limited (slo) 429.
              status: decided?.kind === 'reject' && rejectClass(decided.reason) === 'rate-limited' ? 429 : 503,
              reason: decided?.kind === 'reject' ? decided.reason : null,
              decodeWorkerId: null,
              prefillWorkerId: null,
              predictedTtftSeconds: null,
              leasedBlocks: 0,
              numHandoffTokens: 0,
              numDecodeCachedTokens: 0,
            }
          : {
              status: 200,
              reason: decided.reason,
              decodeWorkerId: decided.decodeWorkerId,
              prefillWorkerId: decided.prefillWorkerId,
              predictedTtftSeconds: decided.terms.ttftSeconds,
              leasedBlocks: p?.leased ?? dc?.leased ?? 0,
              numHandoffTokens: dc?.numHandoffTokens ?? 0,
              numDecodeCachedTokens: p?.numDecodeCachedTokens ?? 0,
            },
      );
    });
  }
  router.decisions.length = 0;
  router.keepDecisions = true;
  queue.runUntil();
  return out;
}

describe('the twin and the router decide alike', () => {
  let real: Decision[] = [];
  let twin: Decision[] = [];
  beforeAll(async () => {
    const b = blockIdsOf(promptB);
    real = await viaRouter(b);
    twin = viaTwin(b);
  });
  afterAll(() => {});

  it('decision by decision, on the whole scenario', () => {
    expect(twin).toHaveLength(real.length);
    for (let i = 0; i < real.length; i++) {
      const { predictedTtftSeconds: rp, ...r } = real[i] as Decision;
      const { predictedTtftSeconds: tp, ...t } = twin[i] as Decision;
      expect({ request: i, ...t }).toEqual({ request: i, ...r });
      if (rp === null) expect(tp).toBeNull();
      else expect(tp).toBeCloseTo(rp, 12);
    }
  });

  it('the scenario exercises every outcome it was written for', () => {
    expect(real.map((d) => [d.status, d.reason, d.decodeWorkerId, d.prefillWorkerId])).toEqual([
      [200, 'remote-prefill', 'd0', 'p0'], // A: 204 tokens fit only d0's 300
      [200, 'local-prefill-short-suffix', 'd0', null], // A + 40: 48 uncached on d0
      [200, 'remote-prefill', 'd0', 'p0'], // A + 70
      [200, 'remote-prefill', 'd0', 'p0'], // B
      [503, 'capacity', null, null], // 410 tokens
      [200, 'remote-prefill', 'd1', 'p0'], // d0 reported 280 of 300 tokens used
      [429, 'slo', null, null], // p0 at 10 ms per token
      [200, 'remote-prefill', 'd0', 'p0'], // d1 silent for 4 s: unhealthy
      // A again: d0's index holds 4 blocks (300 tokens of KV ÷ 64) and later requests pushed A's out.
      [200, 'remote-prefill', 'd0', 'p0'],
    ]);
    // A + 70: the handoff skips A's 3 blocks d0 holds (192 tokens) and ships the other 78.
    expect(real[2]).toMatchObject({ numDecodeCachedTokens: 192, numHandoffTokens: 78 });
    // B: the pool's 3 blocks (2 dram, 1 disk) are leased for the prefill worker.
    expect(real[3]).toMatchObject({ leasedBlocks: 3, numHandoffTokens: 200 });
  });
});
