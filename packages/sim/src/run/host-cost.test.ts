// The host-cost model in the twin, derived by hand: the hand cluster (testing/hand-cluster.ts: prefill of t
// tokens 0.010 + 0.001·t s, a decode step of B sequences 0.005 + 0.001·B s) on a host with no message
// latencies and an instant loopback, every kernel demanding 1 thread, plus the services' own CPU as work
// items on the same cores (one FIFO main thread per process).
import { describe, expect, it } from 'vitest';
import { type HostCost, ZERO_HOST_COST } from '../host-cost/host-cost.js';
import { HAND_A, handClusterOnHost } from '../testing/hand-host.js';
import { simulate } from './simulate.js';

const onHost = (cores: number, cost: HostCost) => handClusterOnHost(cost, { cores });
/** A: 10 tokens, 3 out. B: the same length on other blocks, 1 out; both at 0. */
const A = HAND_A;
const B = { ...HAND_A, requestId: 'B', arrivalSeconds: 0, blockHashes: [5, 6, 7], outputTokens: 1 };

describe('the host-cost model (services’ CPU on the shared cores)', () => {
  it('two requests on one core: the router’s 4 ms per request queues them and shares the core with a prefill', () => {
    const cost: HostCost = {
      ...ZERO_HOST_COST,
      router: { secondsPerRequest: 0.004, secondsPerToken: 0, busyCores: 0 },
    };
    const { run } = simulate(onHost(1, cost), { requests: [A, B], loop: 'open', seed: 1 });
    const [a, b] = run.records;
    // Router (one main thread, FIFO): A's 4 ms alone 0 → 0.004; A routed, its prefill on p0 (20 ms) starts.
    // B's 4 ms starts too: two computations on 1 core, rate 0.5 each → B's ends 0.012 (p0 did 4 ms; B waits
    // for p0's slot). p0 alone: 16 ms left → 0.028, A's first token. d0's decode step (6 ms) and B's prefill
    // (20 ms) at rate 0.5: d0 → 0.040 (A's 2nd token; p0 did 6), d0 again → 0.052 (A's 3rd; p0 did 6 more),
    // p0 alone 8 ms left → 0.060, B's first and last token, flushed by d0's idle pass 1 ms later.
    expect(a?.ttftSeconds).toBeCloseTo(0.028, 9);
    expect(a?.interTokenSeconds.map((g) => Number(g.toFixed(9)))).toEqual([0.012, 0.012]);
    expect(a?.e2eSeconds).toBeCloseTo(0.052, 9);
    expect(b?.ttftSeconds).toBeCloseTo(0.06, 9);
    expect(b?.e2eSeconds).toBeCloseTo(0.061, 9);
  });

  it('a decode worker’s CPU per step and per sequence is part of its step (as the cluster measures a step)', () => {
    const cost: HostCost = {
      ...ZERO_HOST_COST,
      decode: {
        secondsPerRequest: 0,
        secondsPerStep: 0.001,
        secondsPerSequenceStep: 0.002,
        secondsPerKvByte: 0,
        busyCores: 0,
      },
    };
    const { run } = simulate(onHost(2, cost), { requests: [A], loop: 'open', seed: 1 });
    const [a] = run.records;
    // Prefill 0 → 0.020 (no prefill costs): first token. Each decode step of 1: kernel 6 ms + 1 + 2·1 = 3 ms
    // of the worker's own, 9 ms (one request: nothing shares the 2 cores): tokens at 0.029 and 0.038.
    expect(a?.ttftSeconds).toBeCloseTo(0.02, 9);
    expect(a?.interTokenSeconds.map((g) => Number(g.toFixed(9)))).toEqual([0.009, 0.009]);
    expect(a?.e2eSeconds).toBeCloseTo(0.038, 9);
  });

  it('a handoff is acknowledged after the decode worker imports it; its work per request delays the gather', () => {
    const cost: HostCost = {
      ...ZERO_HOST_COST,
      decode: {
        secondsPerRequest: 0.002,
        secondsPerStep: 0,
        secondsPerSequenceStep: 0,
        secondsPerKvByte: 0.001,
        busyCores: 0,
      },
    };
    const { run } = simulate(onHost(2, cost), { requests: [A], loop: 'open', seed: 1 });
    const [a] = run.records;
    // Prefill 0 → 0.020; the 10-token handoff (1 real byte a token here) lands at once; its bytes cost d0
    // 10 × 0.001 = 10 ms, half on receipt: 0.025, then the acknowledgement: the prefill worker replies, first
    // token at 0.025. The Decode call (0.025) costs d0 2 ms + the import's other 5 ms before it gathers →
    // 0.032; decode steps of 6 ms: 0.038, 0.044.
    expect(a?.ttftSeconds).toBeCloseTo(0.025, 9);
    expect(a?.interTokenSeconds.map((g) => Number(g.toFixed(9)))).toEqual([0.013, 0.006]);
    expect(a?.e2eSeconds).toBeCloseTo(0.044, 9);
  });

  it('the client’s and router’s work per token delay each chunk on its way; idle cores slow the kernels', () => {
    const cost: HostCost = {
      ...ZERO_HOST_COST,
      router: { secondsPerRequest: 0, secondsPerToken: 0.001, busyCores: 0 },
      client: { secondsPerRequest: 0.002, secondsPerToken: 0.0005, busyCores: 0 },
      pool: { secondsPerKvByte: 0, busyCores: 0.5 },
    };
    const { run } = simulate(onHost(1, cost), { requests: [A], loop: 'open', seed: 1 });
    const [a] = run.records;
    // The pool's 0.5 idle core is demand from the start: one computation alone runs at 1 ÷ 1.5. The client's
    // 2 ms → 0.003 (the record's clock starts at the send, before that work). Prefill 20 ms → 0.033: the
    // router's relay of the first token (1 ms) and d0's first step (6 ms) start together, rate 1 ÷ 2.5:
    // relay → 0.0355 (d0 did 1); the client's read (0.5 ms) with d0 → 0.03675: TTFT. d0 did 1.5, 4.5 left
    // alone → 0.0435; relay (with d0's 2nd step) → 0.046, read → 0.04725 (gap 0.0105); d0's 2nd step did
    // 1.5 by then, 4.5 alone → 0.054, A's last token; nothing else runs now: relay 1 ms at 1 ÷ 1.5 →
    // 0.0555, read → 0.05625 (gap 0.009); the final follows at once behind it on both main threads.
    expect(a?.ttftSeconds).toBeCloseTo(0.03675, 9);
    expect(a?.interTokenSeconds.map((g) => Number(g.toFixed(9)))).toEqual([0.0105, 0.009]);
    expect(a?.e2eSeconds).toBeCloseTo(0.05625, 9);
  });
});
