// Admission with queue bounds, on plain values and a virtual clock: routed-but-not-started requests count
// against the bound at once (a burst cannot slip past it between route and reserve), expire when nobody
// starts them, and a started remote prefill counts on its prefill worker until prefillDone.
import { describe, expect, it } from 'vitest';
import { createRoutingPolicy } from '../policies/registry.js';
import type { WorkerSpec } from '../state/worker-table.js';
import { Admission } from './admission.js';
import type { AdmissionInput } from './admission-types.js';
import { NO_POOL_PREFIX } from './pool-prefix.js';
import { rejectClass } from './reject-class.js';

function newAdmission(mode: 'disaggregated' | 'colocated'): Admission {
  const policy = createRoutingPolicy('round-robin', {});
  if (!policy.ok) throw new Error(policy.errors.join('; '));
  return new Admission({
    policy: policy.value,
    mode,
    blockTokens: 4,
    kvBytesPerToken: 10,
    priors: { prefillSecondsPerToken: 1e-3, decodeStepSeconds: 0.01 },
    heartbeatIntervalSeconds: 0.5,
    health: { timeoutSeconds: 3, dropSeconds: 30 },
    transfer: {
      tierPaths: { dram: { bandwidthBytesPerSecond: 1e9, latencySeconds: 0 } },
      handoffPath: { bandwidthBytesPerSecond: 1e9, latencySeconds: 0 },
      learn: false,
    },
    queueLimits: { maxQueuedPerWorker: 1, maxQueueSeconds: 100, priorSequenceSeconds: 1 },
  });
}

const d0: WorkerSpec = { workerId: 'd0', role: 'decode', kvCapacityBytes: 1e9, maxBatch: 1, maxContextTokens: 0 };
const p0: WorkerSpec = { workerId: 'p0', role: 'prefill', kvCapacityBytes: 0, maxBatch: 0, maxContextTokens: 0 };
const idle = {
  numRunningSequences: 0,
  numWaitingSequences: 0,
  kvUsedBytes: 0,
  kvCapacityBytes: 1e9,
  prefillSecondsPerToken: 0,
  prefillFixedSeconds: 0,
  decodeStepSeconds: 0,
  prefillIntensityFlopsPerByte: 0,
  decodeIntensityFlopsPerByte: 0,
};
const req = (id: string): AdmissionInput => ({ requestId: id, promptTokenIds: [1, 2, 3], maxTokens: 2, sessionId: '' });

describe('Admission with queue bounds', () => {
  it('counts routed requests before they start; the one past the bound is queue-full (503 class)', () => {
    const a = newAdmission('colocated');
    a.register(d0, 0);
    // 1 batch slot + 1 queued per worker: the 1st takes the slot, the 2nd queues, the 3rd is refused.
    expect(a.route(req('r1'), [], NO_POOL_PREFIX, 0).kind).toBe('accept');
    expect(a.route(req('r2'), [], NO_POOL_PREFIX, 0).kind).toBe('accept');
    const third = a.route(req('r3'), [], NO_POOL_PREFIX, 0);
    expect(third).toMatchObject({ kind: 'reject', reason: 'queue-full' });
    expect(third.kind === 'reject' && rejectClass(third.reason)).toBe('overloaded');
    // Routed requests nobody started expire after 10 s: at t = 10 the slot and the queue are free again.
    expect(a.queues?.numPending(9.9)).toBe(2);
    a.heartbeat('d0', idle, 10); // still healthy (silent workers are not routed to)
    expect(a.route(req('r4'), [], NO_POOL_PREFIX, 10).kind).toBe('accept');
  });

  it('a started request stays counted (in flight) until released', () => {
    const a = newAdmission('colocated');
    a.register(d0, 0);
    const r1 = a.route(req('r1'), [], NO_POOL_PREFIX, 0);
    if (r1.kind !== 'accept') throw new Error('r1 refused');
    const hold = a.reserve(r1.plan);
    expect(a.queues?.numPending(0)).toBe(0);
    a.heartbeat('d0', idle, 20); // 20 s later r1 still runs (reserved), nothing is pending
    expect(a.route(req('r2'), [], NO_POOL_PREFIX, 20).kind).toBe('accept'); // queued behind r1
    expect(a.route(req('r3'), [], NO_POOL_PREFIX, 20)).toMatchObject({ reason: 'queue-full' });
    hold.release();
    // r1 left: r2 (still pending) takes the slot, r3 may queue.
    expect(a.route(req('r3'), [], NO_POOL_PREFIX, 20).kind).toBe('accept');
  });

  it('a remote prefill counts on its prefill worker from start to prefillDone', () => {
    const a = newAdmission('disaggregated');
    a.register(d0, 0);
    a.register(p0, 0);
    a.register({ ...d0, workerId: 'd1' }, 0);
    a.register({ ...d0, workerId: 'd2' }, 0);
    const holds = ['r1', 'r2'].map((id) => {
      const r = a.route(req(id), [], NO_POOL_PREFIX, 0);
      if (r.kind !== 'accept' || r.plan.prefill === undefined) throw new Error(`${id} not routed remotely`);
      return a.reserve(r.plan);
    });
    // p0 computes r1 with r2 behind it: 1 queued = its bound (1 per prefill worker), so r3 is refused.
    expect(a.route(req('r3'), [], NO_POOL_PREFIX, 0)).toMatchObject({ reason: 'queue-full' });
    holds[0]?.prefillDone();
    expect(a.route(req('r3'), [], NO_POOL_PREFIX, 0).kind).toBe('accept');
  });

  it('learns the sequence time from finished requests (weight 0.1)', () => {
    const a = newAdmission('colocated');
    // Prior 1 s; a 3 s observation moves it by 0.1 × (3 − 1) = 0.2 → 1.2 s.
    a.queues?.observeSequenceSeconds(3);
    expect(a.queues?.meanSequenceSeconds).toBeCloseTo(1.2, 12);
  });
});
