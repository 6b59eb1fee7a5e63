import { describe, expect, it } from 'vitest';
import { PendingPrefixes } from './pending-prefixes.js';

describe('PendingPrefixes', () => {
  it('finds the pending run after the held prefix, ready when its last block’s first claim lands', () => {
    const p = new PendingPrefixes();
    p.add('r1', 'd0', ['a', 'b', 'c'], 2.0);
    // r2 waits for a, b, c and computes d, e after them: it lands later.
    p.add('r2', 'd0', ['a', 'b', 'c', 'd', 'e'], 3.0);
    // From block 0: a–c are ready at 2.0 (r1 is their earliest claim), d–e at 3.0: the run ends at r2's 3.0.
    expect(p.leadingRun('d0', ['a', 'b', 'c', 'd', 'e', 'f'], 0)).toEqual({
      numBlocks: 5,
      readyAtSeconds: 3.0,
      requestId: 'r2',
    });
    // A prompt sharing only a, b waits for r1 alone.
    expect(p.leadingRun('d0', ['a', 'b', 'x'], 0)).toEqual({ numBlocks: 2, readyAtSeconds: 2.0, requestId: 'r1' });
    // The worker already holds a (fromBlock 1): the run is b, c.
    expect(p.leadingRun('d0', ['a', 'b', 'c'], 1)).toEqual({ numBlocks: 2, readyAtSeconds: 2.0, requestId: 'r1' });
    // Nothing pending at the first block looked at, or on another worker.
    expect(p.leadingRun('d0', ['x', 'a'], 0)).toBeUndefined();
    expect(p.leadingRun('d1', ['a'], 0)).toBeUndefined();
    expect(p.numBlocks('d0')).toBe(5);
  });

  it('take ends a landed claim and returns its blocks; drop ends a failed one; both leave no trace', () => {
    const p = new PendingPrefixes();
    p.add('r1', 'd0', ['a', 'b'], 1.0);
    p.add('r2', 'd0', ['a', 'b', 'c'], 1.5);
    expect(p.take('r1')).toEqual({ workerId: 'd0', blockIds: ['a', 'b'] });
    expect(p.take('r1')).toBeUndefined();
    // a and b are still pending through r2's claim, now ready at r2's 1.5.
    expect(p.leadingRun('d0', ['a', 'b', 'c'], 0)).toEqual({ numBlocks: 3, readyAtSeconds: 1.5, requestId: 'r2' });
    p.drop('r2');
    expect(p.leadingRun('d0', ['a'], 0)).toBeUndefined();
    expect(p.numBlocks('d0')).toBe(0);
    expect(p.numRequests).toBe(0);
  });

  it('forget drops every claim on a worker only', () => {
    const p = new PendingPrefixes();
    p.add('r1', 'd0', ['a'], 1);
    p.add('r2', 'd1', ['a'], 1);
    p.forget('d0');
    expect(p.leadingRun('d0', ['a'], 0)).toBeUndefined();
    expect(p.leadingRun('d1', ['a'], 0)).toEqual({ numBlocks: 1, readyAtSeconds: 1, requestId: 'r2' });
    expect(p.numRequests).toBe(1);
  });

  it('a request that computes nothing new has no claim; a second add replaces the first', () => {
    const p = new PendingPrefixes();
    p.add('r1', 'd0', [], 1);
    expect(p.numRequests).toBe(0);
    p.add('r1', 'd0', ['a', 'b'], 1);
    p.add('r1', 'd0', ['a'], 2);
    expect(p.leadingRun('d0', ['a', 'b'], 0)).toEqual({ numBlocks: 1, readyAtSeconds: 2, requestId: 'r1' });
  });
});
