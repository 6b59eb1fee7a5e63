import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';

describe('EventQueue', () => {
  it('runs events in time order, equal times in scheduling order, and stands at each event’s time', () => {
    const q = new EventQueue();
    const seen: string[] = [];
    const note = (name: string) => () => seen.push(`${name}@${q.nowSeconds}`);
    q.at(2, note('c'));
    q.at(1, note('a'));
    q.at(1, note('b'));
    q.at(0.5, () => {
      seen.push(`x@${q.nowSeconds}`);
      q.after(0.5, note('y')); // at 1, after a and b (scheduled later)
      q.at(0, note('past')); // the past runs now, after what is queued for now
    });
    q.runUntil();
    expect(seen).toEqual(['x@0.5', 'past@0.5', 'a@1', 'b@1', 'y@1', 'c@2']);
    expect(q.numProcessed).toBe(6);
  });

  it('stops before events later than the limit and keeps them', () => {
    const q = new EventQueue();
    const seen: number[] = [];
    for (const t of [3, 1, 2]) q.at(t, () => seen.push(t));
    q.runUntil(2);
    expect(seen).toEqual([1, 2]);
    expect(q.peekSeconds()).toBe(3);
  });

  it('keeps a heap order over many random events', () => {
    const q = new EventQueue();
    const seen: number[] = [];
    let x = 7;
    for (let i = 0; i < 2000; i++) {
      x = (x * 48271) % 2147483647;
      const t = x % 1000;
      q.at(t, () => seen.push(t));
    }
    q.runUntil();
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});

describe('EventQueue growth', () => {
  it('keeps equal-time events in scheduling order across growth past its first 1,024 slots', () => {
    const q = new EventQueue();
    const seen: number[] = [];
    // 3,000 events at one time: the queue doubles twice (1,024 → 2,048 → 4,096); ties run by scheduling order.
    for (let i = 0; i < 3000; i++) q.at(5, () => seen.push(i));
    expect(q.size).toBe(3000);
    q.runUntil();
    expect(seen).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(q.size).toBe(0);
    expect(q.peekSeconds()).toBeUndefined();
  });

  it('interleaves pops and pushes around the growth point in time order', () => {
    const q = new EventQueue();
    const seen: number[] = [];
    // 1,500 events at t = 1..1500 (reversed), then each run schedules one at t + 1000: the first 500 runs add
    // t = 1001..1500 beside the queued 501..1500, so times 1001..1500 run twice (queued, then added), in that order.
    for (let t = 1500; t >= 1; t--) {
      q.at(t, () => {
        seen.push(t);
        if (t <= 500) q.at(t + 1000, () => seen.push(-(t + 1000)));
      });
    }
    q.runUntil();
    const expected: number[] = [];
    for (let t = 1; t <= 1000; t++) expected.push(t);
    for (let t = 1001; t <= 1500; t++) expected.push(t, -t);
    expect(seen).toEqual(expected);
  });
});
