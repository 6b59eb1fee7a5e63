import { describe, expect, it } from 'vitest';
import { HAND_CLUSTER } from '../testing/hand-cluster.js';
import { checkSimCluster } from './check-cluster.js';
import type { SimCluster } from './sim-cluster.js';

describe('checkSimCluster', () => {
  it('accepts a sound design, a prefill worker with no KV included', () => {
    const c: SimCluster = {
      ...HAND_CLUSTER,
      workers: HAND_CLUSTER.workers.map((w) => (w.role === 'prefill' ? { ...w, kvCapacityBytes: 0 } : w)),
    };
    expect(checkSimCluster(c)).toEqual([]);
  });

  it('names every problem by its path', () => {
    const [p0, d0] = HAND_CLUSTER.workers;
    if (p0 === undefined || d0 === undefined) throw new Error('fixture');
    const bad: SimCluster = {
      ...HAND_CLUSTER,
      blockTokens: 0,
      router: { ...HAND_CLUSTER.router, policy: 'fastest' },
      workers: [p0, { ...d0, workerId: 'p0', kvCapacityBytes: 0, maxBatch: 1.5 }],
    };
    expect(checkSimCluster(bad)).toEqual([
      'blockTokens: must be an integer ≥ 1, got 0',
      "router.policy.name: unknown routing policy 'fastest' (valid: round-robin, least-loaded, prefix-aware, oicf-cost)",
      "workers[1].workerId: 'p0' is empty or not unique",
      'workers[1].kvCapacityBytes: must be a finite number > 0, got 0',
      'workers[1].maxBatch: must be an integer ≥ 1, got 1.5',
    ]);
    expect(checkSimCluster({ ...HAND_CLUSTER, workers: [p0] })).toContain(
      'workers: at least one decode (or both) worker is needed',
    );
  });

  it('refuses a fraction of a core with per-core scheduling (the default), not with processor sharing', () => {
    const host = {
      httpSeconds: 0,
      rpcSeconds: 0,
      loopback: { bandwidthBytesPerSecond: 1e15, latencySeconds: 0 },
      kvBytesPerToken: 1,
      cores: 2.5,
      label: 'test host',
    };
    expect(checkSimCluster({ ...HAND_CLUSTER, host })).toEqual([
      'host.cores: must be a whole number with per-core scheduling (the default), got 2.5',
    ]);
    expect(checkSimCluster({ ...HAND_CLUSTER, host: { ...host, scheduling: 'shared' } })).toEqual([]);
    expect(checkSimCluster({ ...HAND_CLUSTER, host: { ...host, cores: 2 } })).toEqual([]);
  });
});
