import { describe, expect, it } from 'vitest';
import { computeGoodput, meetsSlo } from './goodput.js';
import { makeRecord } from './testing/make-run.js';

describe('goodput (DistServe: meets TTFT and TPOT SLOs)', () => {
  const slo = { ttftSeconds: 1, tpotSeconds: 0.1 };
  const cases: [string, Parameters<typeof makeRecord>[0], boolean][] = [
    ['both met', { ttftSeconds: 0.5, tpotSeconds: 0.05 }, true],
    ['on the bound counts as met', { ttftSeconds: 1, tpotSeconds: 0.1 }, true],
    ['TTFT missed', { ttftSeconds: 1.01, tpotSeconds: 0.05 }, false],
    ['TPOT missed', { ttftSeconds: 0.5, tpotSeconds: 0.2 }, false],
    ['one output token: TTFT only', { ttftSeconds: 0.5, tpotSeconds: null, numOutputTokens: 1 }, true],
    ['rejected', { status: 'rejected', ttftSeconds: null, tpotSeconds: null }, false],
    ['error', { status: 'error', ttftSeconds: null }, false],
  ];
  it.each(cases)('%s', (_name, record, met) => {
    expect(meetsSlo(makeRecord(record), slo)).toBe(met);
  });

  it('a null bound is not checked', () => {
    expect(meetsSlo(makeRecord({ ttftSeconds: 9, tpotSeconds: 0.05 }), { ttftSeconds: null, tpotSeconds: 0.1 })).toBe(
      true,
    );
  });

  it('attainment over judged requests, rate over the run', () => {
    // 5 records: 2 meet, 1 misses TTFT, 1 rejected, 1 cancelled (not judged) → 2 / 4 = 0.5;
    // rate 2 good requests / 8 s = 0.25 req/s.
    const records = [
      makeRecord({ ttftSeconds: 0.2, tpotSeconds: 0.01 }),
      makeRecord({ ttftSeconds: 0.9, tpotSeconds: 0.09 }),
      makeRecord({ ttftSeconds: 3, tpotSeconds: 0.01 }),
      makeRecord({ status: 'rejected', ttftSeconds: null, errorCode: 'slo' }),
      makeRecord({ status: 'cancelled', ttftSeconds: 0.1 }),
    ];
    expect(computeGoodput(records, slo, 8)).toEqual({
      slo,
      numJudged: 4,
      numMet: 2,
      attainment: 0.5,
      requestsPerSecond: 0.25,
    });
    expect(computeGoodput([], slo, 0)).toMatchObject({ attainment: null, requestsPerSecond: null });
  });
});
