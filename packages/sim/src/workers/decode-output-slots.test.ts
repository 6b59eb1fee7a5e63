import { describe, expect, it } from 'vitest';
import { simulate } from '../run/simulate.js';
import { HAND_CLUSTER, HAND_REQUESTS } from '../testing/hand-cluster.js';

// The decode worker makes room for a request's tokens ahead (maxTokens slots, at most 16,384). A maxTokens no
// array length can be (a hand-made trace through simulate(): 2.5 output tokens) must run as the engine runs it,
// not end the run with "Invalid array length".
describe('the twin decode worker with a fractional maxTokens', () => {
  it('runs the request to the engine’s limit: 3 tokens for maxTokens 2.5', () => {
    // R1 asks for 2.5 tokens: the engine finishes a sequence when its count n ≥ maxTokens, first at n = 3.
    const requests = HAND_REQUESTS.map((r) => (r.requestId === 'R1' ? { ...r, outputTokens: 2.5 } : r));
    const { run } = simulate(HAND_CLUSTER, { requests, loop: 'open' });
    expect(run.records.map((r) => [r.requestId, r.status, r.numOutputTokens])).toEqual([
      ['R1', 'ok', 3],
      ['R2', 'ok', 2],
      ['R3', 'ok', 1],
    ]);
  });
});
