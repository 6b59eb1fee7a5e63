// The front doors' validators on arbitrary input (issue 14.6): an OpenAI body, a proto GenerateRequest, a
// worker's Register. None may throw; every refusal names what was wrong (a message, a 4xx status, a field).

import { checkRegistration } from '@oicf/router/core/registration';
import { validateCompletion } from '@oicf/router/core/validate-completion';
import { validateGenerate } from '@oicf/router/core/validate-generate';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { fuzzProperty } from './fuzz-property.js';

const limits = {
  servedModel: 'tiny-gqa',
  maxPromptTokens: 512,
  defaultSessionTtlSeconds: 300,
  maxSessionTtlSeconds: 3600,
};

/** Values a client might put anywhere: the odd ones included. */
const anyValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(null, Number.NaN, Number.POSITIVE_INFINITY, -1, 2 ** 53, '', 'x'.repeat(5000)),
  fc.array(fc.integer({ min: -5, max: 300 }), { maxLength: 40 }),
);

/** An OpenAI-shaped body: the known keys with arbitrary values, plus unknown keys. */
const completionBody = fc.oneof(
  anyValue,
  fc.record(
    {
      model: fc.oneof(fc.constant('tiny-gqa'), anyValue),
      prompt: fc.oneof(fc.string(), fc.array(fc.integer({ min: -3, max: 400 })), anyValue),
      messages: fc.oneof(
        fc.array(
          fc.record({
            role: fc.oneof(fc.constantFrom('user', 'system', 'assistant', 'tool'), anyValue),
            content: anyValue,
          }),
        ),
        anyValue,
      ),
      max_tokens: anyValue,
      temperature: anyValue,
      top_p: anyValue,
      n: anyValue,
      stop: anyValue,
      stream: anyValue,
      seed: anyValue,
      logprobs: anyValue,
      session_id: anyValue,
      session_ttl_seconds: anyValue,
      user: anyValue,
      tools: anyValue,
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(fc.string({ maxLength: 12 }), anyValue),
);

const isClearIssue = (issue: { status: number; message: string; param: string | null }) =>
  issue.status >= 400 && issue.status < 500 && typeof issue.message === 'string' && issue.message.length > 0;

describe('validators under fuzzing', () => {
  it('validateCompletion: never throws; every refusal is a 4xx with a message', async () => {
    await fuzzProperty(
      'http-body-validation',
      fc.tuple(fc.constantFrom('completion' as const, 'chat' as const), completionBody, fc.string({ maxLength: 300 })),
      2000,
      ([kind, body, header]) => {
        const r = validateCompletion(kind, body, limits, header);
        if (!r.ok && !isClearIssue(r.issue)) throw new Error(`unclear refusal: ${JSON.stringify(r.issue)}`);
      },
    );
  });

  it('validateGenerate (gRPC and WebSocket doors): never throws; every refusal names a field', async () => {
    const sampling = fc.option(
      fc.record({
        temperature: fc.double(),
        topP: fc.double(),
        topK: fc.nat(),
        seed: fc.nat(),
        stopTokenIds: fc.array(fc.nat({ max: 1000 })),
        logprobs: fc.boolean(),
        numTopLogprobs: fc.nat({ max: 100 }),
      }),
      { nil: null },
    );
    const request = fc.record({
      requestId: fc.string({ maxLength: 400 }),
      text: fc.option(fc.string(), { nil: undefined }),
      tokenIds: fc.option(fc.record({ ids: fc.array(fc.integer({ min: -2, max: 600 })) }), { nil: null }),
      prompt: fc.option(fc.constantFrom('text', 'tokenIds'), { nil: undefined }),
      maxTokens: fc.oneof(fc.nat(), fc.double()),
      sampling,
      sessionId: fc.string({ maxLength: 400 }),
      sessionTtlSeconds: fc.double(),
      stream: fc.boolean(),
      stop: fc.option(fc.array(fc.string({ maxLength: 60 })), { nil: undefined }),
    });
    await fuzzProperty('grpc-generate-validation', request, 2000, (req) => {
      const r = validateGenerate(req, limits, () => 'id');
      if (!r.ok && !(r.issue.message.length > 0 && typeof r.issue.param === 'string' && r.issue.status === 400)) {
        throw new Error(`unclear refusal: ${JSON.stringify(r.issue)}`);
      }
    });
  });

  it('checkRegistration: never throws; invalid input names its field', async () => {
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.constant('x'.repeat(2 ** 20)));
    const reg = fc.record({
      workerId: text,
      role: fc.oneof(fc.constantFrom('WORKER_ROLE_PREFILL', 'WORKER_ROLE_DECODE', 'WORKER_ROLE_BOTH'), fc.string()),
      grpcAddress: text,
      wsAddress: text,
      modelId: text,
      capacity: fc.option(
        fc.record({ kvCapacityBytes: fc.double(), maxBatch: fc.double(), maxContextTokens: fc.double() }),
        { nil: null },
      ),
      deviceId: text,
      emulatedModelId: text,
      httpAddress: text,
    });
    await fuzzProperty('register-validation', reg, 1000, (req) => {
      const r = checkRegistration(req, { modelId: 'tiny-gqa', mode: 'disaggregated' });
      if (r.kind === 'invalid' && !(r.field.length > 0 && r.message.length > 0 && r.message.length < 2000)) {
        throw new Error(`unclear or oversized refusal: ${r.field} ${r.message.slice(0, 200)}`);
      }
    });
  });
});
