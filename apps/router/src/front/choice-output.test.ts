// What a whole reply reports from its choices' `done` events: prompt tokens once, completion tokens summed,
// cached tokens the least any choice had, `oicf` choice 0's info (plus every choice's when n > 1).
import { describe, expect, it } from 'vitest';
import type { OicfInfo } from '../core/openai-format.js';
import type { DoneEvent } from '../pipeline/types.js';
import { ChoiceOutputs } from './choice-output.js';

const info = (requestId: string): OicfInfo => ({
  request_id: requestId,
  policy: 'oicf-cost',
  reason: 'least-loaded',
  prefill_worker_id: null,
  decode_worker_id: 'decode-0',
  num_cached_tokens: 0,
  cache_source: 'none',
  predicted_ttft_seconds: 0.01,
  ttft_seconds: 0.02,
  e2e_seconds: 0.03,
  kv_bytes_moved: 0,
  timings: { queue_seconds: 0, prefill_seconds: 0.01, kv_transfer_seconds: 0, decode_seconds: 0.02 },
});

const done = (completion: number, cached: number, id: string, finishReason: 'stop' | 'length'): DoneEvent => ({
  kind: 'done',
  finishReason,
  text: '',
  numPromptTokens: 8,
  numCompletionTokens: completion,
  numCachedTokens: cached,
  info: info(id),
  tokenIds: [],
});

describe('ChoiceOutputs', () => {
  it('one choice: its counts and its info as the oicf body', () => {
    const outputs = new ChoiceOutputs('completion', 1, false);
    expect(outputs.allDone).toBe(false);
    outputs.at(0).text = 'hi';
    outputs.at(0).done = done(2, 4, 'r', 'length');
    expect(outputs.allDone).toBe(true);
    const { usage, oicf } = outputs.summary();
    expect(usage).toEqual({
      prompt_tokens: 8,
      completion_tokens: 2,
      total_tokens: 10,
      prompt_tokens_details: { cached_tokens: 4 },
    });
    expect(oicf).toEqual(info('r'));
    expect(outputs.results()).toEqual([{ text: 'hi', finishReason: 'length', logprobs: null }]);
  });

  it('three choices: prompt once, completions summed (3 + 5 + 1), the least cached (16, 0, 8 → 0)', () => {
    const outputs = new ChoiceOutputs('chat', 3, false);
    outputs.at(0).done = done(3, 16, 'r', 'stop');
    outputs.at(2).done = done(1, 8, 'r-2', 'length');
    expect(outputs.allDone).toBe(false);
    outputs.at(1).done = done(5, 0, 'r-1', 'stop');
    const { usage, oicf } = outputs.summary();
    expect(usage.prompt_tokens).toBe(8);
    expect(usage.completion_tokens).toBe(9);
    expect(usage.total_tokens).toBe(17);
    expect(usage.prompt_tokens_details.cached_tokens).toBe(0);
    expect(oicf).toEqual({ ...info('r'), choices: [info('r'), info('r-1'), info('r-2')] });
    expect(outputs.results().map((r) => r.finishReason)).toEqual(['stop', 'stop', 'length']);
  });
});
