// Validation of OpenAI-style request bodies (POST /v1/completions and /v1/chat/completions) into a
// GenerateInput. The first problem found is returned as a value naming the field (`param`), the way
// OpenAI reports it; nothing here throws for bad input.
import { BYTE_VOCAB_SIZE, EOS_ID } from '@oicf/tokenizer';
import { type ApiIssue, type GenerateInput, invalid, type Parsed } from './generate-input.js';
import { type ChatMessage, renderChat, tokenize } from './prompt.js';

export interface ValidationLimits {
  /** The served model id; any other `model` is a 404 listing it. */
  readonly servedModel: string;
  readonly maxPromptTokens: number;
  /** Session TTL when a session is named without one. */
  readonly defaultSessionTtlSeconds: number;
}

export interface CompletionRequest {
  readonly kind: 'completion' | 'chat';
  readonly model: string;
  readonly stream: boolean;
  /** stream_options.include_usage: send a usage chunk before [DONE]. */
  readonly includeUsage: boolean;
  /** Everything but the request id, which the front door assigns. */
  readonly input: Omit<GenerateInput, 'requestId'>;
}

type Body = Record<string, unknown>;

const DEFAULT_MAX_TOKENS = 16;
const CHAT_ROLES = ['system', 'developer', 'user', 'assistant', 'tool'];
/** Accepted OpenAI fields this server cannot honour unless they hold their neutral value. */
const NEUTRAL: Record<string, (v: unknown) => boolean> = {
  n: (v) => v === 1,
  best_of: (v) => v === 1,
  echo: (v) => v === false,
  logprobs: (v) => v === false || v === 0,
  top_logprobs: (v) => v === 0,
  suffix: (v) => v === '',
  stop: (v) => (Array.isArray(v) && v.length === 0) || v === '',
  presence_penalty: (v) => v === 0,
  frequency_penalty: (v) => v === 0,
  logit_bias: (v) => typeof v === 'object' && v !== null && Object.keys(v).length === 0,
  tools: (v) => Array.isArray(v) && v.length === 0,
  response_format: (v) => (v as { type?: unknown }).type === 'text',
};

const describe = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v).slice(0, 40) : String(v));
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function tokenArray(value: unknown, param: string): Parsed<number[]> {
  if (!Array.isArray(value)) return invalid(param, `${param} must be an array of token ids`);
  for (let i = 0; i < value.length; i++) {
    const t = value[i];
    if (!isInt(t) || t < 0 || t >= BYTE_VOCAB_SIZE) {
      return invalid(
        `${param}[${i}]`,
        `${param}[${i}] must be a token id, an integer in [0, ${BYTE_VOCAB_SIZE - 1}] (byte vocabulary), got ${describe(t)}`,
      );
    }
  }
  return { ok: true, value: value as number[] };
}

/** `prompt`: a string, an array of token ids, or an array holding exactly one of those. */
function parsePrompt(value: unknown): Parsed<number[]> {
  if (typeof value === 'string') return { ok: true, value: tokenize(value) };
  if (!Array.isArray(value)) {
    const rule = 'a string, an array of token ids, or an array with one of those';
    return invalid(
      'prompt',
      value === undefined || value === null
        ? `prompt is required: ${rule}`
        : `prompt must be ${rule}, got ${describe(value)}`,
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

function messageText(content: unknown, param: string): Parsed<string> {
  if (typeof content === 'string') return { ok: true, value: content };
  if (!Array.isArray(content)) return invalid(param, `${param} must be a string or an array of text parts`);
  const parts: string[] = [];
  for (let i = 0; i < content.length; i++) {
    const part = content[i] as { type?: unknown; text?: unknown } | null;
    if (part?.type !== 'text' || typeof part.text !== 'string') {
      return invalid(`${param}[${i}]`, `${param}[${i}] must be {"type":"text","text":string}; only text is supported`);
    }
    parts.push(part.text);
  }
  return { ok: true, value: parts.join('') };
}

function parseMessages(value: unknown): Parsed<number[]> {
  if (!Array.isArray(value) || value.length === 0) {
    return invalid('messages', 'messages is required: a non-empty array of {role, content}');
  }
  const messages: ChatMessage[] = [];
  for (let i = 0; i < value.length; i++) {
    const m = value[i] as { role?: unknown; content?: unknown } | null;
    if (typeof m !== 'object' || m === null) return invalid(`messages[${i}]`, `messages[${i}] must be an object`);
    if (typeof m.role !== 'string' || !CHAT_ROLES.includes(m.role)) {
      return invalid(`messages[${i}].role`, `messages[${i}].role must be one of ${CHAT_ROLES.join(', ')}`);
    }
    const text = messageText(m.content, `messages[${i}].content`);
    if (!text.ok) return text;
    messages.push({ role: m.role, content: text.value });
  }
  return { ok: true, value: tokenize(renderChat(messages)) };
}

function optionalNumber(
  body: Body,
  key: string,
  fallback: number,
  check: (v: number) => boolean,
  rule: string,
): Parsed<number> {
  const v = body[key];
  if (v === undefined || v === null) return { ok: true, value: fallback };
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) {
    return invalid(key, `${key} must be ${rule}, got ${describe(v)}`);
  }
  return { ok: true, value: v };
}

function optionalBoolean(body: Body, key: string): Parsed<boolean> {
  const v = body[key];
  if (v === undefined || v === null) return { ok: true, value: false };
  if (typeof v !== 'boolean') return invalid(key, `${key} must be true or false, got ${describe(v)}`);
  return { ok: true, value: v };
}

/**
 * Validates a completion (`kind` 'completion') or chat completion (`kind` 'chat') body. `headerSessionId`
 * is the `x-oicf-session-id` header (the body's `session_id` wins when both are set).
 */
export function validateCompletion(
  kind: 'completion' | 'chat',
  raw: unknown,
  limits: ValidationLimits,
  headerSessionId = '',
): Parsed<CompletionRequest> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return invalid(null, 'the request body must be a JSON object');
  }
  const body = raw as Body;
  if (typeof body.model !== 'string' || body.model === '') {
    return invalid('model', `model is required: use ${JSON.stringify(limits.servedModel)}`);
  }
  if (body.model !== limits.servedModel) {
    const issue: ApiIssue = {
      status: 404,
      type: 'invalid_request_error',
      code: 'model_not_found',
      param: 'model',
      message: `model ${JSON.stringify(body.model)} is not served here; valid ids: ${limits.servedModel}`,
    };
    return { ok: false, issue };
  }
  for (const [key, neutral] of Object.entries(NEUTRAL)) {
    const v = body[key];
    if (v !== undefined && v !== null && !neutral(v)) {
      const hint = key === 'stop' ? '; use stop_token_ids' : '';
      return invalid(key, `${key} = ${describe(JSON.stringify(v))} is not supported by this server${hint}`);
    }
  }
  const prompt = kind === 'chat' ? parseMessages(body.messages) : parsePrompt(body.prompt);
  if (!prompt.ok) return prompt;
  const promptParam = kind === 'chat' ? 'messages' : 'prompt';
  if (prompt.value.length === 0) return invalid(promptParam, `${promptParam} must hold at least one token`);
  if (prompt.value.length > limits.maxPromptTokens) {
    return invalid(
      promptParam,
      `${promptParam} has ${prompt.value.length} tokens; this router accepts at most ${limits.maxPromptTokens}`,
    );
  }
  const maxKey = kind === 'chat' && body.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
  const maxTokens = optionalNumber(body, maxKey, DEFAULT_MAX_TOKENS, (v) => isInt(v) && v >= 1, 'an integer ≥ 1');
  if (!maxTokens.ok) return maxTokens;
  const temperature = optionalNumber(body, 'temperature', 1, (v) => v >= 0, 'a number ≥ 0 (0 = greedy)');
  if (!temperature.ok) return temperature;
  const topP = optionalNumber(body, 'top_p', 1, (v) => v > 0 && v <= 1, 'a number in (0, 1]');
  if (!topP.ok) return topP;
  const topK = optionalNumber(body, 'top_k', 0, (v) => isInt(v) && v >= -1, 'an integer ≥ 0 (0 or -1 = disabled)');
  if (!topK.ok) return topK;
  const seed = optionalNumber(body, 'seed', 0, (v) => isInt(v) && v >= 0, 'an integer ≥ 0');
  if (!seed.ok) return seed;
  const stream = optionalBoolean(body, 'stream');
  if (!stream.ok) return stream;
  const ignoreEos = optionalBoolean(body, 'ignore_eos');
  if (!ignoreEos.ok) return ignoreEos;
  let stopTokenIds: number[] = [];
  if (body.stop_token_ids !== undefined && body.stop_token_ids !== null) {
    const ids = tokenArray(body.stop_token_ids, 'stop_token_ids');
    if (!ids.ok) return ids;
    stopTokenIds = ids.value;
  }
  if (!ignoreEos.value && !stopTokenIds.includes(EOS_ID)) stopTokenIds = [...stopTokenIds, EOS_ID];
  let includeUsage = false;
  const so = body.stream_options;
  if (so !== undefined && so !== null) {
    const iu = (so as { include_usage?: unknown }).include_usage;
    if (typeof so !== 'object' || (iu !== undefined && typeof iu !== 'boolean')) {
      return invalid('stream_options.include_usage', 'stream_options must be {"include_usage": true|false}');
    }
    includeUsage = iu === true;
  }
  if (body.user !== undefined && body.user !== null && typeof body.user !== 'string') {
    return invalid('user', 'user must be a string');
  }
  let sessionId = headerSessionId;
  if (body.session_id !== undefined && body.session_id !== null) {
    if (typeof body.session_id !== 'string' || body.session_id.length > 256) {
      return invalid('session_id', 'session_id must be a string of at most 256 characters');
    }
    sessionId = body.session_id;
  }
  const ttl = optionalNumber(
    body,
    'session_ttl_seconds',
    limits.defaultSessionTtlSeconds,
    (v) => v >= 0,
    'a number of seconds ≥ 0',
  );
  if (!ttl.ok) return ttl;
  return {
    ok: true,
    value: {
      kind,
      model: body.model,
      stream: stream.value,
      includeUsage,
      input: {
        promptTokenIds: prompt.value,
        maxTokens: maxTokens.value,
        sampling: {
          temperature: temperature.value,
          topP: topP.value,
          topK: Math.max(0, topK.value),
          seed: seed.value,
          stopTokenIds,
        },
        sessionId,
        sessionTtlSeconds: ttl.value,
      },
    },
  };
}
