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

describe('EventQueue bad times and limits', () => {
  it('refuses a NaN time with an error naming it, and keeps what is queued in order', () => {
    const q = new EventQueue();
    const seen: number[] = [];
    q.at(2, () => seen.push(2));
    q.at(1, () => seen.push(1));
    expect(() => q.at(Number.NaN, () => seen.push(-1))).toThrow(/EventQueue\.at: .*NaN/);
    expect(() => q.after(Number.NaN, () => seen.push(-2))).toThrow(/NaN/);
    expect(q.size).toBe(2);
    q.runUntil();
    expect(seen).toEqual([1, 2]);
  });

  it('runs a negative or −∞ time now, after what is already queued for now (the past runs now)', () => {
    const q = new EventQueue();
    const seen: string[] = [];
    q.at(1, () => {
      q.at(1, () => seen.push('queued for now'));
      q.at(-5, () => seen.push(`-5 at ${q.nowSeconds}`));
      q.at(Number.NEGATIVE_INFINITY, () => seen.push(`-inf at ${q.nowSeconds}`));
      q.after(-3, () => seen.push(`after -3 at ${q.nowSeconds}`));
    });
    q.at(2, () => seen.push('later'));
    q.runUntil();
    expect(seen).toEqual(['queued for now', '-5 at 1', '-inf at 1', 'after -3 at 1', 'later']);
  });

  it('refuses an event past its capacity limit with a clear error, and keeps the queue whole', () => {
    // A limit of 2,048: the arrays grow once (1,024 → 2,048); the 2,049th event has no room.
    const q = new EventQueue({ maxQueued: 2048 });
    const seen: number[] = [];
    for (let i = 0; i < 2048; i++) q.at(2048 - i, () => seen.push(2048 - i));
    expect(() => q.at(0, () => seen.push(0))).toThrow(/EventQueue: more than 2048 events queued at once/);
    expect(q.size).toBe(2048);
    q.runUntil();
    expect(seen).toEqual(Array.from({ length: 2048 }, (_, i) => i + 1));
  });

  it('by default allows at most 2^31 events at once (its heap index arithmetic is 32-bit)', () => {
    expect(EventQueue.MAX_QUEUED).toBe(2 ** 31);
    expect(() => new EventQueue({ maxQueued: 2 ** 31 + 1 })).toThrow(
      /maxQueued must be an integer in \[1, 2147483648\]/,
    );
  });
});
