// The decode loop's turn between steps (host-cost DecodeCost loopTurn, round 10) and the per-request column split
// into it (splitDecodeRequestCpu), derived by hand on the hand cluster (testing/hand-cluster.ts: a prefill of t
// tokens 0.010 + 0.001·t s, a decode step of B sequences 0.005 + 0.001·B s) on a 2-core host with no message
// latencies and an instant loopback, every step demanding 1 thread. One request A at 0: 10 prompt tokens, 3 out
// (its first from the prefill worker, then two decode steps of batch 1, 6 ms each).
import { describe, expect, it } from 'vitest';
import { splitDecodeRequestCpu } from '../host-cost/decode-split.js';
import { type DecodeCost, type HostCost, ZERO_HOST_COST } from '../host-cost/host-cost.js';
import { HAND_A, handClusterOnHost } from '../testing/hand-host.js';
import { simulate } from './simulate.js';

const withDecode = (d: Partial<DecodeCost>): HostCost => ({
  ...ZERO_HOST_COST,
  decode: { ...ZERO_HOST_COST.decode, ...d },
});
const one = (cost: HostCost) =>
  simulate(handClusterOnHost(cost), { requests: [HAND_A], loop: 'open', seed: 1 }).run.records[0];
const gaps = (g: readonly number[] | undefined) => g?.map((x) => Number(x.toFixed(9)));

describe('the decode loop’s turn between steps (loopTurn)', () => {
  it('runs after a step’s tokens leave and before the next step: it delays the next token, not its own', () => {
    // Prefill on p0 0 → 0.020: the first token. Step 1 0.020 → 0.026 (its token; gap 6 ms), then 2 ms of turn on
    // d0's main thread → 0.028, step 2 → 0.034 (gap 8 ms), its turn after.
    const a = one(withDecode({ loopTurn: { secondsPerStep: 0.002 } }));
    expect(a?.ttftSeconds).toBeCloseTo(0.02, 9);
    expect(gaps(a?.interTokenSeconds)).toEqual([0.006, 0.008]);
    // With a 1-ms flush as well (loopFlush): both between the steps, 3 ms: gaps 6 and 9 ms.
    const both = withDecode({
      loopTurn: { secondsPerStep: 0.002 },
      loopFlush: { secondsPerStep: 0.001, secondsPerSequence: 0 },
    });
    expect(gaps(one(both)?.interTokenSeconds)).toEqual([0.006, 0.009]);
  });
});

describe('the per-request column split into the loop’s turn (the fit’s decode split)', () => {
  it('moves the first gap’s inflation onto the later gaps, the CPU unchanged', () => {
    // Regressed 10 ms a request, all before the gather (main's fit): the call at 0.020, its 10 ms → 0.030, steps
    // → 0.036 (gap 16 ms) and → 0.042 (gap 6 ms).
    const whole = one(withDecode({ secondsPerRequest: 0.01 }));
    expect(gaps(whole?.interTokenSeconds)).toEqual([0.016, 0.006]);
    expect(whole?.e2eSeconds).toBeCloseTo(0.042, 9);
    // Split with 2 ms measured a request, over A's own run (1 request, 2 loop turns): 2 ms before the gather, the
    // other 8 ms over 2 turns = 4 ms a turn. The call 0.020 → 0.022, step 1 → 0.028 (gap 8 ms), turn → 0.032,
    // step 2 → 0.038 (gap 10 ms). A's last token no longer waits for its second turn: 4 ms sooner.
    const s = splitDecodeRequestCpu({
      secondsPerRequest: 0.01,
      measuredSecondsPerRequest: 0.002,
      numRequests: 1,
      numSteps: 2,
    });
    const split = one(
      withDecode({ secondsPerRequest: s.secondsPerRequest, loopTurn: { secondsPerStep: s.turnSecondsPerStep } }),
    );
    expect(split?.ttftSeconds).toBeCloseTo(0.02, 9);
    expect(gaps(split?.interTokenSeconds)).toEqual([0.008, 0.01]);
    expect(split?.e2eSeconds).toBeCloseTo(0.038, 9);
  });
});
