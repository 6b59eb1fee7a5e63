import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';
import { HostCpu } from './host-cpu.js';

/** Runs computations (start, work seconds, threads) on a host of `cores`; returns each one's finish time. */
function finishes(cores: number, jobs: readonly (readonly [number, number, number])[]): number[] {
  const queue = new EventQueue();
  const cpu = new HostCpu(queue, cores);
  const out: number[] = jobs.map(() => Number.NaN);
  jobs.forEach(([start, seconds, threads], i) => {
    queue.at(start, () =>
      cpu.run(seconds, threads, () => {
        out[i] = queue.nowSeconds;
      }),
    );
  });
  queue.runUntil();
  expect(cpu.numRunning).toBe(0);
  return out;
}

describe('HostCpu (processor sharing)', () => {
  it('two 2-thread steps of 10 ms starting together on 2 cores each run at rate 2 ÷ 4 = 0.5: both end at 20 ms', () => {
    const [a, b] = finishes(2, [
      [0, 0.01, 2],
      [0, 0.01, 2],
    ]);
    expect(a).toBeCloseTo(0.02, 12);
    expect(b).toBeCloseTo(0.02, 12);
  });

  it('re-times a running step when another joins it halfway, and again when that one is alone', () => {
    // A: 10 ms of work from 0, alone (2 threads on 2 cores: rate 1) until B (10 ms, 2 threads) joins at 5 ms,
    // when A has 5 ms left. Both at rate 0.5: A's 5 ms take 10 ms → A ends at 15 ms; B did 10 × 0.5 = 5 ms
    // of its 10 by then. Alone again at rate 1: B's last 5 ms end at 20 ms.
    const [a, b] = finishes(2, [
      [0, 0.01, 2],
      [0.005, 0.01, 2],
    ]);
    expect(a).toBeCloseTo(0.015, 12);
    expect(b).toBeCloseTo(0.02, 12);
  });

  it('does not slow steps whose threads fit the cores', () => {
    // Two 1-thread steps on 2 cores: demand 2 ≤ 2, rate 1 each; a third (1 thread) joins at 2 ms: demand 3,
    // rate 2/3. A (4 ms from 0) has 2 ms left at 2 ms → 2 ÷ (2/3) = 3 ms → ends at 5 ms; B (6 ms from 0) has
    // 4 ms left at 2 ms, does 2 by 5 ms, then 2 ms at rate 1 (demand 2) → ends at 7 ms; C (3 ms from 2 ms)
    // does 2 by 5 ms, then 1 ms at rate 1 → ends at 6 ms.
    const [a, b, c] = finishes(2, [
      [0, 0.004, 1],
      [0, 0.006, 1],
      [0.002, 0.003, 1],
    ]);
    expect(a).toBeCloseTo(0.005, 12);
    expect(b).toBeCloseTo(0.007, 12);
    expect(c).toBeCloseTo(0.006, 12);
  });

  it('a step alone takes its own time, and counts no stretch', () => {
    const queue = new EventQueue();
    const cpu = new HostCpu(queue, 2);
    let end = Number.NaN;
    queue.at(1, () => cpu.run(0.25, 2, () => (end = queue.nowSeconds)));
    queue.runUntil();
    expect(end).toBe(1.25);
    expect(cpu.numStretched).toBe(0);
  });

  it('counts the stretched steps and the seconds added', () => {
    // The halfway case above: A took 15 ms for 10 (+5), B 15 ms for 10 (+5).
    const queue = new EventQueue();
    const cpu = new HostCpu(queue, 2);
    queue.at(0, () => cpu.run(0.01, 2, () => {}));
    queue.at(0.005, () => cpu.run(0.01, 2, () => {}));
    queue.runUntil();
    expect(cpu.numStretched).toBe(2);
    expect(cpu.addedSeconds).toBeCloseTo(0.01, 12);
  });

  it('refuses a host without cores and a step without threads', () => {
    expect(() => new HostCpu(new EventQueue(), 0)).toThrow(/host cores must be ≥ 1, got 0/);
    expect(() => new HostCpu(new EventQueue(), 2).run(0.01, 0, () => {})).toThrow(/threads must be ≥ 1, got 0/);
  });
});
