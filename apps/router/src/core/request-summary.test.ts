import { describe, expect, it } from 'vitest';
import { interTokenGaps, type RequestObservation, summarizeRequest } from './request-summary.js';

const routing = {
  requestId: 'r1',
  policy: 'oicf-cost',
  reason: 'remote-prefill',
  prefillWorkerId: 'p0',
  decodeWorkerId: 'd0',
  numCachedTokens: 64,
  cacheSource: 'pool' as const,
  predictedTtftSeconds: 0.05,
};
const decode = {
  firstChunkAfterSeconds: 0.03,
  numCachedPromptTokens: 0,
  queueSeconds: 0.01,
  kvReceiveSeconds: 0.005,
  decodeSeconds: 0.4,
};
const base: RequestObservation = {
  routing,
  numPromptTokens: 100,
  numCompletionTokens: 8,
  arrivalSeconds: 10,
  firstTokenSeconds: 10.06,
  endSeconds: 10.5,
  prefill: {
    numCachedTokens: 64,
    kvBytesSent: 36 * 4096,
    queueSeconds: 0.002,
    fetchKvSeconds: 0.003,
    computeSeconds: 0.04,
    sendKvSeconds: 0.004,
  },
  decode,
  poolBytes: 64 * 4096,
  decodeWorkerPrefixTokens: 0,
};

describe('summarizeRequest', () => {
  it('remote prefill: pool-cached tokens, prefill + decode timings, bytes pushed + fetched', () => {
    const s = summarizeRequest(base);
    expect(s.numCachedTokens).toBe(64);
    expect(s.info).toEqual({
      request_id: 'r1',
      policy: 'oicf-cost',
      reason: 'remote-prefill',
      prefill_worker_id: 'p0',
      decode_worker_id: 'd0',
      num_cached_tokens: 64,
      cache_source: 'pool',
      predicted_ttft_seconds: 0.05,
      ttft_seconds: expect.closeTo(0.06, 12),
      e2e_seconds: 0.5,
      // 36 uncached tokens pushed (36 · 4096 = 147 456) + 64 pool tokens fetched (262 144) = 409 600
      kv_bytes_moved: 409_600,
      timings: {
        queue_seconds: expect.closeTo(0.012, 12), // 0.002 prefill + 0.01 decode
        prefill_seconds: 0.04,
        kv_transfer_seconds: expect.closeTo(0.007, 12), // 0.003 fetch + 0.004 send
        decode_seconds: 0.4,
      },
    });
  });

  it.each([
    // local prefill: 64 cached on a worker whose index prefix is 64 → worker; beyond the index → pool
    [64, 64, 'worker'],
    [128, 64, 'pool'],
    [0, 64, 'none'],
  ] as const)('local prefill with %i cached tokens, index prefix %i → %s', (cached, prefix, source) => {
    const s = summarizeRequest({
      ...base,
      routing: { ...routing, prefillWorkerId: null, reason: 'local-prefill-short-suffix' },
      prefill: undefined,
      decode: { ...decode, numCachedPromptTokens: cached },
      poolBytes: 0,
      decodeWorkerPrefixTokens: prefix,
    });
    expect(s.info.cache_source).toBe(source);
    expect(s.info.num_cached_tokens).toBe(cached);
    // prefill time = first chunk 0.03 − queue 0.01 − KV receive 0.005 = 0.015
    expect(s.info.timings.prefill_seconds).toBeCloseTo(0.015, 12);
    expect(s.info.timings.kv_transfer_seconds).toBe(0.005);
    expect(s.info.kv_bytes_moved).toBe(0);
  });
});

describe('interTokenGaps', () => {
  it.each([
    // first token at 1.0, then one token 0.1 s later, then a 2-token chunk 0.4 s after that
    [
      [
        { atSeconds: 1, numTokens: 1 },
        { atSeconds: 1.1, numTokens: 1 },
        { atSeconds: 1.5, numTokens: 2 },
      ],
      [0.1, 0.2, 0.2],
    ],
    // a first chunk of 3 tokens: its 2 extra tokens came with it (gap 0)
    [[{ atSeconds: 0, numTokens: 3 }], [0, 0]],
    [[], []],
  ])('%j → %j', (emissions, gaps) => {
    const got = interTokenGaps(emissions);
    expect(got).toHaveLength(gaps.length);
    got.forEach((g, i) => {
      expect(g).toBeCloseTo(gaps[i] as number, 12);
    });
  });
});
