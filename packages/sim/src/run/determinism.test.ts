// Same seed, same run: the report JSON is byte-identical (a simulation has no wall-clock start). And the
// fast block naming gives the same records as hashing the real prompt tokens (decisions read only
// whether two ids are equal, and the two namings agree on that).
import { replayJson, stringifyReport, summarizeReplay } from '@oicf/report';
import type { TraceRequest } from '@oicf/traces';
import { describe, expect, it } from 'vitest';
import type { SimCluster } from '../cluster/sim-cluster.js';
import { agentSessions } from '../testing/agent-sessions.js';
import { HAND_CLUSTER } from '../testing/hand-cluster.js';
import { simulate } from './simulate.js';

// 10 sessions × 4 turns: each turn's prompt is the previous one plus 6 trace blocks (growing context,
// shared prefixes), 6–20 output tokens, tool gaps of 0.05–0.3 s; closed loop.
function sessions(): TraceRequest[] {
  return agentSessions({
    sessions: 10,
    turns: 4,
    prefixes: 3,
    firstBlockId: 1000,
    blocksPerTurn: 6,
    blockTokens: 4,
    sessionSpacingSeconds: 0.07,
    turnSpacingSeconds: 0.5,
    outputTokens: (s, t) => 6 + ((s * 7 + t * 3) % 15),
    gapSeconds: (s, t) => 0.05 + ((s + t) % 6) * 0.05,
  });
}

const busy: SimCluster = {
  ...HAND_CLUSTER,
  router: { ...HAND_CLUSTER.router, policy: 'oicf-cost', policyParams: { maxLocalPrefillTokens: 8 } },
  workers: [
    ...HAND_CLUSTER.workers,
    { ...(HAND_CLUSTER.workers[1] as SimCluster['workers'][number]), workerId: 'd1', kvCapacityBytes: 120_000 },
  ],
  host: {
    httpSeconds: 0.0002,
    rpcSeconds: 0.0001,
    loopback: { bandwidthBytesPerSecond: 5e6, latencySeconds: 0.0002 },
    kvBytesPerToken: 1000,
    label: 'test host',
  },
};

const reportOf = (seed: number, blockIds: 'fast' | 'exact') => {
  const { run } = simulate(busy, { requests: sessions(), loop: 'closed', seed, blockIds });
  return { run, text: stringifyReport(replayJson(run, summarizeReplay(run, { ttftSeconds: 0.1, tpotSeconds: 0.02 }))) };
};

describe('a simulated run is reproducible', () => {
  it('same seed → byte-identical report JSON', () => {
    const a = reportOf(7, 'fast');
    const b = reportOf(7, 'fast');
    expect(a.text).toBe(b.text);
    // The run is not trivial: every request ran, some reused cached prefixes, both decode workers served.
    expect(a.run.records.filter((r) => r.status === 'ok')).toHaveLength(40);
    expect(a.run.records.some((r) => (r.numCachedTokens ?? 0) > 0)).toBe(true);
    expect(new Set(a.run.records.map((r) => r.routing?.decodeWorkerId))).toEqual(new Set(['d0', 'd1']));
  });

  it('fast block ids give the same records as the exact ones', () => {
    const fast = reportOf(3, 'fast');
    const exact = reportOf(3, 'exact');
    expect(fast.run.records).toEqual(exact.run.records);
  });
});
