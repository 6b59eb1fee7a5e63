// The decode worker's first build of each decode graph (host-cost DecodeCost.graphBuild, round 8) in the twin,
// derived by hand on the hand cluster (testing/hand-cluster.ts: prefill of t tokens 0.010 + 0.001·t s, a decode
// step of B sequences 0.005 + 0.001·B s) on a 2-core host with no message latencies and an instant loopback.
// One request A at 0: 10 prompt tokens, 3 out (its first from the prefill worker, two decode steps of batch 1,
// over 10 and then 11 cached tokens). A build costs 0.05 s + 0.01 s per sequence: 0.06 s at batch 1.
import { describe, expect, it } from 'vitest';
import { type HostCost, ZERO_HOST_COST } from '../host-cost/host-cost.js';
import { HAND_A, handClusterOnHost } from '../testing/hand-host.js';
import { simulate } from './simulate.js';

const withBuild = (kTileTokens: number, warmedBatches: number[] | undefined): HostCost => ({
  ...ZERO_HOST_COST,
  decode: {
    ...ZERO_HOST_COST.decode,
    ...(warmedBatches === undefined
      ? {}
      : { graphBuild: { secondsPerGraph: 0.05, secondsPerSequence: 0.01, kTileTokens, warmedBatches } }),
  },
});
const run = (cost: HostCost) =>
  simulate(handClusterOnHost(cost, { emulated: false }), { requests: [HAND_A], loop: 'open', seed: 1 }).run.records[0];
const gaps = (g: readonly number[] | undefined) => g?.map((x) => Number(x.toFixed(9)));

describe('the decode worker’s first build of a decode graph (measured, host-cost graphBuild)', () => {
  it('delays the first step of a graph not yet built by its build, on the main thread before the kernel', () => {
    // Prefill on p0 0 → 0.020: first token. Step 1 (batch 1, 10 tokens < a 64-token tile: the short graph, not
    // built): build 0.06 → 0.080, kernel 0.006 → 0.086 (gap 0.066). Step 2 (11 tokens, the same graph): 0.006.
    const a = run(withBuild(64, []));
    expect(a?.ttftSeconds).toBeCloseTo(0.02, 9);
    expect(gaps(a?.interTokenSeconds)).toEqual([0.066, 0.006]);
  });

  it('builds the tiled form apart: a step whose context reaches the tile needs the other graph', () => {
    // Tile 11: step 1 over 10 tokens takes the short graph (built: 0.066), step 2 over 11 the tiled one (0.066).
    expect(gaps(run(withBuild(11, []))?.interTokenSeconds)).toEqual([0.066, 0.066]);
  });

  it('charges nothing for the batch the worker warms at start, nor without the field (older files)', () => {
    expect(gaps(run(withBuild(64, [1]))?.interTokenSeconds)).toEqual([0.006, 0.006]);
    expect(gaps(run(withBuild(64, undefined))?.interTokenSeconds)).toEqual([0.006, 0.006]);
  });
});
