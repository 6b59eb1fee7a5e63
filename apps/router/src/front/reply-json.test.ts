// The templated whole-response body is, byte for byte, JSON.stringify of fullResponse's object: both API
// kinds, one and two choices, logprobs present and absent, text and model needing JSON escapes.
import { describe, expect, it } from 'vitest';
import { type ChoiceResult, fullResponse, type OicfInfo, usageBody } from '../core/openai-format.js';
import { fullResponseJson } from './reply-json.js';

const info: OicfInfo = {
  request_id: 'r1',
  policy: 'cache_aware',
  reason: 'prefix hit',
  prefill_worker_id: null,
  decode_worker_id: 'decode-0',
  num_cached_tokens: 16,
  cache_source: 'pool',
  predicted_ttft_seconds: 0.0125,
  ttft_seconds: 0.013,
  e2e_seconds: 0.25,
  kv_bytes_moved: 4096,
  timings: { queue_seconds: 0, prefill_seconds: 0.01, kv_transfer_seconds: 0.001, decode_seconds: 0.2 },
};

const choices: ChoiceResult[] = [
  { text: 'héllo "world"\n\u0001', finishReason: 'stop', logprobs: null },
  {
    text: '',
    finishReason: 'length',
    logprobs: { content: [{ token: 'a', logprob: -0.5, bytes: [97], top_logprobs: [] }] },
  },
];

describe('fullResponseJson', () => {
  for (const kind of ['completion', 'chat'] as const) {
    for (const n of [1, 2]) {
      it(`is JSON.stringify(fullResponse) for ${kind}, n = ${n}`, () => {
        const meta = { kind, requestId: 'ab12', model: 'tiny "gqa" \\ ü', created: 1_765_000_000 };
        const usage = usageBody(8, 7, 3);
        const oicf = n === 1 ? info : { ...info, choices: [info, { ...info, decode_worker_id: 'decode-1' }] };
        const some = choices.slice(0, n);
        expect(fullResponseJson(meta, some, usage, oicf)).toBe(JSON.stringify(fullResponse(meta, some, usage, oicf)));
      });
    }
  }
});
