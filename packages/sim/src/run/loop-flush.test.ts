// The decode loop's measured flush (host-cost DecodeCost.loopFlush) in the twin, derived by hand on the hand
// cluster (testing/hand-cluster.ts: prefill of t tokens 0.010 + 0.001·t s, a decode step of B sequences
// 0.005 + 0.001·B s) on a 2-core host with no message latencies and an instant loopback, every step demanding
// 1 thread. One request A at 0: 10 prompt tokens, 3 out (its first from the prefill worker, two decode steps).
import { describe, expect, it } from 'vitest';
import { type HostCost, ZERO_HOST_COST } from '../host-cost/host-cost.js';
import { HAND_A, handClusterOnHost } from '../testing/hand-host.js';
import { simulate } from './simulate.js';

const onHost = (cost: HostCost, emulated = false) => handClusterOnHost(cost, { emulated });
const A = HAND_A;

/** 1 ms per step inside the step; a flush of 1 ms + 2 ms per sequence after it. */
const withFlush = (loopFlush: boolean): HostCost => ({
  ...ZERO_HOST_COST,
  decode: {
    ...ZERO_HOST_COST.decode,
    secondsPerStep: 0.001,
    ...(loopFlush ? { loopFlush: { secondsPerStep: 0.001, secondsPerSequence: 0.002 } } : {}),
  },
});

const gaps = (g: readonly number[] | undefined) => g?.map((x) => Number(x.toFixed(9)));

describe('the decode loop’s flush after each step (measured, host-cost loopFlush)', () => {
  it('delays the next step, not the step’s own tokens', () => {
    const { run } = simulate(onHost(withFlush(true)), { requests: [A], loop: 'open', seed: 1 });
    const [a] = run.records;
    // Prefill on p0 0 → 0.020: first token. A joins d0 at once; step 1: kernel 6 ms + 1 ms of the loop's CPU
    // per step → 0.027, its token leaves then (gap 0.007). Flush: 1 + 2 × 1 sequence = 3 ms on d0's main
    // thread → 0.030; step 2: 7 ms → 0.037 (gap 0.010).
    expect(a?.ttftSeconds).toBeCloseTo(0.02, 9);
    expect(gaps(a?.interTokenSeconds)).toEqual([0.007, 0.01]);
    expect(a?.e2eSeconds).toBeCloseTo(0.037, 9);
    // Without it (older files): both gaps are the 7-ms step.
    const [b] = simulate(onHost(withFlush(false)), { requests: [A], loop: 'open', seed: 1 }).run.records;
    expect(gaps(b?.interTokenSeconds)).toEqual([0.007, 0.007]);
  });

  it('under emulation it comes after the pacing (the per-step CPU inside the step is hidden by it)', () => {
    const { run } = simulate(onHost(withFlush(true), true), { requests: [A], loop: 'open', seed: 1 });
    const [a] = run.records;
    // Prefill kernel 0 → 0.020 paced to 3 × 0.020 = 0.060: first token. Step 1: kernel 6 ms + 1 ms = 7 ms,
    // paced to 3 × 0.006 = 0.018 → 0.078 (gap 0.018). Flush 3 ms → 0.081; step 2 paced 18 ms → 0.099
    // (gap 0.021).
    expect(a?.ttftSeconds).toBeCloseTo(0.06, 9);
    expect(gaps(a?.interTokenSeconds)).toEqual([0.018, 0.021]);
    // Without it the pace hides all of the loop's CPU: 18 ms a gap.
    const [b] = simulate(onHost(withFlush(false), true), { requests: [A], loop: 'open', seed: 1 }).run.records;
    expect(gaps(b?.interTokenSeconds)).toEqual([0.018, 0.018]);
  });
});
