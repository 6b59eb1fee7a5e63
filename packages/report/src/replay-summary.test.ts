import { describe, expect, it } from 'vitest';
import { summarizeReplay } from './replay-summary.js';
import { makeMeta, makeRecord, makeRouting, makeRun } from './testing/make-run.js';

const route = (cacheSource: 'worker' | 'pool' | 'none', numCachedTokens: number, extra = {}) =>
  makeRouting({ policy: 'oicf-cost', cacheSource, numCachedTokens, ...extra });

// Eight requests over a 10 s run (derivations in the assertions).
const records = [
  makeRecord({
    requestId: 'a',
    ttftSeconds: 0.1,
    tpotSeconds: 0.02,
    e2eSeconds: 0.28, // 0.1 + 9 × 0.02
    interTokenSeconds: [0.02, 0.02],
    numInputTokens: 1000,
    numCachedTokens: 512,
    routing: route('worker', 512, {
      reason: 'cache-hit',
      predictedTtftSeconds: 0.15,
      serverTtftSeconds: 0.08,
      kvBytesMoved: 1000,
    }),
  }),
  makeRecord({
    requestId: 'b',
    ttftSeconds: 0.3,
    tpotSeconds: 0.04,
    e2eSeconds: 0.66, // 0.3 + 9 × 0.04
    interTokenSeconds: [0.04],
    numInputTokens: 2000,
    numCachedTokens: 1024,
    slotWaitSeconds: 0.5,
    routing: route('pool', 1024, { reason: 'least-cost', predictedTtftSeconds: 0.2, kvBytesMoved: 3000 }),
  }),
  makeRecord({
    requestId: 'c',
    ttftSeconds: 0.2,
    tpotSeconds: null,
    e2eSeconds: 0.2,
    numOutputTokens: 1,
    numInputTokens: 1000,
    numCachedTokens: 0,
    slotWaitSeconds: 1.5,
    routing: route('none', 0, { reason: 'prefill-local', kvBytesMoved: 0 }),
  }),
  ...['slo', 'capacity', 'slo'].map((code) =>
    makeRecord({
      status: 'rejected',
      httpStatus: 429,
      errorCode: code,
      ttftSeconds: null,
      tpotSeconds: null,
      e2eSeconds: null,
    }),
  ),
  makeRecord({ status: 'error', httpStatus: 500, errorCode: 'http-500', ttftSeconds: null }),
  makeRecord({ status: 'cancelled', httpStatus: null, ttftSeconds: null }),
];

describe('summarizeReplay', () => {
  const s = summarizeReplay(makeRun(records, { meta: makeMeta({ concurrencyLimit: 2 }), numPlanned: 12 }), {
    ttftSeconds: 0.25,
    tpotSeconds: 0.03,
  });

  it('counts by status and reason', () => {
    expect(s.numPlanned).toBe(12);
    expect(s.numStarted).toBe(8);
    expect(s.byStatus).toEqual({ ok: 3, rejected: 3, error: 1, cancelled: 1 });
    expect(s.rejectsByReason).toEqual([
      { key: 'slo', value: 2 },
      { key: 'capacity', value: 1 },
    ]);
    expect(s.errorsByCode).toEqual([{ key: 'http-500', value: 1 }]);
  });

  it('latency percentiles over ok requests only', () => {
    // TTFT 0.1, 0.2, 0.3: p50 = sorted[ceil(1.5) − 1] = 0.2, p90 = sorted[ceil(2.7) − 1] = 0.3.
    expect(s.ttft).toMatchObject({ count: 3, p50Seconds: 0.2, p90Seconds: 0.3, p99Seconds: 0.3 });
    expect(s.ttft?.meanSeconds).toBeCloseTo(0.2, 12);
    // TPOT 0.02, 0.04 (c has one output token): mean 0.03, p50 = sorted[0].
    expect(s.tpot).toMatchObject({ count: 2, p50Seconds: 0.02, p99Seconds: 0.04 });
    expect(s.tpot?.meanSeconds).toBeCloseTo(0.03, 12);
    expect(s.interToken).toMatchObject({ count: 3, p50Seconds: 0.02, maxSeconds: 0.04 });
    expect(s.e2e).toMatchObject({ count: 3, p50Seconds: 0.28, maxSeconds: 0.66 });
  });

  it('throughput and goodput over the 10 s run', () => {
    // 3 ok / 10 s; output 10 + 10 + 1 = 21 → 2.1 tok/s; input 4000 → 400 tok/s.
    expect(s.throughput.requestsPerSecond).toBeCloseTo(0.3, 12);
    expect(s.throughput.outputTokensPerSecond).toBeCloseTo(2.1, 12);
    expect(s.throughput.inputTokensPerSecond).toBeCloseTo(400, 12);
    // a meets both; b misses TTFT (0.3 > 0.25); c meets TTFT and has no TPOT → 2 met of 7 judged
    // (the cancelled one is not judged); goodput 2 / 10 s.
    expect(s.goodput).toMatchObject({ numJudged: 7, numMet: 2, attainment: 2 / 7, requestsPerSecond: 0.2 });
  });

  it('prefix hits by cache source as shares of all prompt tokens', () => {
    // 512 + 1024 cached of 4000 prompt tokens = 0.384; worker 512/4000, pool 1024/4000.
    expect(s.prefix).toEqual({
      numPromptTokens: 4000,
      numCachedTokens: 1536,
      hitRatio: 0.384,
      bySource: [
        { source: 'worker', numRequests: 1, numCachedTokens: 512, shareOfPromptTokens: 0.128 },
        { source: 'pool', numRequests: 1, numCachedTokens: 1024, shareOfPromptTokens: 0.256 },
        { source: 'none', numRequests: 1, numCachedTokens: 0, shareOfPromptTokens: 0 },
      ],
    });
    expect(s.kvBytesMoved).toBe(4000);
  });

  it('concurrency waits and routing', () => {
    expect(s.concurrency).toMatchObject({ limit: 2, numWaited: 2, slotWait: { count: 2, meanSeconds: 1 } });
    expect(s.routing.byPolicy).toEqual([{ key: 'oicf-cost', value: 3 }]);
    expect(s.routing.byReason.map((r) => r.key)).toEqual(['cache-hit', 'least-cost', 'prefill-local']);
    // a: 0.15 − 0.08 (router's TTFT) = 0.07; b: 0.2 − 0.3 (client TTFT, no router TTFT) = −0.1.
    expect(s.routing.ttftPredictionError?.count).toBe(2);
    expect(s.routing.ttftPredictionError?.meanSignedSeconds).toBeCloseTo(-0.015, 12);
    expect(s.routing.ttftPredictionError?.meanAbsoluteSeconds).toBeCloseTo(0.085, 12);
  });

  it('a run without requests has nulls, not NaN', () => {
    const empty = summarizeReplay(makeRun([], { durationSeconds: 0 }), { ttftSeconds: 1, tpotSeconds: null });
    expect(empty.ttft).toBeNull();
    expect(empty.throughput.requestsPerSecond).toBeNull();
    expect(empty.prefix.hitRatio).toBeNull();
    expect(empty.kvBytesMoved).toBeNull();
    expect(empty.routing.ttftPredictionError).toBeNull();
  });
});
