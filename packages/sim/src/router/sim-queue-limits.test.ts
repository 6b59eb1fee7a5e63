// The twin refuses past the router's queue bounds exactly as the router does: the same @oicf/sched Admission
// (queue-limits.ts) decides, and the refusal is the router's 503 with reason queue-full / queue-time.
import type { TraceRequest } from '@oicf/traces';
import { describe, expect, it } from 'vitest';
import { simulate } from '../run/simulate.js';
import { HAND_CLUSTER } from '../testing/hand-cluster.js';

// 20 requests at t = 0, each with its own blocks (no shared prefix to wait for): all planned on p0 (the only
// prefill worker) and d0.
const burst: TraceRequest[] = Array.from({ length: 20 }, (_, i) => ({
  requestId: `B${i}`,
  arrivalSeconds: 0,
  inputTokens: 10,
  outputTokens: 2,
  blockHashes: [100 + 3 * i, 101 + 3 * i, 102 + 3 * i],
  blockTokens: 4,
}));

describe('queue bounds in the twin', () => {
  it('past maxQueuedPerWorker the burst is refused 503 queue-full; the rest is served', () => {
    const cluster = {
      ...HAND_CLUSTER,
      router: { ...HAND_CLUSTER.router, queueLimits: { maxQueuedPerWorker: 1, maxQueueSeconds: 30 } },
    };
    const { run, stats } = simulate(cluster, { requests: burst, loop: 'open', seed: 1 });
    // The prefill pool (p0, one prompt at a time): B0 computes, B1 may wait behind it (1 queued per worker
    // × 1 worker); B2..B19 would be a 2nd queued prompt: queue-full. (d0's 8 batch slots are not reached.)
    const refused = run.records.filter((r) => r.status === 'rejected');
    expect(run.records.filter((r) => r.status === 'ok').map((r) => r.requestId)).toEqual(['B0', 'B1']);
    expect(refused).toHaveLength(18);
    expect(new Set(refused.map((r) => `${r.httpStatus} ${r.errorCode}`))).toEqual(new Set(['503 queue-full']));
    expect(stats.router.rejectedByReason).toEqual({ 'queue-full': 18 });
  });

  it('with the router’s defaults (32 queued per worker) the same burst is served whole', () => {
    const { run } = simulate(HAND_CLUSTER, { requests: burst, loop: 'open', seed: 1 });
    expect(run.records.filter((r) => r.status === 'ok')).toHaveLength(20);
  });
});
