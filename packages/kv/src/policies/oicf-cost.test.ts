import { describe, expect, it } from 'vitest';
import { defaultRecomputeSecondsForBlock, type OicfCostParams, OicfCostPolicy } from './oicf-cost.js';
import { entry, victims } from './policy-test-helpers.js';

const params = (over: Partial<OicfCostParams> = {}): OicfCostParams => ({
  initialReuse: 1,
  maxReuse: Number.POSITIVE_INFINITY,
  recomputeSecondsForBlock: defaultRecomputeSecondsForBlock,
  ...over,
});

describe('OicfCostPolicy', () => {
  it('evicts the block that saves the least recompute per byte', () => {
    // Unrelated blocks (no parents) at positions 0, 10, 50, each used once:
    // value = 1 × (1 + (p + 0.5)/64) → 1.0078, 1.1641, 1.7891 → p0 goes first.
    const p = new OicfCostPolicy(params());
    p.insert(entry('p0', 0));
    p.insert(entry('p10', 10));
    p.insert(entry('p50', 50));
    expect(victims(p, 1)).toEqual(['p0']);
  });

  it('weighs reuse: a block hit once more is worth twice as much', () => {
    // p0 touched → 2 × 1.0078 = 2.0156 > p50's 1.7891 > p10's 1.1641.
    const p = new OicfCostPolicy(params());
    p.insert(entry('p0', 0));
    p.insert(entry('p10', 10));
    p.insert(entry('p50', 50));
    p.touch('p0', 0);
    expect(victims(p, 3)).toEqual(['p10', 'p50', 'p0']);
  });

  it('weighs bytes: twice the bytes at equal recompute halves the value', () => {
    const p = new OicfCostPolicy(params({ recomputeSecondsForBlock: () => 1 }));
    p.insert(entry('small', 0, undefined, 100));
    p.insert(entry('big', 0, undefined, 200));
    expect(victims(p, 1)).toEqual(['big']);
  });

  it('evicts leaves before their parents even when the parent is worth less', () => {
    // Chain a ← b ← c at positions 0, 1, 2: a has the lowest value, but only c is a leaf.
    const p = new OicfCostPolicy(params());
    p.insert(entry('a', 0));
    p.insert(entry('b', 1, 'a'));
    p.insert(entry('c', 2, 'b'));
    expect(victims(p, 4)).toEqual(['c', 'b', 'a', undefined]);
  });

  it('falls back to a non-leaf when every leaf is pinned', () => {
    const p = new OicfCostPolicy(params());
    p.insert(entry('a', 0));
    p.insert(entry('b', 1, 'a'));
    expect(victims(p, 1, ['b'])).toEqual(['a']);
  });

  it('ages blocks out: after an eviction, new blocks start at the victim priority (GDSF inflation)', () => {
    const p = new OicfCostPolicy(params({ recomputeSecondsForBlock: () => 2 }));
    p.insert(entry('x', 0));
    p.touch('x', 0);
    p.touch('x', 0); // x: priority 0 + 3 × 2 = 6
    p.insert(entry('y', 0)); // y: 0 + 1 × 2 = 2
    expect(victims(p, 1)).toEqual(['y']); // L ← 2
    p.insert(entry('z', 0)); // z: 2 + 2 = 4
    expect(p.priorityOf('z')).toBe(4);
    expect(p.priorityOf('x')).toBe(6);
  });

  it.each([
    // recompute 10 ms; 1 MB over 1 GB/s = 1 ms < 10 ms → demote; over 10 MB/s = 100 ms → drop.
    [1e9, 0, true],
    [1e7, 0, false],
    // latency alone can make it not worth it: 20 ms > 10 ms.
    [1e12, 0.02, false],
  ])('demotes only when fetching from the lower tier (%d B/s, %d s) beats recomputing', (bw, latency, demote) => {
    const p = new OicfCostPolicy(params({ recomputeSecondsForBlock: () => 0.01 }));
    p.insert(entry('a', 0, undefined, 1e6));
    const lower = { name: 'lower', capacityBytes: 1e12, bandwidthBytesPerSecond: bw, latencySeconds: latency };
    expect(p.victim(() => true, 0, lower)?.demote).toBe(demote);
  });

  it('caps the use count at maxReuse', () => {
    const p = new OicfCostPolicy(params({ maxReuse: 2, recomputeSecondsForBlock: () => 1 }));
    p.insert(entry('a', 0));
    for (let i = 0; i < 10; i++) p.touch('a', 0);
    expect(p.priorityOf('a')).toBe(2);
  });
});
