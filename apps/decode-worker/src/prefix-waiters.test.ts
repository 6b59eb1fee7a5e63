import { type CachedBlock, LocalBlockCache } from '@oicf/kv';
import { describe, expect, it } from 'vitest';
import { PrefixWaiters } from './prefix-waiters.js';

const block = (blockId: string, position: number): CachedBlock => ({
  blockId,
  parentId: position === 0 ? '' : `b${position - 1}`,
  position,
  numTokens: 4,
  payload: new Uint8Array(8),
  checksum: 0,
});

describe('PrefixWaiters', () => {
  it('a waiter wakes when the awaited blocks enter the cache', async () => {
    const cache = new LocalBlockCache();
    const waiters = new PrefixWaiters(cache);
    const waited = waiters.wait(['b0', 'b1'], 'r1', 30, new AbortController().signal);
    expect(waiters.size).toBe(1);
    cache.insertChain([block('b0', 0)]);
    waiters.notify(); // one of two: still waiting
    expect(waiters.size).toBe(1);
    cache.insertChain([block('b0', 0), block('b1', 1)]);
    waiters.notify();
    await expect(waited).resolves.toBe('held');
    expect(waiters.size).toBe(0);
  });

  it('returns at once when the blocks are held, or the awaited request is already done without them', async () => {
    const cache = new LocalBlockCache();
    cache.insertChain([block('b0', 0)]);
    const waiters = new PrefixWaiters(cache);
    await expect(waiters.wait(['b0'], 'r1', 30, new AbortController().signal)).resolves.toBe('held');
    waiters.requestDone('r1');
    await expect(waiters.wait(['b0', 'b1'], 'r1', 30, new AbortController().signal)).resolves.toBe('ended');
  });

  it('stops when the awaited request ends without leaving the blocks, on cancel, and on timeout', async () => {
    const waiters = new PrefixWaiters(new LocalBlockCache());
    const ended = waiters.wait(['b0'], 'r1', 30, new AbortController().signal);
    waiters.requestDone('r2'); // another request: no effect
    expect(waiters.size).toBe(1);
    waiters.requestDone('r1');
    await expect(ended).resolves.toBe('ended');

    const abort = new AbortController();
    const cancelled = waiters.wait(['b0'], 'r3', 30, abort.signal);
    abort.abort();
    await expect(cancelled).resolves.toBe('cancelled');

    await expect(waiters.wait(['b0'], 'r4', 0.01, new AbortController().signal)).resolves.toBe('timeout');
    expect(waiters.size).toBe(0);
  });
});
