import { describe, expect, it } from 'vitest';
import { context, request, worker } from '../testing-fixtures.js';
import { planPrefill } from './cost.js';

describe('planPrefill', () => {
  it('remote prefill: queue + pool prefix read + uncached prefill + handoff', () => {
    // 1000-token prompt, 100-token blocks, 1000 B/token. Pool holds blocks 0-4 in dram.
    const req = request({ poolPrefix: { numBlocks: 5, tierOfBlock: ['dram', 'dram', 'dram', 'dram', 'dram'] } });
    const d = worker('d1');
    const p = worker('p1', { role: 'prefill', numQueuedPrefillTokens: 2000 });
    const plan = planPrefill(req, context([d, p]), d, p);
    // queue: 2000 tokens × 1e-4 s = 0.2 s
    // prefix: 1e-3 + 500 tokens × 1000 B / 1e9 B/s = 1.5e-3 s
    // prefill: 0.01 + 500 × 1e-4 = 0.06 s
    // handoff: d holds nothing → 1000 tokens × 1000 B = 1e6 B: 1e-4 + 1e6/1e9 = 1.1e-3 s
    expect(plan.numCachedTokens).toBe(500);
    expect(plan.cacheSource).toBe('pool');
    expect(plan.terms.queueSeconds).toBeCloseTo(0.2, 12);
    expect(plan.terms.prefixTransferSeconds).toBeCloseTo(1.5e-3, 12);
    expect(plan.terms.prefillSeconds).toBeCloseTo(0.06, 12);
    expect(plan.terms.handoffSeconds).toBeCloseTo(1.1e-3, 12);
    expect(plan.terms.ttftSeconds).toBeCloseTo(0.2 + 1.5e-3 + 0.06 + 1.1e-3, 12);
  });

  it('reads each block from the tier that holds it, one latency per tier', () => {
    const req = request({ poolPrefix: { numBlocks: 3, tierOfBlock: ['dram', 'disk', 'disk'] } });
    const d = worker('d1');
    const plan = planPrefill(req, context([d]), d, null);
    // dram: 1e-3 + 1e5/1e9 = 1.1e-3; disk: 1e-2 + 2e5/1e8 = 1.2e-2
    expect(plan.terms.prefixTransferSeconds).toBeCloseTo(1.1e-3 + 1.2e-2, 12);
    expect(plan.numCachedTokens).toBe(300);
  });

  it('refuses a pool prefix that does not name the tier of every block', () => {
    // numBlocks 3 but only 2 tiers: block 2's read cannot be priced (it is not guessed as some tier).
    const req = request({ poolPrefix: { numBlocks: 3, tierOfBlock: ['dram', 'disk'] } });
    const d = worker('d1');
    expect(() => planPrefill(req, context([d]), d, null)).toThrow(/no tier for block 2 \(numBlocks 3, 2 tiers\)/);
  });

  it('local prefill prefers the worker’s own longer prefix and waits for the running step', () => {
    const req = request({
      workerPrefixBlocks: new Map([['d1', 8]]),
      poolPrefix: { numBlocks: 2, tierOfBlock: ['dram', 'dram'] },
    });
    const d = worker('d1', { numRunning: 3, numQueuedPrefillTokens: 100 });
    const plan = planPrefill(req, context([d]), d, null);
    // queue: 100 × 1e-4 + one decode step 0.02 = 0.03; prefill of 200 tokens: 0.01 + 0.02 = 0.03
    expect(plan.cacheSource).toBe('worker');
    expect(plan.numCachedTokens).toBe(800);
    expect(plan.terms).toEqual({
      queueSeconds: expect.closeTo(0.03, 12),
      prefillSeconds: expect.closeTo(0.03, 12),
      prefixTransferSeconds: 0,
      handoffSeconds: 0,
      ttftSeconds: expect.closeTo(0.06, 12),
    });
  });

  it('always computes at least one prompt token even when every block is cached', () => {
    const req = request({ workerPrefixBlocks: new Map([['d1', 10]]) });
    const d = worker('d1');
    const plan = planPrefill(req, context([d]), d, null);
    expect(plan.numCachedTokens).toBe(999);
    expect(plan.terms.prefillSeconds).toBeCloseTo(0.01 + 1e-4, 12);
  });
});
