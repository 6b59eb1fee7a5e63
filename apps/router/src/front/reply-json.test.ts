// The templated whole-response body is, byte for byte, JSON.stringify of fullResponse's object: both API
// kinds, one and two choices, logprobs present and absent, text and model needing JSON escapes.
import { describe, expect, it } from 'vitest';
import { type ChoiceResult, fullResponse, type OicfInfo, usageBody } from '../core/openai-format.js';
import { summarizeRequest } from '../core/request-summary.js';
import { fullResponseJson, oicfInfoJson } from './reply-json.js';

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

describe('oicfInfoJson', () => {
  it('is JSON.stringify of the OicfInfo summarizeRequest builds (its keys, in its order), local and remote prefill', () => {
    const routing = {
      requestId: 'r"1',
      policy: 'oicf-cost',
      reason: 'least-loaded',
      prefillWorkerId: null,
      decodeWorkerId: 'decode-0',
      numCachedTokens: 0,
      cacheSource: 'none' as const,
      predictedTtftSeconds: 1.2345678901234567e-4,
    };
    const decode = {
      firstChunkAfterSeconds: 0.000123,
      numCachedPromptTokens: 0,
      queueSeconds: 1e-7,
      kvReceiveSeconds: 0,
      decodeSeconds: 0.1 + 0.2,
    };
    const observed = {
      routing,
      numPromptTokens: 8,
      numCompletionTokens: 1,
      arrivalSeconds: 1234.000001,
      firstTokenSeconds: 1234.0003,
      endSeconds: 1234.00031,
      prefill: undefined,
      decode,
      poolBytes: 0,
      decodeWorkerPrefixTokens: 0,
    };
    const local = summarizeRequest(observed).info;
    expect(oicfInfoJson(local)).toBe(JSON.stringify(local));
    const remote = summarizeRequest({
      ...observed,
      routing: { ...routing, prefillWorkerId: 'prefill-0', cacheSource: 'pool' as const },
      prefill: {
        numCachedTokens: 16,
        kvBytesSent: 4096,
        queueSeconds: 0.001,
        fetchKvSeconds: 0.002,
        computeSeconds: 0.003,
        sendKvSeconds: 0.004,
      },
      poolBytes: 2048,
    }).info;
    expect(oicfInfoJson(remote)).toBe(JSON.stringify(remote));
  });

  it('writes a number that is not finite as null, as JSON does', () => {
    const odd = { ...info, ttft_seconds: Number.NaN, e2e_seconds: Number.POSITIVE_INFINITY, num_cached_tokens: -0 };
    expect(oicfInfoJson(odd)).toBe(JSON.stringify(odd));
    expect(JSON.parse(oicfInfoJson(odd)).ttft_seconds).toBeNull();
  });
});
