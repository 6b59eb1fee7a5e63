// The decode loop's measured work between a step's kernel and its flush (host-cost DecodeCost.loopPace, round 7)
// in the twin, derived by hand on the hand cluster (testing/hand-cluster.ts: prefill of t tokens 0.010 + 0.001·t s,
// a decode step of B sequences 0.005 + 0.001·B s) on a 2-core host with no message latencies and an instant
// loopback, every step demanding 1 thread. One request A at 0: 10 prompt tokens, 3 out (its first from the
// prefill worker, two decode steps of batch 1).
import { describe, expect, it } from 'vitest';
import { type HostCost, ZERO_HOST_COST } from '../host-cost/host-cost.js';
import { HAND_A, handClusterOnHost } from '../testing/hand-host.js';
import { simulate } from './simulate.js';

const onHost = (cost: HostCost, emulated = false) => handClusterOnHost(cost, { emulated });
const A = HAND_A;

/** `inside` seconds of the loop's CPU per step inside the step; 2 ms of pace work after its kernel (or none). */
const withPace = (pace: boolean, inside = 0.001): HostCost => ({
  ...ZERO_HOST_COST,
  decode: {
    ...ZERO_HOST_COST.decode,
    secondsPerStep: inside,
    ...(pace ? { loopPace: { secondsPerStep: 0.002 } } : {}),
  },
});

const gaps = (g: readonly number[] | undefined) => g?.map((x) => Number(x.toFixed(9)));

describe('the decode loop’s work after a step’s kernel (measured, host-cost loopPace)', () => {
  it('lengthens each step by its time when nothing is paced', () => {
    const [a] = simulate(onHost(withPace(true)), { requests: [A], loop: 'open', seed: 1 }).run.records;
    // Prefill on p0 0 → 0.020: first token. Step 1: kernel 6 ms + 1 ms inside → 0.027, then 2 ms of pace work on
    // d0's main thread → 0.029: the token leaves (gap 0.009). Step 2 the same → 0.038 (gap 0.009).
    expect(a?.ttftSeconds).toBeCloseTo(0.02, 9);
    expect(gaps(a?.interTokenSeconds)).toEqual([0.009, 0.009]);
    expect(a?.e2eSeconds).toBeCloseTo(0.038, 9);
    // Without it (older files): 7-ms steps.
    const [b] = simulate(onHost(withPace(false)), { requests: [A], loop: 'open', seed: 1 }).run.records;
    expect(gaps(b?.interTokenSeconds)).toEqual([0.007, 0.007]);
  });

  it('under emulation comes on top of the pacing: a step ends at max(target, kernel) + its time', () => {
    const [a] = simulate(onHost(withPace(true), true), { requests: [A], loop: 'open', seed: 1 }).run.records;
    // Prefill kernel 0 → 0.020 paced to 3 × 0.020 = 0.060: first token. Step 1: kernel 6 ms + 1 ms → 0.067;
    // pace work 2 ms → 0.069; the pacer sleeps 3 × 0.006 − 0.007 = 0.011 (the pace work not counted) → 0.080
    // (gap 0.020 = 18 + 2 ms). Step 2 the same → 0.100 (gap 0.020).
    expect(a?.ttftSeconds).toBeCloseTo(0.06, 9);
    expect(gaps(a?.interTokenSeconds)).toEqual([0.02, 0.02]);
    // Without it the pace hides the loop's CPU: 18 ms a gap.
    const [b] = simulate(onHost(withPace(false), true), { requests: [A], loop: 'open', seed: 1 }).run.records;
    expect(gaps(b?.interTokenSeconds)).toEqual([0.018, 0.018]);
    // A kernel slower than the target (6 ms + 15 ms inside = 21 ms > 18 ms): nothing to sleep, 21 + 2 = 23 ms.
    const [c] = simulate(onHost(withPace(true, 0.015), true), { requests: [A], loop: 'open', seed: 1 }).run.records;
    expect(gaps(c?.interTokenSeconds)).toEqual([0.023, 0.023]);
  });
});
