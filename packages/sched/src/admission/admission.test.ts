// Admission end to end with plain values, as a simulator would host it: workers register and heartbeat on a
// virtual clock, the pool is a function, and each request's whole decision is checked against a hand
// derivation. No router code is involved.
import { describe, expect, it } from 'vitest';
import { createRoutingPolicy } from '../policies/registry.js';
import type { WorkerLoadReport, WorkerSpec } from '../state/worker-table.js';
import { Admission } from './admission.js';
import type { AdmissionInput } from './admission-types.js';
import type { PoolBlock, PoolPrefix } from './pool-prefix.js';
import { promptBlockIds } from './prompt-blocks.js';

const BT = 4; // tokens per block
const BPT = 1000; // KV bytes per token → 4,000 B per block

function policy() {
  const p = createRoutingPolicy('oicf-cost', { sloTtftSeconds: 0.28, maxLocalPrefillTokens: 256 });
  if (!p.ok) throw new Error(p.errors.join('; '));
  return p.value;
}

function newAdmission(): Admission {
  return new Admission({
    policy: policy(),
    mode: 'disaggregated',
    blockTokens: BT,
    kvBytesPerToken: BPT,
    priors: { prefillSecondsPerToken: 1e-3, decodeStepSeconds: 0.01 },
    heartbeatIntervalSeconds: 0.5,
    health: { timeoutSeconds: 3, dropSeconds: 30 },
    transfer: {
      tierPaths: {
        dram: { bandwidthBytesPerSecond: 1e6, latencySeconds: 0.001 },
        disk: { bandwidthBytesPerSecond: 1e5, latencySeconds: 0.01 },
      },
      handoffPath: { bandwidthBytesPerSecond: 2e6, latencySeconds: 0.0005 },
      learn: true,
    },
  });
}

const decoder = (workerId: string): WorkerSpec => ({
  workerId,
  role: 'decode',
  kvCapacityBytes: 1_000_000,
  maxBatch: 4,
  maxContextTokens: 512,
});
const prefiller: WorkerSpec = { workerId: 'p0', role: 'prefill', kvCapacityBytes: 0, maxBatch: 0, maxContextTokens: 0 };

const load = (over: Partial<WorkerLoadReport>): WorkerLoadReport => ({
  numRunningSequences: 0,
  numWaitingSequences: 0,
  kvUsedBytes: 0,
  kvCapacityBytes: 1_000_000,
  prefillSecondsPerToken: 0,
  prefillFixedSeconds: 0,
  decodeStepSeconds: 0.01,
  prefillIntensityFlopsPerByte: 0,
  decodeIntensityFlopsPerByte: 0,
  ...over,
});

const tokens = (n: number, from: number) => Array.from({ length: n }, (_, i) => (from + i) % 256);
const input = (requestId: string, promptTokenIds: number[], maxTokens: number): AdmissionInput => ({
  requestId,
  promptTokenIds,
  maxTokens,
  sessionId: '',
});

// R1's prompt: 22 tokens = 5 full blocks (+ 2). The pool holds its first 3 blocks: dram, dram, disk.
const r1Prompt = tokens(22, 1);
const r1Blocks = promptBlockIds(r1Prompt, BT);
const poolHeld: PoolBlock[] = r1Blocks.slice(0, 3).map((blockId, i) => ({
  blockId,
  firstToken: i * BT,
  numTokens: BT,
  tier: i < 2 ? 'dram' : 'disk',
  sizeBytes: BT * BPT,
}));
/** The pool's lookup: the leading run of `blockIds` it holds. */
const lookupPool = (blockIds: readonly string[]): PoolPrefix => {
  const blocks: PoolBlock[] = [];
  for (const [i, id] of blockIds.entries()) {
    if (poolHeld[i]?.blockId !== id) break;
    blocks.push(poolHeld[i] as PoolBlock);
  }
  return { blocks };
};

describe('Admission, a scripted run', () => {
  it('decides unavailable, invalid, local prefill, remote prefill and an SLO reject, and learns from finishes', () => {
    const a = newAdmission();

    // No worker yet: 503-style unavailable, before any pool lookup.
    let lookups = 0;
    const counting = (ids: readonly string[]) => {
      lookups++;
      return lookupPool(ids);
    };
    expect(a.admit(input('r0', r1Prompt, 10), counting, 0)).toEqual({
      kind: 'unavailable',
      message: 'no decode worker is registered with this router yet: start workers, or retry shortly',
    });

    for (const w of [decoder('d0'), decoder('d1'), prefiller]) {
      expect(a.register(w, 0)).toEqual({ isNew: true, changed: true, previous: undefined });
    }
    // d0 runs one sequence holding 10 kB and steps in 20 ms; neither decoder has measured its prefill (the
    // 1 ms/token prior applies). p0 has: 5 ms + 0.2 ms per token.
    expect(a.heartbeat('d0', load({ numRunningSequences: 1, kvUsedBytes: 10_000, decodeStepSeconds: 0.02 }), 1)).toBe(
      true,
    );
    expect(a.heartbeat('d1', load({}), 1)).toBe(true);
    expect(a.heartbeat('p0', load({ prefillSecondsPerToken: 2e-4, prefillFixedSeconds: 0.005 }), 1)).toBe(true);

    // 500 + 20 = 520 tokens > the decoders' 512: max_tokens may be at most 512 − 500 = 12.
    expect(a.admit(input('too-long', tokens(500, 0), 20), counting, 1)).toEqual({
      kind: 'invalid',
      field: 'max_tokens',
      message:
        'prompt (500) + max_tokens (20) = 520 tokens exceed the longest sequence a decode worker holds (512 tokens): set max_tokens ≤ 12',
    });
    expect(lookups).toBe(0);

    // R1 at t = 1.1: 22 prompt tokens, 10 output. Usable pool blocks ⌊21/4⌋ = 5 ≥ the 3 held: 12 tokens.
    // Reading them: dram 2 blocks = 8,000 B → 1 ms + 8 ms; disk 1 block = 4,000 B → 10 ms + 40 ms: 59 ms.
    //   local on d1: queue 0 (nothing running) + 59 ms + prefill 10 uncached × 1 ms = 69 ms
    //   local on d0: queue 20 ms (one decode step) + 59 + 10 = 89 ms
    //   remote p0 → d1: 59 + prefill (5 + 0.2 × 10) ms + handoff of 22 tokens (0.5 ms + 22 kB / 2 MB/s) = 77.5 ms
    // 10 uncached ≤ 256, so local prefill is an option: local on d1 wins at 69 ms.
    const r1 = a.admit(input('r1', r1Prompt, 10), counting, 1.1);
    expect(lookups).toBe(1);
    expect(r1).toEqual({
      kind: 'accept',
      routing: {
        requestId: 'r1',
        policy: 'oicf-cost',
        reason: 'local-prefill-short-suffix',
        prefillWorkerId: null,
        decodeWorkerId: 'd1',
        numCachedTokens: 12,
        cacheSource: 'pool',
        predictedTtftSeconds: expect.closeTo(0.069, 12),
      },
      plan: {
        requestId: 'r1',
        promptTokenIds: r1Prompt,
        maxTokens: 10,
        blockIds: r1Blocks,
        decode: decoder('d1'),
        prefill: undefined,
        numCachedTokens: 12,
        // d1 holds none of the prompt; the pool holds 3 blocks: d1 reads them, so they are leased.
        poolBlocksToLease: poolHeld,
        decodePrefixBlocks: 0,
        numDecodeCachedTokens: 0,
        numHandoffTokens: 0,
      },
      decision: {
        kind: 'route',
        prefillWorkerId: null,
        decodeWorkerId: 'd1',
        reason: 'local-prefill-short-suffix',
        numCachedTokens: 12,
        cacheSource: 'pool',
        terms: {
          queueSeconds: 0,
          prefillSeconds: expect.closeTo(0.01, 12),
          prefixTransferSeconds: expect.closeTo(0.059, 12),
          handoffSeconds: 0,
          ttftSeconds: expect.closeTo(0.069, 12),
        },
      },
    });
    if (r1.kind !== 'accept') throw new Error('r1 accepted');
    // It starts: d1 holds one sequence of (22 + 10) × 1,000 B and 22 − 12 = 10 tokens to prefill.
    const r1Hold = a.reserve(r1.plan);
    expect(a.inflight.get('d1')).toEqual({ numSequences: 1, kvBytes: 32_000, prefillTokens: 10 });
    // Until its prompt KV is on d1, R1's 5 blocks are pending there (expected at 1.1 + 0.069), not held.
    expect(a.prefixIndex.leadingBlocks('d1', r1Blocks)).toBe(0);
    expect(a.pending.leadingRun('d1', r1Blocks, 0)).toEqual({
      numBlocks: 5,
      readyAtSeconds: expect.closeTo(1.169, 12),
      requestId: 'r1',
    });
    // Its first Decode chunk came (t ≈ 1.17): d1 holds them.
    r1Hold.prefixLanded();
    expect(a.prefixIndex.leadingBlocks('d1', r1Blocks)).toBe(5);
    expect(a.pending.numBlocks('d1')).toBe(0);

    // R2 at t = 1.2 shares R1's first 5 blocks (20 tokens) and adds 300: 320 tokens = 80 blocks, 10 output.
    // The prefix index says d1 holds those 5 (recorded when R1's KV landed); the pool still holds 3.
    // Local prefill is out on both decoders (320 − 12 = 308 and 320 − 20 = 300 uncached > 256), so p0 prefills:
    //   prefill (5 + 0.2 × 308) ms = 66.6 ms, pool read 59 ms, queue at p0 0
    //   → d0: handoff of all 320 tokens: 0.5 + 160 ms → 286.1 ms
    //   → d1: handoff of 320 − 5 × 4 = 300 tokens: 0.5 + 150 ms → 276.1 ms ≤ the 280 ms SLO: d1 wins.
    const r2Prompt = [...r1Prompt.slice(0, 20), ...tokens(300, 100)];
    const r2 = a.admit(input('r2', r2Prompt, 10), counting, 1.2);
    expect(r2).toMatchObject({
      kind: 'accept',
      routing: {
        reason: 'remote-prefill',
        prefillWorkerId: 'p0',
        decodeWorkerId: 'd1',
        numCachedTokens: 12,
        cacheSource: 'pool',
        predictedTtftSeconds: expect.closeTo(0.2761, 12),
      },
      plan: {
        prefill: prefiller,
        decode: decoder('d1'),
        numCachedTokens: 12,
        // p0 keeps no KV: it reads every usable pool block.
        poolBlocksToLease: poolHeld,
        decodePrefixBlocks: 5,
        // d1 holds min(5, ⌊319/4⌋ = 79) blocks = 20 tokens; p0 hands it the other 300.
        numDecodeCachedTokens: 20,
        numHandoffTokens: 300,
      },
      decision: {
        terms: {
          queueSeconds: 0,
          prefillSeconds: expect.closeTo(0.0666, 12),
          prefixTransferSeconds: expect.closeTo(0.059, 12),
          handoffSeconds: expect.closeTo(0.1505, 12),
          ttftSeconds: expect.closeTo(0.2761, 12),
        },
      },
    });
    if (r2.kind !== 'accept') throw new Error('r2 accepted');
    const r2Hold = a.reserve(r2.plan);
    // p0 now has 320 − 12 = 308 tokens queued; d1 two sequences: 32,000 + 330,000 B.
    expect(a.inflight.get('p0')).toEqual({ numSequences: 0, kvBytes: 0, prefillTokens: 308 });
    expect(a.inflight.get('d1')).toEqual({ numSequences: 2, kvBytes: 362_000, prefillTokens: 10 });

    // R3 at t = 1.3: 500 new tokens, 10 output, nothing cached anywhere; only remote prefill (500 > 256):
    //   queue at p0 308 × 0.2 ms = 61.6 ms, prefill (5 + 100) ms, handoff 0.5 + 250 ms = 417.1 ms > 280 ms.
    expect(a.admit(input('r3', tokens(500, 7), 10), counting, 1.3)).toMatchObject({
      kind: 'reject',
      reason: 'slo',
      // ⌈2 heartbeats of 0.5 s⌉ = 1 s
      retryAfterSeconds: 1,
      policy: 'oicf-cost',
      message:
        'predicted time to first token 417.1 ms (queue 61.6 ms, prefix transfer 0.0 ms, prefill 105.0 ms, handoff 250.5 ms) exceeds the SLO of 280.0 ms; retry later or raise the SLO',
    });

    // R2's prefill is done, then both finish. R2's handoff of 300 tokens × 1,000 B took 0.3 s: the handoff
    // path learns (MeasuredPath: 4 MiB prior at 2 MB/s, α = 0.2, latency 0.5 ms off the time):
    //   bytes = 0.8 × 4,194,304 + 0.2 × 300,000 = 3,415,443.2
    //   seconds = 0.8 × 4,194,304 / 2e6 + 0.2 × 0.2995 = 1.7376216 → 1,965,585 B/s.
    // Pool fetches of 12 tokens (12 kB) are below the 256 KiB minimum and teach nothing.
    r2Hold.prefillDone();
    expect(a.inflight.get('p0').prefillTokens).toBe(0);
    a.finished(r2.plan, {
      prefill: {
        numCachedTokens: 12,
        kvBytesSent: 300_000,
        queueSeconds: 0,
        fetchKvSeconds: 0.06,
        computeSeconds: 0.07,
        sendKvSeconds: 0.3,
      },
      decode: {
        firstChunkAfterSeconds: 0.01,
        numCachedPromptTokens: 0,
        queueSeconds: 0,
        kvReceiveSeconds: 0,
        decodeSeconds: 0.1,
      },
      generatedTokenIds: tokens(10, 50),
    });
    r2Hold.release();
    a.finished(r1.plan, {
      prefill: undefined,
      decode: {
        firstChunkAfterSeconds: 0.07,
        numCachedPromptTokens: 12,
        queueSeconds: 0,
        kvReceiveSeconds: 0.06,
        decodeSeconds: 0.1,
      },
      generatedTokenIds: tokens(10, 60),
    });
    r1Hold.release();
    expect(a.links.handoffPath()).toEqual({
      bandwidthBytesPerSecond: expect.closeTo(1_965_585.14, 1),
      latencySeconds: 0.0005,
    });
    expect(a.links.tierPaths()).toEqual({
      dram: { bandwidthBytesPerSecond: 1e6, latencySeconds: 0.001 },
      disk: { bandwidthBytesPerSecond: 1e5, latencySeconds: 0.01 },
    });
    expect(a.inflight.totalSequences()).toBe(0);
    // d1 keeps R1's prompt + the 9 output tokens it computed KV for: 22 + 9 = 31 tokens = 7 full blocks.
    const r1Kept = promptBlockIds([...r1Prompt, ...tokens(9, 60)], BT);
    expect(a.prefixIndex.leadingBlocks('d1', r1Kept)).toBe(7);

    // d1 restarts with another capacity: a changed registration, whose cache the index forgets.
    const bigger = { ...decoder('d1'), kvCapacityBytes: 2_000_000 };
    expect(a.register(bigger, 5)).toEqual({ isNew: false, changed: true, previous: decoder('d1') });
    expect(a.prefixIndex.leadingBlocks('d1', r1Kept)).toBe(0);
  });

  it('is the same decision in two steps (precheck, then route with the pool answer) as in one', () => {
    const one = newAdmission();
    const two = newAdmission();
    for (const a of [one, two]) {
      for (const w of [decoder('d0'), decoder('d1'), prefiller]) a.register(w, 0);
    }
    const req = input('r1', r1Prompt, 10);
    const pre = two.precheck(req);
    expect(pre).toEqual({ kind: 'lookup', blockIds: r1Blocks });
    if (pre.kind !== 'lookup') throw new Error('lookup');
    expect(two.route(req, pre.blockIds, lookupPool(pre.blockIds), 0.5)).toEqual(one.admit(req, lookupPool, 0.5));
  });

  it('takes the prompt block ids a host already derived instead of hashing the prompt', () => {
    const a = newAdmission();
    a.register(decoder('d0'), 0);
    // A host's ids are used as given (here deliberately not the prompt's hash chain, to tell them apart).
    const given = ['a'.repeat(32), 'b'.repeat(32)];
    expect(a.precheck({ ...input('r1', r1Prompt, 10), promptBlockIds: given })).toEqual({
      kind: 'lookup',
      blockIds: given,
    });
    expect(a.precheck(input('r1', r1Prompt, 10))).toEqual({ kind: 'lookup', blockIds: r1Blocks });
  });
});
