import { describe, expect, it } from 'vitest';
import { awaitedPrefixBlocks, type PrefixWaitOutcome, PrefixWaitSet } from './prefix-waits.js';

describe('PrefixWaitSet', () => {
  it('settles a waiter once its blocks are all held, once', () => {
    const held = new Set<string>();
    const waits = new PrefixWaitSet(held);
    const outcomes: PrefixWaitOutcome[] = [];
    expect(waits.immediate(['b0', 'b1'], 'r1')).toBeUndefined();
    const w = waits.add(['b0', 'b1'], 'r1', (o) => outcomes.push(o));
    held.add('b0');
    waits.notify();
    expect(outcomes).toEqual([]);
    held.add('b1');
    waits.notify();
    w.settle('timeout'); // already settled: nothing
    expect(outcomes).toEqual(['held']);
    expect(waits.size).toBe(0);
  });

  it('answers at once when held or when the awaited request is done; requestDone ends only its waiters', () => {
    const held = new Set(['b0']);
    const waits = new PrefixWaitSet(held);
    expect(waits.immediate(['b0'], 'r1')).toBe('held');
    const outcomes: string[] = [];
    waits.add(['b0', 'b1'], 'r1', (o) => outcomes.push(`r1:${o}`));
    waits.add(['b0', 'b2'], 'r2', (o) => outcomes.push(`r2:${o}`));
    waits.requestDone('r1');
    expect(outcomes).toEqual(['r1:ended']);
    expect(waits.immediate(['b0', 'b1'], 'r1')).toBe('ended');
    held.add('b2');
    waits.requestDone('r2'); // held by then: 'held'
    expect(outcomes).toEqual(['r1:ended', 'r2:held']);
  });

  it('forgets done ids beyond 1,024', () => {
    const waits = new PrefixWaitSet(new Set());
    for (let i = 0; i <= 1024; i++) waits.requestDone(`r${i}`);
    expect(waits.immediate(['b'], 'r0')).toBeUndefined();
    expect(waits.immediate(['b'], 'r1')).toBe('ended');
  });
});

describe('awaitedPrefixBlocks', () => {
  it('is whole awaited blocks, within the reusable prefix and the prompt blocks', () => {
    expect(awaitedPrefixBlocks(130, 1000, 15, 64)).toBe(2);
    // P = 129: the last token is computed, ⌊128 / 64⌋ = 2 reusable.
    expect(awaitedPrefixBlocks(192, 129, 2, 64)).toBe(2);
    expect(awaitedPrefixBlocks(192, 128, 2, 64)).toBe(1);
    expect(awaitedPrefixBlocks(640, 1000, 3, 64)).toBe(3);
  });
});
