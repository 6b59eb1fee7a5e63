import { describe, expect, it } from 'vitest';
import type { WorkerSpec } from '../state/worker-table.js';
import { contextLimitIssue } from './context-limit.js';

const worker = (role: WorkerSpec['role'], maxContextTokens: number): WorkerSpec => ({
  workerId: `${role}-${maxContextTokens}`,
  role,
  kvCapacityBytes: 1 << 20,
  maxBatch: 4,
  maxContextTokens,
});

describe('contextLimitIssue', () => {
  // Decode workers hold 1,024 and 8,192 tokens; the prefill worker's 100,000 must not count (it never
  // holds a sequence through decode); a worker stating 0 states no limit.
  const workers = [worker('decode', 1024), worker('decode', 8192), worker('prefill', 100_000), worker('both', 0)];

  it.each([
    // 8,190 + 2 = 8,192: exactly the longest sequence, fits.
    { prompt: 8190, max: 2, want: undefined },
    // 2 + 10,000 = 10,002 > 8,192: max_tokens is at fault, and may be at most 8,192 − 2 = 8,190.
    {
      prompt: 2,
      max: 10_000,
      want: {
        field: 'max_tokens',
        message:
          'prompt (2) + max_tokens (10000) = 10002 tokens exceed the longest sequence a decode worker holds (8192 tokens): set max_tokens ≤ 8190',
      },
    },
    // A prompt of 8,192 leaves no room for the one output token every request produces.
    { prompt: 8192, max: 1, want: { field: 'prompt' } },
  ])('prompt $prompt + max_tokens $max', ({ prompt, max, want }) => {
    const issue = contextLimitIssue(workers, prompt, max);
    if (want === undefined) expect(issue).toBeUndefined();
    else expect(issue).toMatchObject(want);
  });

  it('passes everything when no decode-capable worker states a limit', () => {
    expect(contextLimitIssue([worker('prefill', 16), worker('decode', 0)], 1000, 1_000_000)).toBeUndefined();
  });
});
