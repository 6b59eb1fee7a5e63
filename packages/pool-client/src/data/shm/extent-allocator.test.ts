import { describe, expect, it } from 'vitest';
import { ExtentAllocator } from './extent-allocator.js';

const PAGE = 4096;

describe('ExtentAllocator', () => {
  it('rounds to pages, takes the lowest fit, and coalesces frees on both sides', () => {
    // 16 pages from offset 4096 (the segment header's page).
    const a = new ExtentAllocator(PAGE, 16 * PAGE);
    const x = a.allocate(1); // 1 byte → one page at the base
    const y = a.allocate(2 * PAGE + 1); // → 3 pages right after
    const z = a.allocate(PAGE); // → 1 page after y
    expect([x, y, z]).toEqual([
      { offset: PAGE, length: PAGE },
      { offset: 2 * PAGE, length: 3 * PAGE },
      { offset: 5 * PAGE, length: PAGE },
    ]);
    expect(a.usedBytes).toBe(5 * PAGE);
    a.release(x as never);
    a.release(z as never);
    // Free: [4096, 8192) and [20480, 4096 + 16·4096 = 69632): two extents.
    expect(a.numFreeExtents).toBe(2);
    // A 2-page request skips the 1-page hole and lands after y (first fit that is large enough).
    expect(a.allocate(2 * PAGE)).toEqual({ offset: 5 * PAGE, length: 2 * PAGE });
    a.release({ offset: 5 * PAGE, length: 2 * PAGE });
    a.release(y as never); // joins the hole before it and the free tail after it: one extent again
    expect(a.numFreeExtents).toBe(1);
    expect(a.usedBytes).toBe(0);
    expect(a.allocate(16 * PAGE)).toEqual({ offset: PAGE, length: 16 * PAGE });
  });

  it('returns undefined when nothing fits, and refuses a double free', () => {
    const a = new ExtentAllocator(0, 4 * PAGE);
    const all = a.allocate(4 * PAGE);
    expect(a.allocate(1)).toBeUndefined();
    a.release(all as never);
    expect(() => a.release(all as never)).toThrow(/freed twice/);
  });

  it('keeps used + free = capacity through a random workload (no leak, no overlap)', () => {
    const capacity = 256 * PAGE;
    const a = new ExtentAllocator(PAGE, capacity);
    const live: { offset: number; length: number }[] = [];
    let x = 12345;
    const rand = (n: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    for (let step = 0; step < 5000; step++) {
      if (live.length > 0 && rand(2) === 0) a.release(live.splice(rand(live.length), 1)[0] as never);
      else {
        const e = a.allocate(1 + rand(8 * PAGE));
        if (e !== undefined) live.push(e);
      }
      if (step % 100 !== 0) continue;
      const sorted = [...live].sort((p, q) => p.offset - q.offset);
      for (let i = 1; i < sorted.length; i++) {
        const prev = sorted[i - 1] as { offset: number; length: number };
        expect(prev.offset + prev.length).toBeLessThanOrEqual((sorted[i] as { offset: number }).offset);
      }
      expect(a.usedBytes).toBe(live.reduce((s, e) => s + e.length, 0));
    }
    for (const e of live.splice(0)) a.release(e);
    expect([a.usedBytes, a.numFreeExtents]).toEqual([0, 1]);
  });
});
