import { describe, expect, it } from 'vitest';
import {
  buckets125,
  INTER_TOKEN_LATENCY_SECONDS_BUCKETS,
  ITERATION_TOKENS_BUCKETS,
  KV_TRANSFER_SECONDS_BUCKETS,
  PREFILL_TOKEN_SECONDS_BUCKETS,
  REQUEST_LATENCY_SECONDS_BUCKETS,
  TTFT_SECONDS_BUCKETS,
} from './buckets.js';

describe('bucket presets (vllm/v1/metrics/loggers.py)', () => {
  // [preset, number of bounds, first, last], read off the vLLM source lists.
  it.each([
    ['TTFT', TTFT_SECONDS_BUCKETS, 22, 0.001, 2560],
    ['inter-token', INTER_TOKEN_LATENCY_SECONDS_BUCKETS, 19, 0.01, 80],
    ['request latency', REQUEST_LATENCY_SECONDS_BUCKETS, 21, 0.3, 7680],
    ['prefill per token', PREFILL_TOKEN_SECONDS_BUCKETS, 10, 0.001, 1],
    ['iteration tokens', ITERATION_TOKENS_BUCKETS, 13, 1, 16384],
    ['KV transfer (ours)', KV_TRANSFER_SECONDS_BUCKETS, 17, 0.00001, 10],
  ] as const)('%s has %i strictly increasing bounds from %d to %d', (_name, buckets, count, first, last) => {
    expect(buckets.length).toBe(count);
    expect(buckets[0]).toBe(first);
    expect(buckets.at(-1)).toBe(last);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i] as number).toBeGreaterThan(buckets[i - 1] as number);
  });

  it('has no 2 s bound in the TTFT list (vLLM jumps from 1.0 to 2.5)', () => {
    expect(TTFT_SECONDS_BUCKETS).not.toContain(2);
    expect(TTFT_SECONDS_BUCKETS.slice(11, 13)).toEqual([1.0, 2.5]);
  });

  it.each([
    [100, [1, 2, 5, 10, 20, 50, 100]], // the example in vLLM's build_1_2_5_buckets docstring
    [1, [1]],
    [4, [1, 2]],
    [8192, [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]],
  ])('buckets125(%i) = %j', (max, expected) => {
    expect(buckets125(max)).toEqual(expected);
  });
});
