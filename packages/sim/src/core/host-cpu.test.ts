import { describe, expect, it } from 'vitest';
import { HostCpu } from './host-cpu.js';

describe('HostCpu', () => {
  it('stretches a computation by the computations in progress over the cores, once they outnumber them', () => {
    const cpu = new HostCpu(2);
    expect(cpu.run(0, 1)).toBe(1); // alone: [0, 1)
    expect(cpu.run(0.5, 1)).toBe(1); // two on two cores: [0.5, 1.5)
    // A third at 0.6: three computations on two cores → 1 × 3 / 2 = 1.5 s.
    expect(cpu.run(0.6, 1)).toBe(1.5);
    // At 1.2 the first has ended: two in progress (0.5→1.5, 0.6→2.1) + this one: 0.2 × 3/2 = 0.3.
    expect(cpu.run(1.2, 0.2)).toBeCloseTo(0.3, 12);
    // At 3 all have ended.
    expect(cpu.run(3, 1)).toBe(1);
    expect(cpu.numStretched).toBe(2);
    expect(cpu.addedSeconds).toBeCloseTo(0.6, 12);
  });
});
