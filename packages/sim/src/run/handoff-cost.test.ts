// The handoff priced by costs measured per request (host-cost.ts HandoffCost), derived by hand on the hand
// cluster (testing/hand-cluster.ts: prefill of t tokens 0.010 + 0.001·t s, a decode step of B sequences
// 0.005 + 0.001·B s) on a host with no message latencies and an instant loopback, 1 real byte a token.
import { describe, expect, it } from 'vitest';
import { type HostCost, ZERO_HOST_COST } from '../host-cost/host-cost.js';
import { HAND_A, handClusterOnHost } from '../testing/hand-host.js';
import { simulate } from './simulate.js';

const onHost = (cores: number, cost: HostCost) => handClusterOnHost(cost, { cores });
/** 10 prompt tokens, 3 out, at 0. */
const A = HAND_A;

describe('the handoff measured per request (send path, import, off-path CPU)', () => {
  it('the send path holds the reply; the import delays the first decode step; the regressed per-byte CPU is not charged', () => {
    const cost: HostCost = {
      ...ZERO_HOST_COST,
      // Regressed per-byte CPU that the measured handoff replaces (it would add 10 + 10 ms if charged).
      prefill: { ...ZERO_HOST_COST.prefill, secondsPerKvByte: 0.001 },
      decode: { ...ZERO_HOST_COST.decode, secondsPerKvByte: 0.002 },
      handoff: { sendSecondsPerByte: 0.001, importSecondsPerByte: 0.0005, offPathSecondsPerByte: 0 },
    };
    const { run } = simulate(onHost(2, cost), { requests: [A], loop: 'open', seed: 1 });
    const [a] = run.records;
    // Prefill 0 → 0.020. Send path on p0's main thread: 10 bytes × 1 ms = 10 ms → 0.030; the link is
    // instant, so d0's receipt (as long as the link) is 0: held and acknowledged at 0.030, the first token.
    // The Decode call (0.030) imports 10 × 0.5 ms = 5 ms on d0 → 0.035; decode steps of 6 ms: 0.041, 0.047.
    expect(a?.ttftSeconds).toBeCloseTo(0.03, 9);
    expect(a?.interTokenSeconds.map((g) => Number(g.toFixed(9)))).toEqual([0.011, 0.006]);
    expect(a?.e2eSeconds).toBeCloseTo(0.047, 9);
  });

  it('the off-path CPU shares the cores with the send path but no main thread waits for it', () => {
    const cost: HostCost = {
      ...ZERO_HOST_COST,
      handoff: { sendSecondsPerByte: 0.001, importSecondsPerByte: 0, offPathSecondsPerByte: 0.001 },
    };
    const { run } = simulate(onHost(1, cost), { requests: [A], loop: 'open', seed: 1 });
    const [a] = run.records;
    // Prefill alone on the 1 core 0 → 0.020. Then the 10 ms of off-path demand and p0's 10 ms send path
    // start together at rate ½ each: both end 0.040; the instant link: first token 0.040. The Decode call
    // imports nothing; decode steps of 6 ms alone: 0.046, 0.052.
    expect(a?.ttftSeconds).toBeCloseTo(0.04, 9);
    expect(a?.interTokenSeconds.map((g) => Number(g.toFixed(9)))).toEqual([0.006, 0.006]);
    expect(a?.e2eSeconds).toBeCloseTo(0.052, 9);
  });
});
