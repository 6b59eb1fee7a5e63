import { describe, expect, it } from 'vitest';
import { entry, victims } from './policy-test-helpers.js';
import { S3FifoPolicy, s3FifoPlugin } from './s3-fifo.js';

const DEFAULTS = { smallQueueRatio: 0.1, ghostQueueRatio: 0.9, moveToMainThreshold: 2, maxFrequency: 3 };

function make(capacityBytes = 10, params = DEFAULTS): S3FifoPolicy {
  return new S3FifoPolicy(params, { capacityBytes });
}

describe('S3FifoPolicy', () => {
  it('evicts one-hit wonders from the small FIFO first, in FIFO order, and remembers them in the ghost', () => {
    // Capacity 10 → small target 1 byte; 3 blocks in S ≥ 1 → evict from S.
    const p = make();
    for (const k of ['a', 'b', 'c']) p.insert(entry(k));
    expect(victims(p, 2)).toEqual(['a', 'b']);
    expect(p.queueOf('a')).toBe('ghost');
    expect(p.queueOf('c')).toBe('small');
  });

  it('moves a block hit twice in S to M instead of evicting it (threshold 2)', () => {
    const p = make();
    for (const k of ['a', 'b', 'c']) p.insert(entry(k));
    p.touch('a', 0);
    p.touch('a', 0); // a: frequency 2 ≥ threshold
    p.touch('b', 0); // b: frequency 1 < threshold
    // S head a → moved to M (frequency cleared); next head b → evicted.
    expect(victims(p, 1)).toEqual(['b']);
    expect(p.queueOf('a')).toBe('main');
  });

  it('inserts a ghost hit straight into M', () => {
    const p = make();
    p.insert(entry('a'));
    p.insert(entry('b'));
    expect(victims(p, 1)).toEqual(['a']);
    p.insert(entry('a'));
    expect(p.queueOf('a')).toBe('main');
  });

  it('gives M blocks a second chance per hit (2-bit clock, capped at 3)', () => {
    // Capacity 100 → small target 10 bytes; with S empty every eviction comes from M.
    const p = make(100);
    p.insert(entry('x'));
    p.insert(entry('y'));
    expect(victims(p, 2)).toEqual(['x', 'y']); // M empty → from S, into the ghost
    p.insert(entry('x')); // ghost hits → M
    p.insert(entry('y'));
    for (let i = 0; i < 5; i++) p.touch('x', 0); // x: frequency min(5, 3) = 3
    // M = [x(3), y(0)]: x reinserted with 2; y evicted. Then x alone: 2 → 1 → 0 → evicted.
    expect(victims(p, 3)).toEqual(['y', 'x', undefined]);
  });

  it('rotates pinned blocks without losing them and returns undefined when all are pinned', () => {
    const p = make();
    for (const k of ['a', 'b']) p.insert(entry(k));
    expect(victims(p, 1, ['a'])).toEqual(['b']);
    expect(victims(p, 1, ['a'])).toEqual([undefined]);
    expect(p.has('a')).toBe(true);
  });

  it('declares its parameters with the paper defaults', () => {
    expect(s3FifoPlugin.paramSchema.smallQueueRatio?.default).toBe(0.1);
    expect(s3FifoPlugin.paramSchema.moveToMainThreshold?.default).toBe(2);
  });
});
