import { describe, expect, it } from 'vitest';
import { CpuMeter, type CpuUsageMicros } from './cpu-meter.js';

describe('CpuMeter', () => {
  it('charges the CPU and wall since the previous mark to the part named, user and system apart', () => {
    let cpu: CpuUsageMicros = { user: 1_000, system: 500 };
    let now = 10;
    const got: [string, number, number, number][] = [];
    const meter = new CpuMeter<'step' | 'turn'>(
      (part, u, s, w) => got.push([part, u, s, w]),
      () => cpu,
      () => now,
    );
    // 3 ms of user and 1 ms of system CPU over 5 ms of wall since construction → the step.
    cpu = { user: 4_000, system: 1_500 };
    now = 10.005;
    meter.mark('step');
    // Then 0.5 ms user, 0 system over 20 ms of wall (mostly waiting) → the turn.
    cpu = { user: 4_500, system: 1_500 };
    now = 10.025;
    meter.mark('turn');
    expect(got.map(([p]) => p)).toEqual(['step', 'turn']);
    expect(got[0]?.[1]).toBeCloseTo(0.003, 12);
    expect(got[0]?.[2]).toBeCloseTo(0.001, 12);
    expect(got[0]?.[3]).toBeCloseTo(0.005, 12);
    expect(got[1]?.[1]).toBeCloseTo(0.0005, 12);
    expect(got[1]?.[2]).toBe(0);
    expect(got[1]?.[3]).toBeCloseTo(0.02, 12);
  });
});
