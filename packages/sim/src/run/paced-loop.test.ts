// An emulating decode worker's loop outside the pacer's step (host-cost DecodeCost.pacedLoop, round 11) in the twin,
// derived by hand on the hand cluster (testing/hand-cluster.ts: prefill of t tokens 0.010 + 0.001·t s, a decode step
// of B sequences 0.005 + 0.001·B s) on a 2-core host with no message latencies and an instant loopback, every step
// demanding 1 thread; emulated: every step paced to 3× the hand step. One request A at 0: 10 prompt tokens, 3 out
// (its first from the prefill worker, two decode steps of batch 1). 1 ms of the decode loop's CPU inside each step.
import { describe, expect, it } from 'vitest';
import { type HostCost, type PacedLoopCost, ZERO_HOST_COST } from '../host-cost/host-cost.js';
import { HAND_A, handClusterOnHost } from '../testing/hand-host.js';
import { simulate } from './simulate.js';

const cost = (pacedLoop: PacedLoopCost | undefined, inside = 0.001): HostCost => ({
  ...ZERO_HOST_COST,
  decode: { ...ZERO_HOST_COST.decode, secondsPerStep: inside, ...(pacedLoop === undefined ? {} : { pacedLoop }) },
});
/** 2 ms outside the step + 3 ms of emulation, 1 ms of it CPU. */
const LOOP: PacedLoopCost = { outsideStepSeconds: 0.002, emulationSeconds: 0.003, emulationCpuSeconds: 0.001 };
const gapsOf = (c: HostCost, emulated: boolean) => {
  const [a] = simulate(handClusterOnHost(c, { emulated }), { requests: [HAND_A], loop: 'open', seed: 1 }).run.records;
  return a?.interTokenSeconds.map((x) => Number(x.toFixed(9)));
};

describe('the emulating decode loop’s work outside the pacer’s step (measured, host-cost pacedLoop)', () => {
  it('ends a step that slept that long after its target', () => {
    // First token at 0.060 (the prefill paced to 3 × 0.020). Step 1: kernel 6 ms + 1 ms inside → 0.067, target
    // 3 × 0.006 = 0.018: the pacer sleeps 11 ms, then 2 + 3 ms → 0.083 (gap 0.023; its 1 ms of CPU runs on d0's main
    // thread 0.067 → 0.068, within the sleep). Step 2 the same → 0.106 (gap 0.023).
    expect(gapsOf(cost(LOOP), true)).toEqual([0.023, 0.023]);
    // Without it: the target's 18 ms.
    expect(gapsOf(cost(undefined), true)).toEqual([0.018, 0.018]);
  });

  it('serves its CPU on the worker’s main thread, so a step queued behind it starts late', () => {
    // 30 ms of CPU: step 1 as above ends at 0.083 (gap 0.023) but its CPU holds d0's main thread 0.067 → 0.097; step
    // 2's kernel waits for it: 0.097 → 0.104 (6 + 1 ms), 21 ms after the step began at 0.083, above the 18-ms target:
    // no sleep, so nothing after it (gap 0.021).
    expect(gapsOf(cost({ ...LOOP, emulationCpuSeconds: 0.03 }), true)).toEqual([0.023, 0.021]);
  });

  it('adds nothing to a step that did not sleep, nor without emulation', () => {
    // 6 + 15 ms inside = 21 ms > the 18-ms target: an underrun, 21 ms a gap with or without the paced loop.
    expect(gapsOf(cost(LOOP, 0.015), true)).toEqual([0.021, 0.021]);
    // Unpaced: 7-ms steps either way.
    expect(gapsOf(cost(LOOP), false)).toEqual([0.007, 0.007]);
  });
});
