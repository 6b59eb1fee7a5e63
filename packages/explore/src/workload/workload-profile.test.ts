import type { TraceRequest } from '@oicf/traces';
import { describe, expect, it } from 'vitest';
import { hitFraction, profileWorkload } from './workload-profile.js';

// Three turns of one session and one unrelated request, 100-token blocks:
//   t=0   a: 300 tokens, blocks [1,2,3]            nothing seen before
//   t=10  b: 500 tokens, blocks [1,2,3,4,5]         reuses 300 tokens last used 10 s ago → held 300 × 10
//   t=40  c: 200 tokens, blocks [9,10]              nothing reused
//   t=100 d: 600 tokens, blocks [1,2,3,4,5,6]       reuses 500 tokens last used 90 s ago → held 500 × 90
// Duration 100 s: mean resident tokens 30 (b) and 450 (d), cumulative 30 and 480 in order of age.
const req = (id: string, t: number, input: number, blocks: number[], out = 10): TraceRequest => ({
  requestId: id,
  arrivalSeconds: t,
  inputTokens: input,
  outputTokens: out,
  blockHashes: blocks,
  blockTokens: 100,
});
const requests = [
  req('a', 0, 300, [1, 2, 3]),
  req('b', 10, 500, [1, 2, 3, 4, 5]),
  req('c', 40, 200, [9, 10]),
  req('d', 100, 600, [1, 2, 3, 4, 5, 6]),
];

describe('workload profile', () => {
  const p = profileWorkload(requests);

  it('rate, means and the decode context by hand', () => {
    // 4 requests over 100 s; mean prompt (300 + 500 + 200 + 600) / 4 = 400; decode context Σ 10·(I + 5) / 40 = 405.
    expect([p.numRequests, p.durationSeconds, p.arrivalRatePerSecond]).toEqual([4, 100, 0.04]);
    expect([p.meanInputTokens, p.meanOutputTokens, p.decodeContextTokens]).toEqual([400, 10, 405]);
    expect(p.maxContextTokens).toBe(610);
  });

  it('reuse curve: a cache serves the reuse events whose residency fits it, shortest age first', () => {
    expect(p.reuse.totalReusableTokens).toBe(800);
    expect([...p.reuse.cumulativeHeldTokens]).toEqual([30, 480]);
    expect(hitFraction(p.reuse, 0)).toBe(0);
    // 30 tokens hold b's 300 reusable of 800: 0.375; 480 hold both.
    expect(hitFraction(p.reuse, 30)).toBe(0.375);
    expect(hitFraction(p.reuse, 479)).toBe(0.375);
    expect(hitFraction(p.reuse, 480)).toBe(1);
  });

  it('equal-count bins by prompt length with their reusable tokens', () => {
    expect(p.bins.map((b) => [b.share, b.inputTokens, b.reusableTokens])).toEqual([
      [0.25, 200, 0],
      [0.25, 300, 0],
      [0.25, 500, 300],
      [0.25, 600, 500],
    ]);
  });
});
