import { describe, expect, it } from 'vitest';
import { contextFit, contextFitWarning, floorSignificant, maxContextFromWorkers } from './context-fit.js';

const req = (inputTokens: number, outputTokens: number) => ({ inputTokens, outputTokens });

describe('contextFit', () => {
  // Limit 8,192. Sequence tokens = prompt + max(1, output):
  //   9,000 + 200 = 9,200 (over)   31,000 + 500 = 31,500 (over, longest)
  //   5,000 + 100 = 5,100          8,000 + 192 = 8,192 (exactly the limit: fits)
  //   8,191 + 0 → 8,191 + 1 = 8,192 (a 0-output row asks for 1 token: fits)
  const trace = [req(9000, 200), req(31_000, 500), req(5000, 100), req(8000, 192), req(8191, 0)];

  it('counts the requests over the limit and the longest; suggests limit ÷ longest to 2 significant digits', () => {
    // 8,192 ÷ 31,500 = 0.26006… → 0.26.
    expect(contextFit(trace, 8192, 1)).toEqual({
      limitTokens: 8192,
      numRequests: 5,
      numExceeding: 2,
      longestTokens: 31_500,
      suggestedTokenScale: 0.26,
    });
  });

  it('scales the suggestion by the --token-scale already applied', () => {
    // The trace above as sent under --token-scale 0.5: 0.5 × 0.26006… = 0.13003… → 0.13.
    expect(contextFit(trace, 8192, 0.5)?.suggestedTokenScale).toBe(0.13);
  });

  it('nothing to say when every request fits or no limit is known', () => {
    expect(contextFit([req(8000, 192), req(100, 0)], 8192, 1)).toBeUndefined();
    expect(contextFit(trace, 0, 1)).toBeUndefined();
  });

  it('one warning line with the count, the longest and the suggestion', () => {
    const fit = contextFit(trace, 8192, 1);
    expect(fit && contextFitWarning(fit, 'router http://x')).toBe(
      "warning: 2 of 5 requests exceed the decode workers' 8192-token context (router http://x); the longest needs " +
        '31500 tokens (prompt + max output), so the router will answer those with HTTP 400. --token-scale 0.26 would fit the longest.\n',
    );
  });
});

describe('floorSignificant', () => {
  const cases: [number, number][] = [
    [0.26006, 0.26],
    [0.29, 0.29], // 0.29 × 100 = 28.999… in binary; must not become 0.28
    [0.0918, 0.091],
    [0.999, 0.99],
    [1234, 1200],
    [7, 7],
  ];
  for (const [value, want] of cases) it(`${value} → ${want}`, () => expect(floorSignificant(value, 2)).toBe(want));
});

describe('maxContextFromWorkers', () => {
  it('largest max_context_tokens of a decode-capable worker; prefill and 0 (unknown) ignored', () => {
    const body = {
      object: 'list',
      data: [
        { worker_id: 'prefill-0', role: 'prefill', capacity: { max_context_tokens: 65_536 } },
        { worker_id: 'decode-0', role: 'decode', capacity: { max_context_tokens: 8192 } },
        { worker_id: 'decode-1', role: 'both', capacity: { max_context_tokens: 4096 } },
        { worker_id: 'decode-2', role: 'decode', capacity: { max_context_tokens: 0 } },
      ],
      pool: null,
    };
    expect(maxContextFromWorkers(body)).toBe(8192);
    expect(maxContextFromWorkers({ data: [{ role: 'decode', capacity: null }] })).toBeUndefined();
    expect(maxContextFromWorkers('nonsense')).toBeUndefined();
  });
});
