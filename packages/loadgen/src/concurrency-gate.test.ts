import { describe, expect, it } from 'vitest';
import { ConcurrencyGate } from './concurrency-gate.js';

describe('ConcurrencyGate', () => {
  it('grants up to the limit, then FIFO on release', async () => {
    const gate = new ConcurrencyGate(2);
    const signal = new AbortController().signal;
    const order: string[] = [];
    await gate.acquire(signal);
    await gate.acquire(signal);
    expect(gate.isFull()).toBe(true);
    const c = gate.acquire(signal).then(() => order.push('c'));
    const d = gate.acquire(signal).then(() => order.push('d'));
    expect(gate.numWaiting).toBe(2);
    gate.release();
    await c;
    expect(order).toEqual(['c']);
    expect(gate.numActive).toBe(2);
    gate.release();
    await d;
    expect(order).toEqual(['c', 'd']);
  });

  it('no limit never waits; abort rejects a waiter', async () => {
    const open = new ConcurrencyGate(null);
    const signal = new AbortController().signal;
    for (let i = 0; i < 100; i++) await open.acquire(signal);
    expect(open.isFull()).toBe(false);
    const gate = new ConcurrencyGate(1);
    const controller = new AbortController();
    await gate.acquire(controller.signal);
    const waiting = gate.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow('aborted');
    expect(gate.numWaiting).toBe(0);
  });

  it.each([0, 1.5, -1])('rejects limit %d', (limit) => {
    expect(() => new ConcurrencyGate(limit)).toThrow(/integer ≥ 1 or null/);
  });
});
