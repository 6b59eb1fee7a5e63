// Validation of the proto GenerateRequest (gRPC Router.Generate and WebSocket `generate` frames) into the
// ChoiceBase every front door hands to choiceInputs() (which fills the defaults at admission). proto3
// cannot tell an unset scalar from zero, so: no `sampling` message = the OpenAI defaults (temperature 1,
// top_p 1); inside one, top_p 0 reads as 1 (disabled); max_tokens 0 = up to the context limit and seed 0 =
// a random seed (as the HTTP door does when they are absent); session_ttl_seconds 0 = the router default.
// There is no ignore_eos field: EOS is always a stop token on these doors.
import { BYTE_VOCAB_SIZE, EOS_ID } from '@oicf/tokenizer';
import type { ChoiceBase } from './choice-inputs.js';
import { invalid, type Parsed } from './generate-input.js';
import { tokenize } from './prompt.js';
import { MAX_LOGPROBS, MAX_STOP_CHARS, MAX_STOP_STRINGS } from './validate-sampling.js';

/** GenerateRequest__Output, structurally (no proto import in the core). */
export interface GenerateRequestLike {
  readonly requestId: string;
  readonly text?: string;
  readonly tokenIds?: { ids: number[] } | null;
  readonly prompt?: string;
  readonly maxTokens: number;
  readonly sampling: {
    temperature: number;
    topP: number;
    topK: number;
    seed: number;
    stopTokenIds: number[];
    logprobs?: boolean;
    numTopLogprobs?: number;
  } | null;
  readonly sessionId: string;
  readonly sessionTtlSeconds: number;
  readonly stream: boolean;
  readonly stop?: string[];
}

export interface GenerateLimits {
  readonly maxPromptTokens: number;
  readonly defaultSessionTtlSeconds: number;
  /** The context limit now (context-window.ts), for max_tokens 0; undefined: no decode worker known. */
  readonly contextTokens?: () => number | undefined;
}

export interface ValidGenerate {
  readonly requestId: string;
  readonly stream: boolean;
  readonly base: ChoiceBase;
}

function promptOf(req: GenerateRequestLike, limits: GenerateLimits): Parsed<number[]> {
  let prompt: number[];
  if (req.prompt === 'text' || (req.prompt === undefined && typeof req.text === 'string' && req.text !== '')) {
    prompt = tokenize(req.text ?? '');
  } else if (req.tokenIds !== undefined && req.tokenIds !== null) {
    prompt = req.tokenIds.ids;
    const bad = prompt.findIndex((t) => !Number.isInteger(t) || t < 0 || t >= BYTE_VOCAB_SIZE);
    if (bad >= 0) {
      return invalid(
        `token_ids.ids[${bad}]`,
        `token_ids.ids[${bad}] = ${prompt[bad]} is outside the byte vocabulary [0, ${BYTE_VOCAB_SIZE - 1}]`,
      );
    }
  } else {
    return invalid('prompt', 'prompt is required: set text or token_ids');
  }
  if (prompt.length === 0) return invalid('prompt', 'prompt must hold at least one token');
  if (prompt.length > limits.maxPromptTokens) {
    return invalid(
      'prompt',
      `prompt has ${prompt.length} tokens; this router accepts at most ${limits.maxPromptTokens}`,
    );
  }
  return { ok: true, value: prompt };
}

function stopOf(stop: readonly string[] | undefined): Parsed<string[]> {
  const list = stop ?? [];
  if (list.length > MAX_STOP_STRINGS)
    return invalid('stop', `stop holds ${list.length} strings; at most ${MAX_STOP_STRINGS} are accepted`);
  const bad = list.findIndex((s) => s.length === 0 || s.length > MAX_STOP_CHARS);
  if (bad >= 0)
    return invalid(`stop[${bad}]`, `stop[${bad}] must be a non-empty string of at most ${MAX_STOP_CHARS} characters`);
  return { ok: true, value: [...list] };
}

export function validateGenerate(
  req: GenerateRequestLike,
  limits: GenerateLimits,
  assignId: () => string,
): Parsed<ValidGenerate> {
  const prompt = promptOf(req, limits);
  if (!prompt.ok) return prompt;
  if (!Number.isInteger(req.maxTokens) || req.maxTokens < 0) {
    return invalid(
      'max_tokens',
      `max_tokens must be an integer ≥ 1 (or 0: up to the context limit), got ${req.maxTokens}`,
    );
  }
  const s = req.sampling;
  if (s !== null) {
    if (!(s.temperature >= 0))
      return invalid('sampling.temperature', `sampling.temperature must be ≥ 0, got ${s.temperature}`);
    if (!(s.topP >= 0 && s.topP <= 1))
      return invalid('sampling.top_p', `sampling.top_p must be in [0, 1], got ${s.topP}`);
    const badStop = s.stopTokenIds.findIndex((t) => t >= BYTE_VOCAB_SIZE);
    if (badStop >= 0) {
      return invalid(`sampling.stop_token_ids[${badStop}]`, `sampling.stop_token_ids[${badStop}] is not a token id`);
    }
    if ((s.numTopLogprobs ?? 0) > MAX_LOGPROBS) {
      return invalid(
        'sampling.num_top_logprobs',
        `sampling.num_top_logprobs must be in [0, ${MAX_LOGPROBS}], got ${s.numTopLogprobs}`,
      );
    }
  }
  if (!(req.sessionTtlSeconds >= 0))
    return invalid('session_ttl_seconds', `session_ttl_seconds must be ≥ 0, got ${req.sessionTtlSeconds}`);
  const stop = stopOf(req.stop);
  if (!stop.ok) return stop;
  const stopIds = s?.stopTokenIds ?? [];
  return {
    ok: true,
    value: {
      requestId: req.requestId === '' ? assignId() : req.requestId,
      stream: req.stream,
      base: {
        promptTokenIds: prompt.value,
        sampling: {
          maxTokens: req.maxTokens === 0 ? undefined : req.maxTokens,
          maxTokensParam: 'max_tokens',
          temperature: s?.temperature ?? 1,
          topP: s === null || s.topP === 0 ? 1 : s.topP,
          topK: s?.topK ?? 0,
          seed: s === null || s.seed === 0 ? undefined : s.seed,
          n: 1,
          stop: stop.value,
          stopTokenIds: stopIds.includes(EOS_ID) ? stopIds : [...stopIds, EOS_ID],
          numTopLogprobs: s?.logprobs === true ? (s.numTopLogprobs ?? 0) : undefined,
        },
        sessionId: req.sessionId,
        sessionTtlSeconds: req.sessionTtlSeconds > 0 ? req.sessionTtlSeconds : limits.defaultSessionTtlSeconds,
      },
    },
  };
}
