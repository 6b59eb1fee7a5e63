import { describe, expect, it } from 'vitest';
import { worker } from '../testing-fixtures.js';
import type { WorkerState } from '../types.js';
import { checkQueueLimits, clampRetryAfterSeconds, type QueueCheckInput } from './queue-limits.js';

const LIMITS = { maxQueuedPerWorker: 2, maxQueueSeconds: 5 };

function input(workers: WorkerState[], over: Partial<QueueCheckInput> = {}): QueueCheckInput {
  return {
    workers,
    decodeWorkerId: 'd0',
    prefillWorkerId: null,
    numPrefills: () => 0,
    pendingSequences: () => 0,
    meanSequenceSeconds: 4,
    ...over,
  };
}

describe('checkQueueLimits: decode pool', () => {
  it('a request that finds a free batch slot never queues, whatever the rest of the pool holds', () => {
    // d0: 3 running + 0 waiting < 4 slots → no queue on d0, even though d1 is 10 over its slots.
    const d0 = worker('d0', { maxBatch: 4, numRunning: 3 });
    const d1 = worker('d1', { maxBatch: 4, numRunning: 4, numWaiting: 10 });
    expect(checkQueueLimits(LIMITS, input([d0, d1]))).toEqual({ kind: 'ok' });
  });

  it('queue-full when the pool already holds its bound of queued requests', () => {
    // d0: 4 running + 1 waiting on 4 slots → 1 queued; d1: 4 + 2 → 2 queued; total 3.
    // Bound = 2 per worker × 2 healthy workers = 4: the new one makes 4 ≤ 4 → ok.
    const d0 = worker('d0', { maxBatch: 4, numRunning: 4, numWaiting: 1 });
    const d1 = worker('d1', { maxBatch: 4, numRunning: 4, numWaiting: 2 });
    expect(checkQueueLimits(LIMITS, input([d0, d1], { meanSequenceSeconds: 1 }))).toEqual({ kind: 'ok' });
    // One routed-but-not-started request on d0 makes the total 4; the next would be the 5th > 4.
    const verdict = checkQueueLimits(
      LIMITS,
      input([d0, d1], { meanSequenceSeconds: 1, pendingSequences: (id) => (id === 'd0' ? 1 : 0) }),
    );
    expect(verdict).toMatchObject({ kind: 'reject', reason: 'queue-full', pool: 'decode' });
    // Retry after one queued request's share of a slot: 1 s per sequence ÷ 4 slots × 1 over = 0.25 → 1 s.
    expect(verdict.kind === 'reject' && verdict.retryAfterSeconds).toBe(1);
    expect(verdict.kind === 'reject' && verdict.message).toMatch(
      /4 requests already wait .* \(bound 4 = 2 per worker\)/,
    );
  });

  it('an unhealthy worker adds nothing to the bound', () => {
    // Only d0 is healthy: bound 2. d0 has 2 queued (4 + 2 on 4 slots) → the next is the 3rd > 2.
    const d0 = worker('d0', { maxBatch: 4, numRunning: 4, numWaiting: 2 });
    const d1 = worker('d1', { maxBatch: 4, healthy: false });
    expect(checkQueueLimits(LIMITS, input([d0, d1], { meanSequenceSeconds: 1 }))).toMatchObject({
      reason: 'queue-full',
    });
  });

  it('queue-time when the predicted wait for a slot exceeds the bound', () => {
    // d0: 4 + 1 on 4 slots → 1 queued ahead; the new one is 2nd: wait = 2 × 12 s ÷ 4 slots = 6 s > 5 s.
    const d0 = worker('d0', { maxBatch: 4, numRunning: 4, numWaiting: 1 });
    const d1 = worker('d1', { maxBatch: 4 });
    const verdict = checkQueueLimits(LIMITS, input([d0, d1], { meanSequenceSeconds: 12 }));
    expect(verdict).toMatchObject({ kind: 'reject', reason: 'queue-time', pool: 'decode' });
    // 6 s − 5 s = 1 s over the bound.
    expect(verdict.kind === 'reject' && verdict.retryAfterSeconds).toBe(1);
    // With 8 s per sequence: 2 × 8 ÷ 4 = 4 s ≤ 5 s → ok.
    expect(checkQueueLimits(LIMITS, input([d0, d1], { meanSequenceSeconds: 8 }))).toEqual({ kind: 'ok' });
  });
});

describe('checkQueueLimits: prefill pool (remote prefill)', () => {
  const d0 = worker('d0', { maxBatch: 4 });

  it('a prefill worker with nothing in flight takes the request at once', () => {
    const p0 = worker('p0', { role: 'prefill', numQueuedPrefillTokens: 0 });
    expect(checkQueueLimits(LIMITS, input([d0, p0], { prefillWorkerId: 'p0' }))).toEqual({ kind: 'ok' });
  });

  it('queue-full by prompts waiting behind the one computing', () => {
    // p0 has 3 prompts in flight → 2 queued; bound = 2 × 1 prefill worker = 2: the new one is the 3rd.
    const p0 = worker('p0', {
      role: 'prefill',
      numQueuedPrefillTokens: 300,
      prefillSecondsPerToken: 1e-3,
      prefillFixedSeconds: 0.01,
    });
    const verdict = checkQueueLimits(LIMITS, input([d0, p0], { prefillWorkerId: 'p0', numPrefills: () => 3 }));
    expect(verdict).toMatchObject({ kind: 'reject', reason: 'queue-full', pool: 'prefill' });
    // Wait = 300 tokens × 1 ms + 3 × 10 ms = 0.33 s, per prompt 0.11 s → retry after 1 s (the floor).
    expect(verdict.kind === 'reject' && verdict.retryAfterSeconds).toBe(1);
  });

  it('queue-time by queued prompt tokens', () => {
    // 1 prompt in flight, 6,000 tokens queued × 1 ms = 6 s (+ 1 × 0 fixed) > 5 s.
    const p0 = worker('p0', {
      role: 'prefill',
      numQueuedPrefillTokens: 6000,
      prefillSecondsPerToken: 1e-3,
      prefillFixedSeconds: 0,
    });
    const verdict = checkQueueLimits(LIMITS, input([d0, p0], { prefillWorkerId: 'p0', numPrefills: () => 1 }));
    expect(verdict).toMatchObject({ kind: 'reject', reason: 'queue-time', pool: 'prefill' });
  });
});

describe('clampRetryAfterSeconds', () => {
  it.each([
    [0, 1],
    [0.2, 1],
    [1.01, 2],
    [59.5, 60],
    [600, 60],
  ])('%d s → %d s', (s, want) => {
    expect(clampRetryAfterSeconds(s)).toBe(want);
  });
});
