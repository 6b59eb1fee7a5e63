// Validation of the proto GenerateRequest (gRPC Router.Generate and WebSocket `generate` frames) into a
// GenerateInput. proto3 cannot tell an unset scalar from zero, so: no `sampling` message = the OpenAI
// defaults (temperature 1, top_p 1); inside one, top_p 0 reads as 1 (disabled); session_ttl_seconds 0 =
// the router default. There is no ignore_eos field: EOS is always a stop token on these doors.
import { BYTE_VOCAB_SIZE, EOS_ID } from '@oicf/tokenizer';
import { type GenerateInput, invalid, type Parsed } from './generate-input.js';
import { tokenize } from './prompt.js';

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
  } | null;
  readonly sessionId: string;
  readonly sessionTtlSeconds: number;
  readonly stream: boolean;
}

export interface GenerateLimits {
  readonly maxPromptTokens: number;
  readonly defaultSessionTtlSeconds: number;
}

export function validateGenerate(
  req: GenerateRequestLike,
  limits: GenerateLimits,
  assignId: () => string,
): Parsed<GenerateInput & { stream: boolean }> {
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
  if (!Number.isInteger(req.maxTokens) || req.maxTokens < 1) {
    return invalid('max_tokens', `max_tokens must be an integer ≥ 1, got ${req.maxTokens}`);
  }
  const s = req.sampling;
  if (s !== null) {
    if (!(s.temperature >= 0)) return invalid('sampling.temperature', 'sampling.temperature must be ≥ 0');
    if (!(s.topP >= 0 && s.topP <= 1)) return invalid('sampling.top_p', 'sampling.top_p must be in [0, 1]');
    const badStop = s.stopTokenIds.findIndex((t) => t >= BYTE_VOCAB_SIZE);
    if (badStop >= 0) {
      return invalid(`sampling.stop_token_ids[${badStop}]`, `sampling.stop_token_ids[${badStop}] is not a token id`);
    }
  }
  if (!(req.sessionTtlSeconds >= 0)) return invalid('session_ttl_seconds', 'session_ttl_seconds must be ≥ 0');
  const stop = s?.stopTokenIds ?? [];
  return {
    ok: true,
    value: {
      requestId: req.requestId === '' ? assignId() : req.requestId,
      promptTokenIds: prompt,
      maxTokens: req.maxTokens,
      sampling: {
        temperature: s?.temperature ?? 1,
        topP: s === null || s.topP === 0 ? 1 : s.topP,
        topK: s?.topK ?? 0,
        seed: s?.seed ?? 0,
        stopTokenIds: stop.includes(EOS_ID) ? stop : [...stop, EOS_ID],
      },
      sessionId: req.sessionId,
      sessionTtlSeconds: req.sessionTtlSeconds > 0 ? req.sessionTtlSeconds : limits.defaultSessionTtlSeconds,
      stream: req.stream,
    },
  };
}
