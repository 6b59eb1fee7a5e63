// The decode worker's kernels at the level its loop meter measured on the fitting run (host-cost DecodeCost
// kernelScale, round 10), derived by hand on the hand cluster (testing/hand-cluster.ts: a prefill of t tokens
// 0.010 + 0.001·t s, a decode step of B sequences 0.005 + 0.001·B s) on a 2-core host with no message latencies
// and an instant loopback, every step demanding 1 thread. One request A at 0: 10 prompt tokens, 3 out (its first
// from the prefill worker, two decode steps of batch 1, 6 ms each at the calibrated level).
import { describe, expect, it } from 'vitest';
import { type HostCost, ZERO_HOST_COST } from '../host-cost/host-cost.js';
import { HAND_A, handClusterOnHost } from '../testing/hand-host.js';
import { simulate } from './simulate.js';

const decode = (kernelScale?: number): HostCost => ({
  ...ZERO_HOST_COST,
  decode: { ...ZERO_HOST_COST.decode, ...(kernelScale === undefined ? {} : { kernelScale }) },
});
const one = (cost: HostCost, emulated = false) =>
  simulate(handClusterOnHost(cost, { emulated }), { requests: [HAND_A], loop: 'open', seed: 1 }).run.records[0];
const gaps = (g: readonly number[] | undefined) => g?.map((x) => Number(x.toFixed(9)));

describe('the decode worker’s kernels at the measured level (decode kernelScale)', () => {
  it('prices each decode step at the level, and leaves the prefill worker alone', () => {
    // Prefill on p0 0 → 0.020 (calibrated: 0.010 + 0.010): the first token. Each decode step 6 ms × 1.5 = 9 ms.
    const a = one(decode(1.5));
    expect(a?.ttftSeconds).toBeCloseTo(0.02, 9);
    expect(gaps(a?.interTokenSeconds)).toEqual([0.009, 0.009]);
    // Without the field (older files): the calibrated 6 ms.
    expect(gaps(one(decode())?.interTokenSeconds)).toEqual([0.006, 0.006]);
  });

  it('under emulation scales the real kernel, not the target: a step ends at max(target, kernel × level)', () => {
    // The target is 3 × the hand model: a prefill 0.060, a decode step 0.018. At × 2 the kernel is 12 ms < 18 ms:
    // gaps of 18 ms, as at the calibrated level; at × 4 it is 24 ms > 18 ms: gaps of 24 ms.
    expect(one(decode(2), true)?.ttftSeconds).toBeCloseTo(0.06, 9);
    expect(gaps(one(decode(2), true)?.interTokenSeconds)).toEqual([0.018, 0.018]);
    expect(gaps(one(decode(4), true)?.interTokenSeconds)).toEqual([0.024, 0.024]);
  });
});

describe('the decode loop’s turn between steps (loopTurn)', () => {
  it('runs after a step’s tokens leave and before the next step: it delays the next token, not its own', () => {
    // Prefill on p0 0 → 0.020: the first token. Step 1 0.020 → 0.026 (its token; gap 6 ms), then 2 ms of turn on
    // d0's main thread → 0.028, step 2 → 0.034 (gap 8 ms), its turn after.
    const cost: HostCost = {
      ...ZERO_HOST_COST,
      decode: { ...ZERO_HOST_COST.decode, loopTurn: { secondsPerStep: 0.002 } },
    };
    const a = one(cost);
    expect(a?.ttftSeconds).toBeCloseTo(0.02, 9);
    expect(gaps(a?.interTokenSeconds)).toEqual([0.006, 0.008]);
    // With a 1-ms flush as well (loopFlush): both between the steps, 3 ms: gaps 6 and 9 ms.
    const both: HostCost = {
      ...ZERO_HOST_COST,
      decode: {
        ...ZERO_HOST_COST.decode,
        loopTurn: { secondsPerStep: 0.002 },
        loopFlush: { secondsPerStep: 0.001, secondsPerSequence: 0 },
      },
    };
    expect(gaps(one(both)?.interTokenSeconds)).toEqual([0.006, 0.009]);
  });
});
