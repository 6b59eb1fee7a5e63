import { describe, expect, it } from 'vitest';
import { logSumExp, MAX_TOP_LOGPROBS, tokenLogprob, topIds } from './logprobs.js';

describe('tokenLogprob', () => {
  it('is the log-softmax of the raw logits (hand-computed)', () => {
    // Logits [ln 1, ln 2, ln 3, ln 4] → softmax [1, 2, 3, 4] / 10, so logprob(i) = ln((i+1)/10):
    // id 2 → ln 0.3 = −1.2039728, id 3 → ln 0.4 = −0.9162907, id 1 → ln 0.2 = −1.6094379.
    const logits = Float32Array.from([Math.log(1), Math.log(2), Math.log(3), Math.log(4)]);
    const r = tokenLogprob(logits, 2, 2);
    expect(r.tokenId).toBe(2);
    expect(r.logprob).toBeCloseTo(Math.log(0.3), 6);
    expect(r.topLogprobs.map((t) => t.tokenId)).toEqual([3, 2]);
    expect(r.topLogprobs[0]?.logprob).toBeCloseTo(Math.log(0.4), 6);
    expect(r.topLogprobs[1]?.logprob).toBeCloseTo(Math.log(0.3), 6);
    expect(tokenLogprob(logits, 1).logprob).toBeCloseTo(Math.log(0.2), 6);
  });

  it('does not overflow for large logits (log-sum-exp) and is shift-invariant', () => {
    // [1000, 1000]: each has probability ½ → ln ½ = −0.6931472; a naive exp(1000) would be Infinity.
    expect(tokenLogprob([1000, 1000], 0).logprob).toBeCloseTo(-Math.LN2, 9);
    // [0, 0, 0, 0] and [7, 7, 7, 7]: ln ¼ = −1.3862944 either way.
    expect(tokenLogprob([7, 7, 7, 7], 3).logprob).toBeCloseTo(Math.log(0.25), 9);
    expect(logSumExp([0, 0, 0, 0])).toBeCloseTo(Math.log(4), 12);
  });

  it('orders the top tokens descending, lower id first on ties, and stops at k', () => {
    expect(topIds([1, 5, 5, 2, 9], 3)).toEqual([4, 1, 2]);
    expect(topIds([3, 3, 3], 2)).toEqual([0, 1]);
    expect(topIds([1, 2], 0)).toEqual([]);
    // Asking for more alternatives than the vocabulary holds gives the whole row.
    expect(tokenLogprob([0, 1, 2], 0, 5).topLogprobs.map((t) => t.tokenId)).toEqual([2, 1, 0]);
  });

  it('rejects a token outside the row and a top count outside [0, 20]', () => {
    expect(() => tokenLogprob([0, 1], 2)).toThrow(/token id 2 is outside the logits row \[0, 2\)/);
    expect(() => tokenLogprob([0, 1], 0, MAX_TOP_LOGPROBS + 1)).toThrow(/numTop must be an integer in \[0, 20\]/);
  });
});
