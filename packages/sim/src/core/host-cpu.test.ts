import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';
import { fillLoads, HostCpu, type HostScheduling } from './host-cpu.js';

/**
 * Runs computations (start, work seconds, threads, thread name) on a host of `cores`; returns each one's
 * finish time.
 */
function finishes(
  cores: number,
  jobs: readonly (readonly [number, number, number, string?])[],
  scheduling: HostScheduling = 'shared',
): number[] {
  const queue = new EventQueue();
  const cpu = new HostCpu(queue, cores, scheduling);
  const out: number[] = jobs.map(() => Number.NaN);
  jobs.forEach(([start, seconds, threads, thread], i) => {
    queue.at(start, () =>
      cpu.run(
        seconds,
        threads,
        () => {
          out[i] = queue.nowSeconds;
        },
        'test',
        thread,
      ),
    );
  });
  queue.runUntil();
  expect(cpu.numRunning).toBe(0);
  return out;
}

describe("HostCpu, 'shared' (processor sharing over all cores)", () => {
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

  it('refuses a host without cores, an unknown scheduling and a step without threads', () => {
    expect(() => new HostCpu(new EventQueue(), 0)).toThrow(/host cores must be ≥ 1, got 0/);
    expect(() => new HostCpu(new EventQueue(), 2, 'fair' as HostScheduling)).toThrow(
      /host scheduling must be 'per-core' or 'shared', got "fair"/,
    );
    expect(() => new HostCpu(new EventQueue(), 2).run(0.01, 0, () => {})).toThrow(/threads must be ≥ 1, got 0/);
  });
});

describe("HostCpu, 'per-core' (a run queue per core, the default)", () => {
  it('is the default', () => {
    expect(new HostCpu(new EventQueue(), 2).scheduling).toBe('per-core');
  });

  it('refuses a fraction of a core (it has no run queue), which processor sharing takes', () => {
    expect(() => new HostCpu(new EventQueue(), 2.5)).toThrow(/whole number with per-core scheduling, got 2.5/);
    // 'shared': 2.5 cores for two 2-thread steps of 10 ms: rate 2.5 ÷ 4 = 0.625 → both end at 10 ÷ 0.625 = 16 ms.
    const [a, b] = finishes(2.5, [
      [0, 0.01, 2],
      [0, 0.01, 2],
    ]);
    expect(a).toBeCloseTo(0.016, 12);
    expect(b).toBeCloseTo(0.016, 12);
  });

  it('a thread placed beside another on one core halves both; the other core’s thread keeps its core whole', () => {
    // 2 cores, 1-thread computations. A (10 ms) at 0 → core 0; B (4 ms) at 0 → core 1 (the least loaded).
    // C (6 ms) at 1 ms: both cores hold 1 thread, C has no last core → the lowest, core 0, beside A: A and C
    // at 1 ÷ 2 = 0.5, B alone at 1 → B ends at 4 ms (processor sharing would give all three 2 ÷ 3 and end B
    // at 5.5 ms). At 4 ms A did 1 + 3 × 0.5 = 2.5 ms (7.5 left), C 3 × 0.5 = 1.5 (4.5 left); core 1 is empty
    // and core 0 holds 2: core 1 pulls the latest placed, C. Each alone: C ends at 4 + 4.5 = 8.5 ms, A at
    // 4 + 7.5 = 11.5 ms. (Without that pull: C at 4 + 9 = 13 ms, A at 13 + 3 = 16 ms.)
    const [a, b, c] = finishes(
      2,
      [
        [0, 0.01, 1],
        [0, 0.004, 1],
        [0.001, 0.006, 1],
      ],
      'per-core',
    );
    expect(b).toBeCloseTo(0.004, 12);
    expect(c).toBeCloseTo(0.0085, 12);
    expect(a).toBeCloseTo(0.0115, 12);
  });

  it('among equally loaded cores a thread goes back to the core it last ran on', () => {
    // B (20 ms, thread p1) at 0 → core 0; D1 (1 ms, thread d) at 0 → core 1, alone: ends 1 ms (d last ran
    // on core 1). A (20 ms, thread p0) at 1 ms → core 1 (empty). D2 (1 ms, thread d) at 2 ms: both cores
    // hold 1 thread → d's last core, core 1, beside A: D2 and A at 0.5 → D2 ends at 4 ms; A did 1 ms by
    // 2 ms and 1 more by 4 ms: 18 ms left alone → ends 22 ms. B on core 0 is never slowed: ends 20 ms.
    // (Placed on the lowest core instead, D2 would slow B: B at 21 ms, A at 21 ms.)
    const [b, d1, a, d2] = finishes(
      2,
      [
        [0, 0.02, 1, 'p1'],
        [0, 0.001, 1, 'd'],
        [0.001, 0.02, 1, 'p0'],
        [0.002, 0.001, 1, 'd'],
      ],
      'per-core',
    );
    expect(d1).toBeCloseTo(0.001, 12);
    expect(d2).toBeCloseTo(0.004, 12);
    expect(b).toBeCloseTo(0.02, 12);
    expect(a).toBeCloseTo(0.022, 12);
  });

  it('a computation of as many threads as cores runs on all of them, as fast as its slowest thread', () => {
    // The 'shared' case above, per core: A (10 ms, 2 threads) from 0 on both cores; B (10 ms, 2 threads)
    // joins at 5 ms: each core holds 2 threads, rate 0.5 for both → A ends 15 ms, B 20 ms (as when shared).
    const [a, b] = finishes(
      2,
      [
        [0, 0.01, 2],
        [0.005, 0.01, 2],
      ],
      'per-core',
    );
    expect(a).toBeCloseTo(0.015, 12);
    expect(b).toBeCloseTo(0.02, 12);
  });

  it('re-times on a background change and after an idle pull, losing no work', () => {
    // 2 cores. At 0: A, B, C (10 ms each, 1 thread) → cores 0, 1, 0 (C: both hold 1, the lowest): [2, 1], A and
    // C at 1/2, B at 1. At 4 ms 0.5 core of background joins core 1 (the least loaded): [2, 1.5], B at 2/3.
    // Done by then: A, C 2 ms (8 left), B 4 ms (6 left). B: 6 ÷ 2/3 = 9 ms → ends 13 ms; A, C did 9 × 1/2
    // more: 3.5 ms left each. Core 1 empties and pulls C: [1, 1] + 0.5 → 1.25 each, rate 0.8: A and C's
    // 3.5 ms take 4.375 → both end at 17.375 ms.
    const queue = new EventQueue();
    const cpu = new HostCpu(queue, 2);
    const ends: Record<string, number> = {};
    for (const name of ['A', 'B', 'C']) {
      queue.at(0, () => cpu.run(0.01, 1, () => (ends[name] = queue.nowSeconds), 'test', name));
    }
    queue.at(0.004, () => cpu.addBackground(0.5));
    queue.runUntil();
    expect(ends.B).toBeCloseTo(0.013, 12);
    expect(ends.A).toBeCloseTo(0.017375, 12);
    expect(ends.C).toBeCloseTo(0.017375, 12);
  });

  it('pours fractional background onto the least loaded cores first', () => {
    expect(fillLoads([1, 0], 0.5)).toEqual([1, 0.5]);
    expect(fillLoads([1, 1], 0.5)).toEqual([1.25, 1.25]);
    expect(fillLoads([2, 1], 0.5)).toEqual([2, 1.5]);
    // [2, 0] + 3: core 1 rises to 2 (2 used), the last 1 splits → [2.5, 2.5].
    expect(fillLoads([2, 0], 3)).toEqual([2.5, 2.5]);
    expect(fillLoads([1, 0], 0)).toEqual([1, 0]);
  });
});

describe('HostCpu, CPU and wall by tag (reports)', () => {
  it('two computations sharing one core: the 10-ms kernel over 14 ms of wall, the 4-ms item over 8', () => {
    // One core, per core: a 10-ms kernel at 0 and a 4-ms item at 0 share it at 1/2 each; the item ends at 8 ms,
    // the kernel has 6 ms left alone: ends at 14 ms. Work by tag 0.010 / 0.004, wall 0.014 / 0.008.
    const queue = new EventQueue();
    const cpu = new HostCpu(queue, 1, 'per-core');
    queue.at(0, () => cpu.run(0.01, 1, () => {}, 'kernel:prefill', 'p0'));
    queue.at(0, () => cpu.run(0.004, 1, () => {}, 'process:router', 'router'));
    queue.runUntil();
    expect(cpu.workSecondsByTag.get('kernel:prefill')).toBeCloseTo(0.01, 12);
    expect(cpu.wallSecondsByTag.get('kernel:prefill')).toBeCloseTo(0.014, 12);
    expect(cpu.workSecondsByTag.get('process:router')).toBeCloseTo(0.004, 12);
    expect(cpu.wallSecondsByTag.get('process:router')).toBeCloseTo(0.008, 12);
  });
});
