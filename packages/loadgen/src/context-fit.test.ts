import { describe, expect, it } from 'vitest';
import {
  contextFit,
  contextFitWarning,
  floorSignificant,
  maxContextFromWorkers,
  overflowVerdict,
  scaleKeepingShare,
} from './context-fit.js';

const req = (inputTokens: number, outputTokens: number) => ({ inputTokens, outputTokens });
const trace = [req(9000, 200), req(31_000, 500), req(5000, 100), req(8000, 192), req(8191, 0)];

describe('contextFit', () => {
  // Limit 8,192. Sequence tokens = prompt + max(1, output):
  //   9,000 + 200 = 9,200 (over)   31,000 + 500 = 31,500 (over, longest)
  //   5,000 + 100 = 5,100          8,000 + 192 = 8,192 (exactly the limit: fits)
  //   8,191 + 0 → 8,191 + 1 = 8,192 (a 0-output row asks for 1 token: fits)

  it('counts the requests over the limit and the longest; suggests limit ÷ longest to 2 significant digits', () => {
    // 8,192 ÷ 31,500 = 0.26006… → 0.26.
    expect(contextFit(trace, 8192, 1)).toEqual({
      limitTokens: 8192,
      numRequests: 5,
      numExceeding: 2,
      longestTokens: 31_500,
      suggestedTokenScale: 0.26,
      sortedTokens: [5100, 8192, 8192, 9200, 31_500],
      tokenScale: 1,
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

describe('overflow is a decision', () => {
  // The trace above: 2 of 5 requests (40 %) over 8,192; sequence tokens sorted 5,100, 8,192, 8,192, 9,200, 31,500.
  const fit = contextFit(trace, 8192, 1);

  it('stops before sending when more than --overflow-limit overflow, naming the scales that fit', () => {
    // 40 % > 5 %: stop. At 5 % none of 5 may overflow (⌊0.25⌋ = 0): the scale must fit 31,500 → 0.26 only.
    expect(overflowVerdict(fit, { maxShare: 0.05, allow: false }, 'cluster config')).toEqual({
      kind: 'stop',
      message:
        "2 of 5 requests (40.0 %) exceed the 8192-token context of cluster config (prompt + max output; the longest needs 31500), more than --overflow-limit 5.0 %. Nothing was sent. --token-scale 0.26 fits every request. Or raise the cluster's decode.maxContextTokens (up to 65536), or pass --allow-overflow to send anyway (they count as rejects with reason 'context').\n",
    });
    // At 20 % one of 5 may overflow (⌊1.0⌋ = 1): the 4th longest, 9,200, must fit → 8,192 ÷ 9,200 = 0.8904… → 0.89.
    expect(scaleKeepingShare(fit as NonNullable<typeof fit>, 0.2)).toBe(0.89);
    const stop = overflowVerdict(fit, { maxShare: 0.2, allow: false }, 'cluster config');
    expect(stop.kind === 'stop' && stop.message).toContain(
      '--token-scale 0.26 fits every request; --token-scale 0.89 keeps the overflow within 20.0 %.',
    );
  });

  it('sends, with a warning, when the overflow is within the limit or allowed', () => {
    expect(overflowVerdict(fit, { maxShare: 0.5, allow: false }, 'x')).toEqual({
      kind: 'send',
      warning: expect.stringMatching(
        /Sending anyway \(within --overflow-limit 50\.0 %\): they count as rejects with reason 'context'\.\n$/,
      ),
    });
    expect(overflowVerdict(fit, { maxShare: 0.05, allow: true }, 'x')).toMatchObject({
      kind: 'send',
      warning: expect.stringContaining('Sending anyway (--allow-overflow)'),
    });
    expect(overflowVerdict(undefined, { maxShare: 0.05, allow: false }, 'x')).toEqual({
      kind: 'send',
      warning: undefined,
    });
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
