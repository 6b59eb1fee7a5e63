import type { HostSample } from '@oicf/sim';
import { describe, expect, it } from 'vitest';
import { otherCoresDuring } from './sim-fidelity-machine.js';

const sample = (atSeconds: number, cpu: Record<string, number>): HostSample => ({
  atSeconds,
  processes: Object.fromEntries(
    Object.entries(cpu).map(([name, cpuSeconds]) => [name, { cpuSeconds, mainThreadSeconds: 0, counters: {} }]),
  ),
});

describe('the other tasks’ cores during a run', () => {
  it('is the host cgroup’s CPU less every sampled process’s, over the wall time', () => {
    // 10 s of wall; the cgroup used 15 CPU-s; our processes 4 + 8 = 12: the others 3 CPU-s ÷ 10 s = 0.3 cores.
    const samples = [sample(0, { router: 1, decode: 2 }), sample(10, { router: 5, decode: 10 })];
    expect(otherCoresDuring({ startNanos: 0, endNanos: 15e9, wallSeconds: 10 }, samples)).toBeCloseTo(0.3, 12);
  });

  it('takes a process’s last readable figure when a /proc read failed (NaN), and is null without the cgroup', () => {
    // decode's last sample is NaN: its figure at 5 s (6) counts, 4 CPU-s; router 4: others (15 − 8) ÷ 10 = 0.7.
    const samples = [
      sample(0, { router: 1, decode: 2 }),
      sample(5, { router: 3, decode: 6 }),
      sample(10, { router: 5, decode: Number.NaN }),
    ];
    expect(otherCoresDuring({ startNanos: 0, endNanos: 15e9, wallSeconds: 10 }, samples)).toBeCloseTo(0.7, 12);
    expect(otherCoresDuring({ startNanos: undefined, endNanos: 15e9, wallSeconds: 10 }, samples)).toBeNull();
  });
});
