import { describe, expect, it } from 'vitest';
import { PrefillQueue } from './prefill-queue.js';

function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

describe('PrefillQueue', () => {
  it('runs one prefill at a time in arrival order and reports the depth in tokens', async () => {
    const q = new PrefillQueue();
    const order: string[] = [];
    const g1 = gate();
    const a = q.run(100, undefined, async () => {
      order.push('a');
      await g1.opened;
    });
    const b = q.run(30, undefined, async () => {
      order.push('b');
    });
    const c = q.run(7, undefined, async () => {
      order.push('c');
    });
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['a']);
    expect([q.depthTokens, q.numWaiting, q.busy]).toEqual([137, 2, true]);
    q.setRunningTokens(40);
    expect(q.depthTokens).toBe(77);
    g1.open();
    await Promise.all([a, b, c]);
    expect(order).toEqual(['a', 'b', 'c']);
    expect([q.depthTokens, q.numWaiting, q.busy]).toEqual([0, 0, false]);
  });

  it('a cancelled waiter leaves the queue with CANCELLED; a failing run frees the slot', async () => {
    const q = new PrefillQueue();
    const g = gate();
    const a = q.run(10, undefined, () => g.opened.then(() => Promise.reject(new Error('boom'))));
    const abort = new AbortController();
    const b = q.run(20, abort.signal, async () => 'b');
    const c = q.run(5, undefined, async () => 'c');
    abort.abort();
    await expect(b).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(q.depthTokens).toBe(15);
    g.open();
    await expect(a).rejects.toThrow('boom');
    expect(await c).toBe('c');
  });
});
