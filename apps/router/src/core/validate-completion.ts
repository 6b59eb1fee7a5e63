// Validation of OpenAI-style request bodies (POST /v1/completions and /v1/chat/completions). The first
// problem found is returned as a value naming the field (`param`), the way OpenAI reports it; nothing here
// throws for bad input. Every top-level parameter is handled, ignored as platform metadata, accepted at its
// neutral value, or refused (request-params.ts); chat messages and tools go through the chat template.

import { BYTE_VOCAB_SIZE } from '@oicf/tokenizer';
import { chatPromptTokens } from './chat-prompt.js';
import type { ChoiceBase } from './choice-inputs.js';
import { type ApiIssue, describeValue, invalid, type Parsed } from './generate-input.js';
import { tokenize } from './prompt.js';
import { type ApiKind, parameterIssue } from './request-params.js';
import { optionalBoolean, parseSampling } from './validate-sampling.js';

export interface ValidationLimits {
  /** The served model id; any other `model` is a 404 listing it. */
  readonly servedModel: string;
  readonly maxPromptTokens: number;
  /** Session TTL when a session is named without one. */
  readonly defaultSessionTtlSeconds: number;
}

export interface CompletionRequest {
  readonly kind: ApiKind;
  readonly model: string;
  readonly stream: boolean;
  /** stream_options.include_usage: send a usage chunk before [DONE]. */
  readonly includeUsage: boolean;
  /** What every choice shares; choiceInputs() makes one GenerateInput per choice at admission. */
  readonly base: ChoiceBase;
}

type Body = Record<string, unknown>;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

function tokenArray(value: unknown, param: string): Parsed<number[]> {
  if (!Array.isArray(value)) return invalid(param, `${param} must be an array of token ids`);
  for (let i = 0; i < value.length; i++) {
    const t = value[i];
    if (!isInt(t) || t < 0 || t >= BYTE_VOCAB_SIZE) {
      return invalid(
        `${param}[${i}]`,
        `${param}[${i}] must be a token id, an integer in [0, ${BYTE_VOCAB_SIZE - 1}] (byte vocabulary), got ${describeValue(t)}`,
      );
    }
  }
  return { ok: true, value: value as number[] };
}

/** `prompt`: a string, an array of token ids, or an array holding exactly one of those. */
export function parsePrompt(value: unknown): Parsed<number[]> {
  if (typeof value === 'string') return { ok: true, value: tokenize(value) };
  if (!Array.isArray(value)) {
    const rule = 'a string, an array of token ids, or an array with one of those';
    return invalid(
      'prompt',
      value === undefined || value === null
        ? `prompt is required: ${rule}`
        : `prompt must be ${rule}, got ${describeValue(value)}`,
    );
  }
  if (value.length === 1 && (typeof value[0] === 'string' || Array.isArray(value[0]))) {
    return typeof value[0] === 'string' ? { ok: true, value: tokenize(value[0]) } : tokenArray(value[0], 'prompt[0]');
  }
  if (value.some((v) => typeof v === 'string' || Array.isArray(v))) {
    return invalid('prompt', `prompt batches are not supported: send one prompt per request (got ${value.length})`);
  }
  return tokenArray(value, 'prompt');
}

/** `model`: the served id, or a 404 naming it (`model_not_found`). */
export function checkModel(model: unknown, servedModel: string): ApiIssue | undefined {
  if (typeof model !== 'string' || model === '') {
    return invalid('model', `model is required: use ${JSON.stringify(servedModel)}`).issue;
  }
  if (model === servedModel) return undefined;
  return {
    status: 404,
    type: 'invalid_request_error',
    code: 'model_not_found',
    param: 'model',
    message: `model ${JSON.stringify(model)} is not served here; valid ids: ${servedModel}`,
  };
}

function parseSession(
  body: Body,
  limits: ValidationLimits,
  headerSessionId: string,
): Parsed<{ id: string; ttl: number }> {
  let id = headerSessionId;
  if (body.session_id !== undefined && body.session_id !== null) {
    if (typeof body.session_id !== 'string' || body.session_id.length > 256) {
      return invalid('session_id', 'session_id must be a string of at most 256 characters');
    }
    id = body.session_id;
  }
  const ttl = body.session_ttl_seconds;
  if (ttl === undefined || ttl === null) return { ok: true, value: { id, ttl: limits.defaultSessionTtlSeconds } };
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0) {
    return invalid(
      'session_ttl_seconds',
      `session_ttl_seconds must be a number of seconds ≥ 0, got ${describeValue(ttl)}`,
    );
  }
  return { ok: true, value: { id, ttl } };
}

function parseStreamOptions(so: unknown): Parsed<boolean> {
  if (so === undefined || so === null) return { ok: true, value: false };
  const iu = (so as { include_usage?: unknown }).include_usage;
  if (typeof so !== 'object' || Array.isArray(so) || (iu !== undefined && iu !== null && typeof iu !== 'boolean')) {
    return invalid('stream_options.include_usage', 'stream_options must be {"include_usage": true|false}');
  }
  const extra = Object.keys(so).find((k) => k !== 'include_usage' && k !== 'continuous_usage_stats');
  if (extra !== undefined) return invalid(`stream_options.${extra}`, `stream_options.${extra} is not supported`);
  return { ok: true, value: iu === true };
}

/**
 * Validates a completion (`kind` 'completion') or chat completion (`kind` 'chat') body. `headerSessionId`
 * is the `x-oicf-session-id` header (the body's `session_id` wins when both are set).
 */
export function validateCompletion(
  kind: ApiKind,
  raw: unknown,
  limits: ValidationLimits,
  headerSessionId = '',
): Parsed<CompletionRequest> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return invalid(null, 'the request body must be a JSON object');
  }
  const body = raw as Body;
  const modelIssue = checkModel(body.model, limits.servedModel);
  if (modelIssue !== undefined) return { ok: false, issue: modelIssue };
  const paramIssue = parameterIssue(kind, body);
  if (paramIssue !== undefined) return { ok: false, issue: paramIssue };
  const prompt = kind === 'chat' ? chatPromptTokens(body) : parsePrompt(body.prompt);
  if (!prompt.ok) return prompt;
  const promptParam = kind === 'chat' ? 'messages' : 'prompt';
  if (prompt.value.length === 0) return invalid(promptParam, `${promptParam} must hold at least one token`);
  if (prompt.value.length > limits.maxPromptTokens) {
    return invalid(
      promptParam,
      `${promptParam} has ${prompt.value.length} tokens; this router accepts at most ${limits.maxPromptTokens}`,
    );
  }
  const sampling = parseSampling(kind, body);
  if (!sampling.ok) return sampling;
  const stream = optionalBoolean(body, 'stream');
  if (!stream.ok) return stream;
  const includeUsage = parseStreamOptions(body.stream_options);
  if (!includeUsage.ok) return includeUsage;
  if (body.user !== undefined && body.user !== null && typeof body.user !== 'string') {
    return invalid('user', 'user must be a string');
  }
  const session = parseSession(body, limits, headerSessionId);
  if (!session.ok) return session;
  return {
    ok: true,
    value: {
      kind,
      model: body.model as string,
      stream: stream.value,
      includeUsage: includeUsage.value,
      base: {
        promptTokenIds: prompt.value,
        sampling: sampling.value,
        sessionId: session.value.id,
        sessionTtlSeconds: session.value.ttl,
      },
    },
  };
}
