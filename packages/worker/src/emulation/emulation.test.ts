import { emulationTarget } from '@oicf/core';
import { FakeClock } from '@oicf/transport';
import { describe, expect, it } from 'vitest';
import { paceSeconds } from './pace-seconds.js';
import { type PaceEvent, Pacer } from './pacer.js';

describe('pacing maths: sleep predicted − measured, never negative', () => {
  it.each([
    [0.01, 0.004, 0.006],
    [0.004, 0.01, 0],
    [0.02, 0.02, 0],
    [0, 0.001, 0],
  ])('predicted %f, measured %f → sleep %f', (predicted, measured, sleep) => {
    expect(paceSeconds(predicted, measured)).toBeCloseTo(sleep, 12);
  });

  it('the pacer sleeps the difference on its clock and reports it', async () => {
    const clock = new FakeClock();
    const events: PaceEvent[] = [];
    const pacer = new Pacer(emulationTarget('llama-3.1-70b@h100', 'rdma-400g'), clock, (e) => events.push(e));
    const done = pacer.afterStep({ stepSeconds: 0.01, regime: 'bandwidth-bound', intensityFlopsPerByte: 1 }, 0.004);
    await clock.advance(0.0059);
    expect(clock.numSleepers()).toBe(1); // still sleeping at 5.9 ms of 6 ms
    await clock.advance(0.0001);
    expect(await done).toBeCloseTo(0.01, 12);
    expect(events).toEqual([{ kind: 'step', sleepSeconds: expect.closeTo(0.006, 12) }]);
    // A step slower than predicted is not slowed further.
    expect(
      await pacer.afterStep({ stepSeconds: 0.001, regime: 'bandwidth-bound', intensityFlopsPerByte: 1 }, 0.003),
    ).toBe(0.003);
    expect(events).toHaveLength(1);
  });

  it('without a target nothing is paced', async () => {
    const pacer = new Pacer(undefined, new FakeClock());
    expect(pacer.predict({ phase: 'decode', contextTokens: [10] })).toBeUndefined();
    expect(await pacer.afterTransfer(1000, 0.001)).toBe(0.001);
  });
});
