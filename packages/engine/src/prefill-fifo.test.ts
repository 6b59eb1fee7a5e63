import { describe, expect, it } from 'vitest';
import { PrefillFifo } from './prefill-fifo.js';

describe('PrefillFifo', () => {
  it('runs one at a time in arrival order; the depth is waiting + running tokens', () => {
    const q = new PrefillFifo<string>();
    expect(q.mustWait).toBe(false);
    q.start('a', 100);
    expect(q.mustWait).toBe(true);
    q.enqueue('b', 30);
    q.enqueue('c', 7);
    expect([q.depthTokens, q.numWaiting, q.busy]).toEqual([137, 2, true]); // 100 + 30 + 7
    q.setRunningTokens(40); // a found 60 more tokens cached: 40 + 30 + 7
    expect(q.depthTokens).toBe(77);
    expect(q.finish()).toBe('b');
    expect([q.depthTokens, q.numWaiting, q.busy]).toEqual([37, 1, true]); // b 30 runs, c 7 waits
    expect(q.finish()).toBe('c');
    expect(q.finish()).toBeUndefined();
    expect([q.depthTokens, q.numWaiting, q.busy, q.mustWait]).toEqual([0, 0, false, false]);
  });

  it('lets a waiter withdraw, and refuses to jump the line', () => {
    const q = new PrefillFifo<string>();
    q.start('a', 10);
    q.enqueue('b', 20);
    q.enqueue('c', 5);
    expect(q.withdraw('b')).toBe(true);
    expect(q.withdraw('b')).toBe(false);
    expect(q.depthTokens).toBe(15); // a 10 + c 5
    expect(() => q.start('d', 1)).toThrow('enqueue instead');
    expect(q.finish()).toBe('c');
  });
});
