// A decode worker's measured work at a request's finish (host-cost decode.finishSeconds) in the twin, derived
// by hand on the hand cluster (testing/hand-cluster.ts: prefill of t tokens 0.010 + 0.001·t s, a decode step of
// B sequences 0.005 + 0.001·B s) on a 2-core host with no message latencies and an instant loopback.
import { describe, expect, it } from 'vitest';
import { type HostCost, ZERO_HOST_COST } from '../host-cost/host-cost.js';
import { HAND_A, handClusterOnHost } from '../testing/hand-host.js';
import { simulate } from './simulate.js';

const onHost = (cost: HostCost) => handClusterOnHost(cost);
/** 10 prompt tokens, 3 out (the first from the prefill worker). */
const A = HAND_A;
const withRequest = (finishSeconds?: number): HostCost => ({
  ...ZERO_HOST_COST,
  decode: {
    ...ZERO_HOST_COST.decode,
    secondsPerRequest: 0.004,
    ...(finishSeconds === undefined ? {} : { finishSeconds }),
  },
});
const gaps = (g: readonly number[] | undefined) => g?.map((x) => Number(x.toFixed(9)));

describe('a decode worker’s work at a request’s finish (measured, host-cost finishSeconds)', () => {
  it('comes off the work before the gather: the first gap shrinks by it', () => {
    const [a] = simulate(onHost(withRequest(0.003)), { requests: [A], loop: 'open', seed: 1 }).run.records;
    // Prefill 0 → 0.020: first token; the Decode call's 4 − 3 = 1 ms before the gather → 0.021; decode steps of
    // 6 ms → 0.027 (gap 0.007) and 0.033 (gap 0.006), A's last token; its 3 ms at the finish delay nothing.
    expect(a?.ttftSeconds).toBeCloseTo(0.02, 9);
    expect(gaps(a?.interTokenSeconds)).toEqual([0.007, 0.006]);
    expect(a?.e2eSeconds).toBeCloseTo(0.033, 9);
    // All 4 ms before the gather (older files): 0.024 → 0.030 (gap 0.010) → 0.036.
    const [b] = simulate(onHost(withRequest()), { requests: [A], loop: 'open', seed: 1 }).run.records;
    expect(gaps(b?.interTokenSeconds)).toEqual([0.01, 0.006]);
  });

  it('runs on the main thread at the finish: a handoff received then is acknowledged after it', () => {
    // 12 ms per request, 10 of them at the finish. A (3 out): call at 0.020, 2 ms → 0.022; steps end 0.028 and
    // 0.034 (its last token); its finish share runs on d0's main thread 0.034 → 0.044. B (10 tokens, other
    // blocks, 2 out) arrives at 0 and waits for p0: prefilled 0.020 → 0.040; its handoff's receipt queues on d0's
    // main thread behind A's finish, so the acknowledgement (and B's first token) comes at 0.044. B's call:
    // 2 ms → 0.046; its decode step → 0.052 (gap 0.008).
    // All 12 ms before the gather instead: A gathers at 0.032, steps end 0.038 and 0.044; B's receipt waits for
    // A's step on d0's main thread (→ 0.044, first token); B's call 12 ms → 0.056, its step → 0.062 (gap 0.018).
    const B = { ...HAND_A, requestId: 'B', arrivalSeconds: 0, blockHashes: [5, 6, 7], outputTokens: 2 };
    const cost = (finishSeconds?: number): HostCost => ({
      ...ZERO_HOST_COST,
      decode: {
        ...ZERO_HOST_COST.decode,
        secondsPerRequest: 0.012,
        ...(finishSeconds === undefined ? {} : { finishSeconds }),
      },
    });
    const runOf = (f?: number) => simulate(onHost(cost(f)), { requests: [A, B], loop: 'open', seed: 1 }).run;
    const [a1, b1] = runOf(0.01).records;
    const [a0, b0] = runOf().records;
    expect(gaps(a1?.interTokenSeconds)).toEqual([0.008, 0.006]);
    expect(a1?.e2eSeconds).toBeCloseTo(0.034, 9);
    expect(a0?.e2eSeconds).toBeCloseTo(0.044, 9);
    expect(b1?.ttftSeconds).toBeCloseTo(0.044, 9);
    expect(gaps(b1?.interTokenSeconds)).toEqual([0.008]);
    expect(b0?.ttftSeconds).toBeCloseTo(0.044, 9);
    expect(gaps(b0?.interTokenSeconds)).toEqual([0.018]);
  });
});
