import { describe, expect, it } from 'vitest';
import { context, request, worker } from '../testing-fixtures.js';
import { awaitReason, landingSeconds, planAwaitPrefix } from './pending-cost.js';

// 1000-token prompt in 100-token blocks (10 full blocks; ⌊999/100⌋ = 9 reusable), 1000 B/token. The fixture
// worker prefills in 0.01 s + 1e-4 s per token and steps decode in 0.02 s.
describe('planAwaitPrefix', () => {
  it('wait + prefill of the rest on the decode worker; queue only beyond the wait', () => {
    const d = worker('d1', { numRunning: 1, numQueuedPrefillTokens: 500 });
    const req = request({
      workerPrefixBlocks: new Map([['d1', 2]]),
      workerPendingPrefix: new Map([['d1', { numBlocks: 6, readyInSeconds: 0.03, requestId: 'r0' }]]),
    });
    const plan = planAwaitPrefix(req, context([d]), d);
    // Awaited: 6 blocks = 600 tokens, computed: 400 → 0.01 + 400 × 1e-4 = 0.05 s.
    // Queue now: 500 queued tokens × 1e-4 + one decode step 0.02 = 0.07 s; 0.03 of it passes during the
    // wait: 0.04 s remain. TTFT = 0.03 + 0.04 + 0.05 = 0.12 s.
    expect(plan).toEqual({
      prefillWorker: null,
      decodeWorker: d,
      numCachedTokens: 600,
      cacheSource: 'worker',
      terms: {
        prefixWaitSeconds: 0.03,
        queueSeconds: expect.closeTo(0.04, 12),
        prefillSeconds: expect.closeTo(0.05, 12),
        prefixTransferSeconds: 0,
        handoffSeconds: 0,
        ttftSeconds: expect.closeTo(0.12, 12),
      },
      awaitPrefix: { requestId: 'r0', numBlocks: 6, waitSeconds: 0.03 },
      coalesced: false,
    });
    expect(awaitReason(plan as NonNullable<typeof plan>)).toBe('wait-inflight-prefix');
  });

  it('the same prompt in flight is coalesced: only the last token is computed after it lands', () => {
    const d = worker('d1');
    // All 10 blocks pending, but a prompt reuses at most 9 (its last token is always computed).
    const req = request({
      workerPendingPrefix: new Map([['d1', { numBlocks: 10, readyInSeconds: 0.5, requestId: 'r0' }]]),
    });
    const plan = planAwaitPrefix(req, context([d]), d);
    // 900 tokens awaited, 100 computed: 0.01 + 0.01 = 0.02 s; idle worker; TTFT = 0.5 + 0.02 = 0.52 s.
    expect(plan?.numCachedTokens).toBe(900);
    expect(plan?.awaitPrefix).toEqual({ requestId: 'r0', numBlocks: 9, waitSeconds: 0.5 });
    expect(plan?.terms.ttftSeconds).toBeCloseTo(0.52, 12);
    expect(plan?.coalesced).toBe(true);
    expect(awaitReason(plan as NonNullable<typeof plan>)).toBe('coalesced-inflight-prefill');
  });

  it('no option when nothing pending extends what the worker holds', () => {
    const d = worker('d1');
    expect(planAwaitPrefix(request(), context([d]), d)).toBeUndefined();
    const held = request({
      workerPrefixBlocks: new Map([['d1', 4]]),
      workerPendingPrefix: new Map([['d2', { numBlocks: 6, readyInSeconds: 0.1, requestId: 'r0' }]]),
    });
    expect(planAwaitPrefix(held, context([d]), d)).toBeUndefined();
  });
});

describe('landingSeconds', () => {
  it('a local prefill lands at its TTFT; a remote one a decode step of its decode worker later', () => {
    const d = worker('d1', { decodeStepSeconds: 0.03 });
    // Local: the decode worker's prefill step emits the first token: 0.25 s.
    expect(landingSeconds(0.25, false, d)).toBe(0.25);
    // Remote: the first token is the prefill worker's (0.25 s); d1 emits it with its first decode step: + 0.03 s.
    expect(landingSeconds(0.25, true, d)).toBeCloseTo(0.28, 12);
  });
});
