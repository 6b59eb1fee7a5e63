import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';
import { HostCpu } from './host-cpu.js';
import { ProcessCpu } from './process-cpu.js';

describe('ProcessCpu (one main thread on the shared host)', () => {
  it('serves its own work one item at a time, in order, and shares the cores with other processes', () => {
    const queue = new EventQueue();
    const host = new HostCpu(queue, 1);
    const a = new ProcessCpu(host, 'a');
    const b = new ProcessCpu(host, 'b');
    const done: [string, number][] = [];
    const mark = (name: string) => () => done.push([name, queue.nowSeconds]);
    queue.at(0, () => {
      a.serve(0.01, mark('a1'));
      a.serve(0.01, mark('a2'));
      b.serve(0.01, mark('b1'));
    });
    queue.runUntil();
    // a1 and b1 run together on 1 core at rate 0.5: both end at 20 ms; a2 waited for a1 (its own thread),
    // then runs alone: 30 ms.
    expect(done.map(([n]) => n)).toEqual(['a1', 'b1', 'a2']);
    expect(done.map(([, t]) => Number(t.toFixed(12)))).toEqual([0.02, 0.02, 0.03]);
    expect(a.chargedSeconds).toBeCloseTo(0.02, 12);
    expect(host.workSecondsByTag.get('process:a')).toBeCloseTo(0.02, 12);
  });

  it('zero work completes at once when idle, and keeps its place behind queued work', () => {
    const queue = new EventQueue();
    const p = new ProcessCpu(new HostCpu(queue, 2), 'p');
    const order: string[] = [];
    p.serve(0, () => order.push('idle zero'));
    expect(order).toEqual(['idle zero']);
    queue.at(0, () => {
      p.serve(0.005, () => order.push('work'));
      p.serve(0, () => order.push(`zero behind at ${queue.nowSeconds}`));
    });
    queue.runUntil();
    expect(order).toEqual(['idle zero', 'work', 'zero behind at 0.005']);
  });

  it('refuses negative work, naming the process', () => {
    const p = new ProcessCpu(new HostCpu(new EventQueue(), 1), 'router');
    expect(() => p.serve(-1, () => {})).toThrow(/router: work seconds must be ≥ 0/);
  });
});

describe('HostCpu background demand (idle processes)', () => {
  it('slows computations only once the demand exceeds the cores', () => {
    const run = (cores: number, background: number) => {
      const queue = new EventQueue();
      const host = new HostCpu(queue, cores);
      host.addBackground(background);
      let end = Number.NaN;
      queue.at(0, () => host.run(0.01, 1, () => (end = queue.nowSeconds)));
      queue.runUntil();
      return end;
    };
    // 1 core, 0.25 background: demand 1.25, rate 1 ÷ 1.25 = 0.8 → 10 ms of work ends at 12.5 ms.
    expect(run(1, 0.25)).toBeCloseTo(0.0125, 12);
    // 2 cores, 0.5 background: demand 1.5 ≤ 2 → rate 1, 10 ms.
    expect(run(2, 0.5)).toBeCloseTo(0.01, 12);
  });
});
