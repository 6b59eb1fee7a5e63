import { emulationTarget } from '@oicf/core';
import { FakeClock } from '@oicf/transport';
import { describe, expect, it } from 'vitest';
import { type PacedStep, Pacer } from './pacer.js';

describe('Pacer: every paced step reported by phase, underruns named', () => {
  it('a step faster than the target sleeps the rest; one slower is an underrun with no sleep', async () => {
    const clock = new FakeClock();
    const steps: PacedStep[] = [];
    const pacer = new Pacer(
      emulationTarget('llama-3.1-70b@h100', 'rdma-400g'),
      clock,
      () => {},
      (s) => steps.push(s),
    );
    const prefill = pacer.predict({ phase: 'prefill', numNewTokens: 1000, cachedTokens: 0 });
    const decode = pacer.predict({ phase: 'decode', contextTokens: [3000] });
    if (prefill === undefined || decode === undefined) throw new Error('emulating: predictions expected');
    // The prefill ran in a tenth of the target's time: it sleeps the other nine tenths.
    const paced = pacer.afterStep(prefill, prefill.stepSeconds / 10);
    await clock.advance(prefill.stepSeconds);
    expect(await paced).toBeCloseTo(prefill.stepSeconds, 12);
    // The decode step took twice the target's time: an underrun, returned as measured.
    expect(await pacer.afterStep(decode, decode.stepSeconds * 2)).toBe(decode.stepSeconds * 2);
    expect(steps).toEqual([
      {
        phase: 'prefill',
        targetSeconds: prefill.stepSeconds,
        measuredSeconds: prefill.stepSeconds / 10,
        sleepSeconds: expect.closeTo(prefill.stepSeconds * 0.9, 12),
        underrun: false,
      },
      {
        phase: 'decode',
        targetSeconds: decode.stepSeconds,
        measuredSeconds: decode.stepSeconds * 2,
        sleepSeconds: 0,
        underrun: true,
      },
    ]);
  });

  it('reports nothing without a target', async () => {
    const steps: PacedStep[] = [];
    const pacer = new Pacer(
      undefined,
      new FakeClock(),
      () => {},
      (s) => steps.push(s),
    );
    expect(await pacer.afterStep(pacer.predict({ phase: 'decode', contextTokens: [1] }), 0.002)).toBe(0.002);
    expect(steps).toEqual([]);
  });
});
