import { describe, expect, it } from 'vitest';
import { sortByOrderInPlace } from './sort-by-order.js';

const orders = (xs: { order: number }[]) => xs.map((x) => x.order);

describe('sortByOrderInPlace', () => {
  it('sorts ascending by order, in the same array', () => {
    const xs = [{ order: 3 }, { order: 1 }, { order: 2 }, { order: 0 }];
    const same = xs;
    sortByOrderInPlace(xs);
    expect(xs).toBe(same);
    expect(orders(xs)).toEqual([0, 1, 2, 3]);
  });

  it('leaves a sorted list, an empty list and a single item as they are', () => {
    const sorted = [{ order: 1 }, { order: 5 }, { order: 9 }];
    const before = [...sorted];
    sortByOrderInPlace(sorted);
    expect(sorted).toEqual(before);
    expect(sorted[0]).toBe(before[0]);
    const empty: { order: number }[] = [];
    sortByOrderInPlace(empty);
    expect(empty).toEqual([]);
    const one = [{ order: 7 }];
    sortByOrderInPlace(one);
    expect(orders(one)).toEqual([7]);
  });

  it('moves a late re-admitted item (lower order at the end) to its place, as Array.sort would', () => {
    // A preempted request re-admitted after newer ones: its tokens come last, its add order is lowest.
    const xs = [
      { order: 4, id: 'b' },
      { order: 6, id: 'c' },
      { order: 2, id: 'a' },
    ];
    sortByOrderInPlace(xs);
    expect(xs.map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });

  it('keeps equal orders in their input order (stable)', () => {
    const xs = [
      { order: 1, id: 'x' },
      { order: 0, id: 'y' },
      { order: 1, id: 'z' },
    ];
    sortByOrderInPlace(xs);
    expect(xs.map((x) => x.id)).toEqual(['y', 'x', 'z']);
  });

  it('sorts only the first `count` items and leaves the rest where they are', () => {
    const xs = [{ order: 2 }, { order: 1 }, { order: 0 }, { order: -1 }];
    sortByOrderInPlace(xs, 3);
    expect(orders(xs)).toEqual([0, 1, 2, -1]);
  });
});
