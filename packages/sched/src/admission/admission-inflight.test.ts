// A second request that arrives while a request sharing its prefix is still prefilling (issue 16.1): the
// prefix is pending on the first request's decode worker, never held, so the policy either waits for it
// (priced: wait + prefill of the rest) or recomputes it, whichever is predicted sooner. Plain values on a
// virtual clock, decisions derived by hand.
import { describe, expect, it } from 'vitest';
import { createRoutingPolicy } from '../policies/registry.js';
import type { WorkerLoadReport, WorkerSpec } from '../state/worker-table.js';
import { Admission } from './admission.js';
import type { AdmissionDecision, AdmissionInput } from './admission-types.js';
import { NO_POOL_PREFIX } from './pool-prefix.js';

const BT = 4; // tokens per block
const BPT = 1000; // KV bytes per token

function newAdmission(policy = 'oicf-cost', params: unknown = { sloTtftSeconds: 10, maxLocalPrefillTokens: 8 }) {
  const p = createRoutingPolicy(policy, params);
  if (!p.ok) throw new Error(p.errors.join('; '));
  return new Admission({
    policy: p.value,
    mode: 'disaggregated',
    blockTokens: BT,
    kvBytesPerToken: BPT,
    // Decode workers have not measured a prefill: 1 ms per token, no fixed part.
    priors: { prefillSecondsPerToken: 1e-3, decodeStepSeconds: 0.01 },
    heartbeatIntervalSeconds: 0.5,
    health: { timeoutSeconds: 3, dropSeconds: 30 },
    transfer: {
      tierPaths: { dram: { bandwidthBytesPerSecond: 1e6, latencySeconds: 0.001 } },
      handoffPath: { bandwidthBytesPerSecond: 2e6, latencySeconds: 0.0005 },
      learn: false,
    },
  });
}

const spec = (workerId: string, role: 'decode' | 'prefill'): WorkerSpec => ({
  workerId,
  role,
  kvCapacityBytes: role === 'decode' ? 10_000_000 : 0,
  maxBatch: 8,
  maxContextTokens: role === 'decode' ? 4096 : 0,
});
const idle = (over: Partial<WorkerLoadReport> = {}): WorkerLoadReport => ({
  numRunningSequences: 0,
  numWaitingSequences: 0,
  kvUsedBytes: 0,
  kvCapacityBytes: 10_000_000,
  prefillSecondsPerToken: 0,
  prefillFixedSeconds: 0,
  decodeStepSeconds: 0.01,
  prefillIntensityFlopsPerByte: 0,
  decodeIntensityFlopsPerByte: 0,
  ...over,
});
// Prefill workers: 10 ms + 1 ms per token.
const prefillSpeed = { prefillSecondsPerToken: 1e-3, prefillFixedSeconds: 0.01 };

function cluster(a: Admission, prefillers: string[]) {
  for (const id of ['d0', 'd1']) {
    a.register(spec(id, 'decode'), 0);
    a.heartbeat(id, idle(), 0);
  }
  for (const id of prefillers) {
    a.register(spec(id, 'prefill'), 0);
    a.heartbeat(id, idle(prefillSpeed), 0);
  }
}

const tokens = (n: number, from: number) => Array.from({ length: n }, (_, i) => (from + i) % 256);
const input = (requestId: string, promptTokenIds: number[]): AdmissionInput => ({
  requestId,
  promptTokenIds,
  maxTokens: 4,
  sessionId: '',
});
const admit = (a: Admission, id: string, prompt: number[], now: number) =>
  a.admit(input(id, prompt), () => NO_POOL_PREFIX, now);
function accepted(d: AdmissionDecision) {
  if (d.kind !== 'accept') throw new Error(`expected accept, got ${JSON.stringify(d)}`);
  return d;
}

// R1: 200 tokens = 50 blocks, nothing cached. Local prefill is out (200 uncached > 8), so p0 prefills:
//   prefill 10 + 200 × 1 = 210 ms, handoff of 200 tokens × 1,000 B = 200 kB at 2 MB/s: 0.5 + 100 ms
//   → TTFT 310.5 ms on d0 or d1 alike; the tie goes to the first option, d0.
const r1Prompt = tokens(200, 1);

describe('Admission with a prefix in flight', () => {
  it('coalesces an identical prefill on the same decode worker when waiting is sooner, then holds it once landed', () => {
    const a = newAdmission();
    cluster(a, ['p0']);
    const r1 = accepted(admit(a, 'r1', r1Prompt, 0));
    expect(r1.routing).toMatchObject({ decodeWorkerId: 'd0', prefillWorkerId: 'p0', reason: 'remote-prefill' });
    expect(r1.routing.predictedTtftSeconds).toBeCloseTo(0.3105, 12);
    // Its blocks are pending on d0 until d0's first decode step on them: 0.3105 + 0.01 = 0.3205.
    expect(a.pending.leadingRun('d0', r1.plan.blockIds, 0)?.readyAtSeconds).toBeCloseTo(0.3205, 12);
    const r1Hold = a.reserve(r1.plan);

    // R2 at t = 0.1: the same 200 tokens + 3 (203: 50 full blocks, ⌊202/4⌋ = 50 reusable), all 50 pending
    // on d0. They land when d0 emits R1's first token, with its first decode step on the handed-off KV:
    // R1's TTFT 0.3105 + d0's step 0.01 = 0.3205, a wait of 0.2205 s.
    //   wait on d0: 0.2205 + queue 0 (d0's own queue is empty: R1 prefills on p0) + 3 tokens × 1 ms = 0.2235 s
    //   recompute on p0 → d0 or d1: queue 200 × 1 ms (R1) + 10 + 203 ms + handoff 0.5 + 101.5 ms = 0.515 s
    //   local recompute: 203 uncached > 8, not an option.
    const r2Prompt = [...r1Prompt, ...tokens(3, 99)];
    const r2 = accepted(admit(a, 'r2', r2Prompt, 0.1));
    expect(r2.routing).toMatchObject({
      decodeWorkerId: 'd0',
      prefillWorkerId: null,
      reason: 'coalesced-inflight-prefill',
      numCachedTokens: 200,
      cacheSource: 'worker',
      awaitsRequestId: 'r1',
    });
    expect(r2.routing.predictedTtftSeconds).toBeCloseTo(0.2235, 12);
    expect(r2.decision.terms).toEqual({
      prefixWaitSeconds: expect.closeTo(0.2205, 12),
      queueSeconds: 0,
      prefillSeconds: expect.closeTo(0.003, 12),
      prefixTransferSeconds: 0,
      handoffSeconds: 0,
      ttftSeconds: expect.closeTo(0.2235, 12),
    });
    expect(r2.plan).toMatchObject({
      prefill: undefined,
      numCachedTokens: 200,
      decodePrefixBlocks: 50,
      poolBlocksToLease: [],
      numHandoffTokens: 0,
      awaitPrefix: { requestId: 'r1', numTokens: 200, expectedWaitSeconds: expect.closeTo(0.2205, 12) },
    });
    const r2Hold = a.reserve(r2.plan);

    // R1's first Decode chunk: its 50 blocks are held on d0 now, pending nowhere.
    r1Hold.prefixLanded();
    expect(a.prefixIndex.leadingBlocks('d0', r2.plan.blockIds)).toBe(50);
    // R3 at t = 0.4, another 3-token tail on the same 200: held on d0, so an ordinary local prefill:
    //   queue: R2's 3 tokens still to prefill on d0 × 1 ms = 3 ms, + 3 tokens × 1 ms = 6 ms.
    const r3 = accepted(admit(a, 'r3', [...r1Prompt, ...tokens(3, 7)], 0.4));
    expect(r3.routing).toMatchObject({ decodeWorkerId: 'd0', reason: 'local-prefill-short-suffix' });
    expect(r3.routing.awaitsRequestId).toBeUndefined();
    expect(r3.routing.predictedTtftSeconds).toBeCloseTo(0.006, 12);
    r2Hold.release();
    r1Hold.release();
  });

  it('recomputes instead when that is sooner than the wait', () => {
    const a = newAdmission();
    cluster(a, ['p0']);
    const r1Hold = a.reserve(accepted(admit(a, 'r1', r1Prompt, 0)).plan);
    // An idle prefill worker joins. R2 at t = 0.1 shares R1's first 40 tokens (10 blocks) and adds 2:
    //   wait on d0: 0.2205 (R1's landing, as in the first case) + 2 × 1 ms = 0.2225 s
    //   recompute on p1 (idle): 10 + 42 ms + handoff of 42 kB: 0.5 + 21 ms = 73.5 ms, to d0 or d1; d0 has
    //   R1 in flight (one sequence), so the tie goes to d1.
    a.register(spec('p1', 'prefill'), 0.05);
    a.heartbeat('p1', idle(prefillSpeed), 0.05);
    const r2 = accepted(admit(a, 'r2', [...r1Prompt.slice(0, 40), ...tokens(2, 77)], 0.1));
    expect(r2.routing).toMatchObject({ prefillWorkerId: 'p1', decodeWorkerId: 'd1', reason: 'remote-prefill' });
    expect(r2.routing.predictedTtftSeconds).toBeCloseTo(0.0735, 12);
    expect(r2.plan.awaitPrefix).toBeUndefined();
    r1Hold.release();
  });

  it('drops a failed request’s pending blocks: nothing is waited for, nothing is held', () => {
    const a = newAdmission();
    cluster(a, ['p0']);
    const r1 = accepted(admit(a, 'r1', r1Prompt, 0));
    a.reserve(r1.plan).release(); // the prefill failed before its first chunk
    expect(a.pending.numRequests).toBe(0);
    expect(a.prefixIndex.leadingBlocks('d0', r1.plan.blockIds)).toBe(0);
    // R2 as in the first case now finds an idle p0 and no prefix: 10 + 203 + 0.5 + 101.5 ms.
    const r2 = accepted(admit(a, 'r2', [...r1Prompt, ...tokens(3, 99)], 0.1));
    expect(r2.routing).toMatchObject({ reason: 'remote-prefill', numCachedTokens: 0 });
    expect(r2.routing.predictedTtftSeconds).toBeCloseTo(0.315, 12);
  });

  it('prefix-aware picks the worker the prefix is in flight to and waits when that is sooner', () => {
    const a = newAdmission('prefix-aware', {});
    cluster(a, ['p0']);
    // prefix-aware ranks d0 and d1 alike for R1 (no prefix, idle): the smaller id, d0; p0 prefills.
    const r1 = accepted(admit(a, 'r1', r1Prompt, 0));
    expect(r1.routing.decodeWorkerId).toBe('d0');
    a.reserve(r1.plan);
    // R2 as in the first case: d0 scores the full prefix (pending counts for where the prefix will be);
    // computing on p0 would take 0.515 s, waiting 0.2235 s.
    const r2 = accepted(admit(a, 'r2', [...r1Prompt, ...tokens(3, 99)], 0.1));
    expect(r2.routing).toMatchObject({ decodeWorkerId: 'd0', prefillWorkerId: null, awaitsRequestId: 'r1' });
    expect(r2.routing.predictedTtftSeconds).toBeCloseTo(0.2235, 12);
  });
});
