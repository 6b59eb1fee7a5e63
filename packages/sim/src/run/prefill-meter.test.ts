// The prefill worker's service priced from the loop meter of the fitting run (round 7c, host-cost PrefillCost
// kernelScale and sendCpu), derived by hand on the hand cluster (testing/hand-cluster.ts: a prefill of t tokens
// 0.010 + 0.001·t s, a decode step of B sequences 0.005 + 0.001·B s) on a 2-core host with no message latencies,
// 1 KV byte per token, every step demanding 1 thread. One request A at 0: 10 prompt tokens (all handed off:
// 10 bytes), 3 out (its first from the prefill worker, two decode steps of batch 1, 6 ms each).
import { describe, expect, it } from 'vitest';
import type { SimCluster } from '../cluster/sim-cluster.js';
import { type HostCost, ZERO_HOST_COST } from '../host-cost/host-cost.js';
import { HAND_A, handClusterOnHost } from '../testing/hand-host.js';
import { simulate } from './simulate.js';

const onHost = (cost: HostCost, loopbackBytesPerSecond?: number) =>
  handClusterOnHost(cost, { ...(loopbackBytesPerSecond === undefined ? {} : { loopbackBytesPerSecond }) });
const A = HAND_A;
const one = (c: SimCluster) => simulate(c, { requests: [A], loop: 'open', seed: 1 }).run.records[0];
const gaps = (g: readonly number[] | undefined) => g?.map((x) => Number(x.toFixed(9)));
const prefill = (extra: Partial<HostCost['prefill']>): HostCost => ({
  ...ZERO_HOST_COST,
  prefill: { ...ZERO_HOST_COST.prefill, ...extra },
});
/** 4 ms a send + 1 ms a handoff byte: 14 ms for A's 10 bytes. */
const SEND = { secondsPerSend: 0.004, secondsPerByte: 0.001 };

describe('the prefill worker’s service from the loop meter (kernelScale, sendCpu)', () => {
  it('prices the prefill kernel at the measured level, and leaves decode steps alone', () => {
    // Calibrated prefill of 10 tokens: 0.010 + 0.010 = 0.020 s; × 1.5 = 0.030: the first token. Decode steps 6 ms.
    const a = one(onHost(prefill({ kernelScale: 1.5 })));
    expect(a?.ttftSeconds).toBeCloseTo(0.03, 9);
    expect(gaps(a?.interTokenSeconds)).toEqual([0.006, 0.006]);
    // Without the field (older files): the calibrated 0.020 s.
    expect(one(onHost(ZERO_HOST_COST))?.ttftSeconds).toBeCloseTo(0.02, 9);
  });

  it('holds the worker for its send CPU after the kernel: the reply waits for it', () => {
    // Kernel 0 → 0.020; the handoff arrives at once (1e15 B/s); the send CPU 0.004 + 10 × 0.001 = 0.014 on p0's
    // main thread → 0.034: the reply, the first token.
    expect(one(onHost(prefill({ sendCpu: SEND })))?.ttftSeconds).toBeCloseTo(0.034, 9);
  });

  it('runs the send CPU alongside the link, not before it', () => {
    // Loopback 500 B/s, one transfer at a time out of p0: A's 10 handoff bytes 0.020 → 0.040, then the pool put of
    // its 2 full blocks (8 bytes) 0.040 → 0.056, while the 0.014 s of send CPU runs 0.020 → 0.034 beside them: the
    // reply at 0.056, as without the send CPU (one before the other would be 0.070).
    expect(one(onHost(prefill({ sendCpu: SEND }), 500))?.ttftSeconds).toBeCloseTo(0.056, 9);
    expect(one(onHost(ZERO_HOST_COST, 500))?.ttftSeconds).toBeCloseTo(0.056, 9);
    // 50 ms a send instead: 0.020 + 0.050 + 0.010 = 0.080 outlasts the link, the reply then.
    const slow = { secondsPerSend: 0.05, secondsPerByte: 0.001 };
    expect(one(onHost(prefill({ sendCpu: slow }), 500))?.ttftSeconds).toBeCloseTo(0.08, 9);
    // And with a measured handoff (cost.handoff) its per-byte send path before the link is not charged as well:
    // 2 ms a byte would be 0.020 s before the link without sendCpu (0.020 + 0.020 = 0.040 at 1e15 B/s).
    const handoff = { sendSecondsPerByte: 0.002, importSecondsPerByte: 0, offPathSecondsPerByte: 0 };
    expect(one(onHost({ ...ZERO_HOST_COST, handoff }))?.ttftSeconds).toBeCloseTo(0.04, 9);
    expect(one(onHost({ ...prefill({ sendCpu: SEND }), handoff }))?.ttftSeconds).toBeCloseTo(0.034, 9);
  });
});
