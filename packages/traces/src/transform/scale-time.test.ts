import { describe, expect, it } from 'vitest';
import { scaleTime } from './scale-time.js';

describe('scaleTime', () => {
  it('multiplies arrivals and gaps, leaves tokens alone', () => {
    const got = scaleTime(
      [
        { requestId: 'a', arrivalSeconds: 10, inputTokens: 5, outputTokens: 2 },
        {
          requestId: 'b',
          sessionId: 's',
          turnIndex: 1,
          arrivalSeconds: 30,
          inputTokens: 9,
          outputTokens: 1,
          gapAfterPreviousSeconds: 4,
        },
      ],
      0.5,
    );
    expect(got).toEqual([
      { requestId: 'a', arrivalSeconds: 5, inputTokens: 5, outputTokens: 2 },
      {
        requestId: 'b',
        sessionId: 's',
        turnIndex: 1,
        arrivalSeconds: 15,
        inputTokens: 9,
        outputTokens: 1,
        gapAfterPreviousSeconds: 2,
      },
    ]);
  });
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects factor %f', (factor) => {
    expect(() => scaleTime([], factor)).toThrow(/timeFactor must be a finite number > 0/);
  });
});
