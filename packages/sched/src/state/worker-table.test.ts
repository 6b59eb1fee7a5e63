import { describe, expect, it } from 'vitest';
import { InflightTracker } from './inflight.js';
import { workerStates } from './worker-states.js';
import { type WorkerLoadReport, type WorkerSpec, WorkerTable } from './worker-table.js';

/** A host's registration: the spec plus how to reach the worker (the router's addresses). */
type WorkerRegistration = WorkerSpec & {
  readonly grpcAddress: string;
  readonly wsAddress: string;
  readonly httpAddress: string;
  readonly modelId: string;
  readonly deviceId: string;
  readonly emulatedModelId: string;
};
const reg = (workerId: string, over: Partial<WorkerRegistration> = {}): WorkerRegistration => ({
  workerId,
  role: 'decode',
  grpcAddress: '127.0.0.1:5000',
  wsAddress: 'ws://127.0.0.1:5001',
  httpAddress: '',
  modelId: 'tiny-gqa',
  deviceId: 'this-machine',
  emulatedModelId: '',
  kvCapacityBytes: 1_000_000,
  maxBatch: 8,
  maxContextTokens: 0,
  ...over,
});
const load = (over: Partial<WorkerLoadReport> = {}): WorkerLoadReport => ({
  numRunningSequences: 0,
  numWaitingSequences: 0,
  kvUsedBytes: 0,
  kvCapacityBytes: 1_000_000,
  prefillSecondsPerToken: 0,
  prefillFixedSeconds: 0,
  decodeStepSeconds: 0,
  prefillIntensityFlopsPerByte: 0,
  decodeIntensityFlopsPerByte: 0,
  ...over,
});
const priors = { prefillSecondsPerToken: 1e-3, decodeStepSeconds: 0.01 };

describe('WorkerTable', () => {
  it('is idempotent per worker id and reports changes', () => {
    const t = new WorkerTable<WorkerRegistration>({ timeoutSeconds: 3, dropSeconds: 30 });
    expect(t.register(reg('d0'), 0)).toEqual({ isNew: true, changed: true });
    expect(t.register(reg('d0'), 1)).toEqual({ isNew: false, changed: false });
    expect(t.register(reg('d0', { grpcAddress: '127.0.0.1:6000' }), 2)).toEqual({ isNew: false, changed: true });
    expect(t.size()).toBe(1);
    expect(t.get('d0')?.registration.grpcAddress).toBe('127.0.0.1:6000');
  });

  it('marks a silent worker unhealthy after timeoutSeconds and drops it after dropSeconds', () => {
    const t = new WorkerTable<WorkerRegistration>({ timeoutSeconds: 3, dropSeconds: 30 });
    t.register(reg('d0'), 0);
    const entry = t.get('d0');
    if (entry === undefined) throw new Error('registered');
    expect(t.isHealthy(entry, 3)).toBe(true); // exactly 3 s silent: still healthy (≤ timeout)
    expect(t.isHealthy(entry, 3.01)).toBe(false);
    expect(t.heartbeat('d0', load(), 10)).toBe(true);
    expect(t.isHealthy(entry, 12)).toBe(true);
    expect(t.sweep(40)).toEqual([]); // 30 s after the last heartbeat at 10: not yet
    expect(t.sweep(40.5)).toEqual(['d0']);
    expect(t.heartbeat('d0', load(), 41)).toBe(false);
  });

  it('keeps a worker whose call failed unhealthy until its next heartbeat', () => {
    const t = new WorkerTable<WorkerRegistration>({ timeoutSeconds: 3, dropSeconds: 30 });
    t.register(reg('d0'), 0);
    t.markFailed('d0', 'UNAVAILABLE');
    const entry = t.get('d0');
    if (entry === undefined) throw new Error('registered');
    expect(t.isHealthy(entry, 0.1)).toBe(false);
    t.heartbeat('d0', load(), 0.2);
    expect(t.isHealthy(entry, 0.3)).toBe(true);
  });
});

describe('workerStates', () => {
  it('merges heartbeat load, the router in-flight record and speed priors', () => {
    const t = new WorkerTable<WorkerRegistration>({ timeoutSeconds: 3, dropSeconds: 30 });
    t.register(reg('d0'), 0);
    t.register(reg('p0', { role: 'prefill', kvCapacityBytes: 0, maxBatch: 0 }), 0);
    t.heartbeat(
      'd0',
      load({ numRunningSequences: 2, numWaitingSequences: 1, kvUsedBytes: 500, decodeStepSeconds: 0.02 }),
      1,
    );
    const inflight = new InflightTracker();
    inflight.adjust('d0', { numSequences: 5, kvBytes: 400 });
    inflight.adjust('p0', { prefillTokens: 100 });
    const [d0, p0] = workerStates(t, 5, inflight, priors);
    expect(d0).toEqual({
      workerId: 'd0',
      role: 'decode',
      healthy: false, // last heard at 1, now 5: 4 s > 3 s
      numRunning: 2,
      numWaiting: 3, // max(heartbeat 1, in-flight 5 − running 2)
      numQueuedPrefillTokens: 0,
      kvBytesUsed: 500, // max(500 reported, 400 reserved)
      kvBytesCapacity: 1_000_000,
      maxBatch: 8,
      prefillFixedSeconds: 0,
      prefillSecondsPerToken: 1e-3, // not measured yet → prior
      decodeStepSeconds: 0.02,
    });
    expect(p0).toMatchObject({ workerId: 'p0', role: 'prefill', healthy: false, numQueuedPrefillTokens: 100 });
  });

  it('takes KV released since the last heartbeat off that report (a stale report is not a full worker)', () => {
    const t = new WorkerTable<WorkerRegistration>({ timeoutSeconds: 3, dropSeconds: 30 });
    t.register(reg('d0'), 0);
    const inflight = new InflightTracker();
    // A request reserved 800 B; the heartbeat during it reported 700 B used.
    inflight.adjust('d0', { numSequences: 1, kvBytes: 800 });
    t.heartbeat('d0', load({ kvUsedBytes: 700 }), 1);
    inflight.markReport('d0');
    expect(workerStates(t, 1, inflight, priors)[0]?.kvBytesUsed).toBe(800); // max(700 reported, 800 reserved)
    // It finishes before the next heartbeat: 700 − 800 released → 0, and nothing is in flight.
    inflight.adjust('d0', { numSequences: -1, kvBytes: -800 });
    expect(workerStates(t, 1.2, inflight, priors)[0]?.kvBytesUsed).toBe(0);
    // A new request (300 B) before the heartbeat: what the router reserved counts.
    inflight.adjust('d0', { numSequences: 1, kvBytes: 300 });
    expect(workerStates(t, 1.3, inflight, priors)[0]?.kvBytesUsed).toBe(300);
    // The next heartbeat reports 250 B actually used: released bytes before it no longer apply.
    t.heartbeat('d0', load({ kvUsedBytes: 250 }), 1.5);
    inflight.markReport('d0');
    expect(workerStates(t, 1.5, inflight, priors)[0]?.kvBytesUsed).toBe(300);
    expect(inflight.releasedSinceReport('d0')).toBe(0);
  });

  it("uses a worker's fitted prefill line once it has measured one", () => {
    const t = new WorkerTable<WorkerRegistration>({ timeoutSeconds: 3, dropSeconds: 30 });
    t.register(reg('d0'), 0);
    t.heartbeat('d0', load({ prefillSecondsPerToken: 2e-4, prefillFixedSeconds: 0.015 }), 1);
    const [d0] = workerStates(t, 1, new InflightTracker(), priors);
    expect(d0).toMatchObject({ prefillFixedSeconds: 0.015, prefillSecondsPerToken: 2e-4 });
  });

  it('keeps entries() in worker-id order and current across register, heartbeat and sweep', () => {
    // entries() is cached between changes of the worker set: each step checks ids and a live field.
    const t = new WorkerTable<WorkerRegistration>({ timeoutSeconds: 3, dropSeconds: 30 });
    const view = () => t.entries().map((e) => `${e.registration.workerId}@${e.registration.grpcAddress}`);
    t.register(reg('d1'), 0);
    expect(view()).toEqual(['d1@127.0.0.1:5000']);
    t.register(reg('d0'), 1);
    expect(view()).toEqual(['d0@127.0.0.1:5000', 'd1@127.0.0.1:5000']);
    t.register(reg('d1', { grpcAddress: '127.0.0.1:6000' }), 2); // a restarted worker at a new address
    expect(view()).toEqual(['d0@127.0.0.1:5000', 'd1@127.0.0.1:6000']);
    t.heartbeat('d0', load({ numWaitingSequences: 4 }), 20);
    expect(t.entries()[0]?.load?.numWaitingSequences).toBe(4);
    expect(t.sweep(33)).toEqual(['d1']); // d1 last seen at 2: 31 s > 30 s; d0 at 20
    expect(view()).toEqual(['d0@127.0.0.1:5000']);
  });

  it('drops in-flight entries that return to zero', () => {
    const inflight = new InflightTracker();
    inflight.adjust('d0', { numSequences: 1, kvBytes: 10 });
    inflight.adjust('d1', { numSequences: 1 });
    inflight.adjust('d0', { numSequences: -1, kvBytes: -10 });
    expect(inflight.get('d0')).toEqual({ numSequences: 0, kvBytes: 0, prefillTokens: 0 });
    expect(inflight.totalSequences()).toBe(1);
  });

  it('hands out snapshots: a load read before an adjust does not change with it', () => {
    const inflight = new InflightTracker();
    inflight.adjust('d0', { numSequences: 2, kvBytes: 100 });
    const before = inflight.get('d0');
    inflight.adjust('d0', { numSequences: 1, prefillTokens: 7 });
    expect(before).toEqual({ numSequences: 2, kvBytes: 100, prefillTokens: 0 });
    expect(inflight.get('d0')).toEqual({ numSequences: 3, kvBytes: 100, prefillTokens: 7 });
  });
});
