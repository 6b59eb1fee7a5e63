import { describe, expect, it } from 'vitest';
import { splitDecodeRequestCpu } from './decode-split.js';

describe('the per-request decode CPU split by where it runs', () => {
  it('keeps the measured call and finish work per request and charges the rest per loop turn', () => {
    // Regressed 39 ms a request; measured 0.4 ms a call + 4.3 ms a finish = 4.7 ms on the path. The rest, 34.3 ms
    // × 300 requests = 10.29 s, over 4,000 loop turns: 2.5725 ms a turn.
    const s = splitDecodeRequestCpu({
      secondsPerRequest: 0.039,
      measuredSecondsPerRequest: 0.0047,
      numRequests: 300,
      numSteps: 4000,
    });
    expect(s.secondsPerRequest).toBeCloseTo(0.0047, 12);
    expect(s.turnSecondsPerStep).toBeCloseTo(0.0025725, 12);
    // The CPU total is the regression's: 4.7 ms × 300 + 2.5725 ms × 4,000 = 1.41 + 10.29 = 11.7 s = 39 ms × 300.
    expect(s.secondsPerRequest * 300 + s.turnSecondsPerStep * 4000).toBeCloseTo(0.039 * 300, 9);
  });

  it('never charges more on the path than the regression had, and changes nothing without turns to spread over', () => {
    const base = { secondsPerRequest: 0.003, numRequests: 300, numSteps: 4000 };
    // Measured 5 ms > the regressed 3 ms: 3 ms stays on the path, nothing per turn.
    expect(splitDecodeRequestCpu({ ...base, measuredSecondsPerRequest: 0.005 })).toEqual({
      secondsPerRequest: 0.003,
      turnSecondsPerStep: 0,
    });
    // No loop turns, or no requests: the column stays whole before the gather (main's fit).
    expect(splitDecodeRequestCpu({ ...base, measuredSecondsPerRequest: 0.001, numSteps: 0 })).toEqual({
      secondsPerRequest: 0.003,
      turnSecondsPerStep: 0,
    });
    expect(splitDecodeRequestCpu({ ...base, measuredSecondsPerRequest: 0.001, numRequests: 0 })).toEqual({
      secondsPerRequest: 0.003,
      turnSecondsPerStep: 0,
    });
  });
});
