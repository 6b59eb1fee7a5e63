import { describe, expect, it } from 'vitest';
import { ZERO_HOST_COST } from './host-cost.js';
import { loopPaceCost, withLoopPace } from './loop-pace.js';

describe('the decode loop’s measured pace work (host-cost loopPace)', () => {
  it('is the measured CPU per step, and comes off the regressed per-step CPU', () => {
    // 2.5 s of CPU over 5,000 steps: 0.5 ms a step.
    const pace = loopPaceCost({ cpuSeconds: 2.5, count: 5000 });
    expect(pace?.secondsPerStep).toBeCloseTo(0.0005, 12);
    // A regressed 1.2 ms a step keeps 1.2 − 0.5 = 0.7 ms inside the step; the rest of the cost is untouched.
    const d = withLoopPace(
      { ...ZERO_HOST_COST.decode, secondsPerStep: 0.0012, secondsPerSequenceStep: 0.001 },
      {
        secondsPerStep: 0.0005,
      },
    );
    expect(d.secondsPerStep).toBeCloseTo(0.0007, 12);
    expect(d.secondsPerSequenceStep).toBe(0.001);
    expect(d.loopPace?.secondsPerStep).toBe(0.0005);
    // More measured than the regression had: the inside share floors at 0.
    expect(
      withLoopPace({ ...ZERO_HOST_COST.decode, secondsPerStep: 0.0002 }, { secondsPerStep: 0.0005 }).secondsPerStep,
    ).toBe(0);
  });

  it('is undefined when the fitting run counted no step', () => {
    expect(loopPaceCost({ cpuSeconds: 0, count: 0 })).toBeUndefined();
  });
});
