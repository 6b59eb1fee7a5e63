// The generation parameters shared by completions and chat completions: length, sampling, seeds, n, stop
// strings and stop token ids, log-probabilities. Defaults follow OpenAI and vLLM: no `max_tokens` = up to
// the context limit (resolved at admission time, choice-inputs.ts), no `seed` = a fresh random seed per
// choice, temperature 1, top_p 1, n 1, no stop strings, no logprobs.
import { BYTE_VOCAB_SIZE, EOS_ID } from '@oicf/tokenizer';
import { describeValue, invalid, type Parsed } from './generate-input.js';
import type { ApiKind } from './request-params.js';

/** Most choices per request: each is a request of its own on the workers (docs/openai.md). */
export const MAX_CHOICES = 16;
/** Most stop strings per request, and the longest one (UTF-16 code units), bounding what is held back. */
export const MAX_STOP_STRINGS = 16;
export const MAX_STOP_CHARS = 256;
/** vLLM's default `max_logprobs`, and OpenAI's bound on `top_logprobs`. */
export const MAX_LOGPROBS = 20;

export interface SamplingRequest {
  /** Set by `max_tokens` / `max_completion_tokens`; undefined = up to the context limit. */
  readonly maxTokens: number | undefined;
  /** The field that set it, for messages. */
  readonly maxTokensParam: 'max_tokens' | 'max_completion_tokens';
  readonly temperature: number;
  readonly topP: number;
  /** 0 = disabled. */
  readonly topK: number;
  /** undefined = a random seed per choice. */
  readonly seed: number | undefined;
  readonly n: number;
  readonly stop: readonly string[];
  /** Includes EOS unless ignore_eos. */
  readonly stopTokenIds: readonly number[];
  /** undefined = no logprobs; else the number of top alternatives per token. */
  readonly numTopLogprobs: number | undefined;
}

type Body = Record<string, unknown>;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

function num(body: Body, key: string, fallback: number, ok: (v: number) => boolean, rule: string): Parsed<number> {
  const v = body[key];
  if (v === undefined || v === null) return { ok: true, value: fallback };
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v))
    return invalid(key, `${key} must be ${rule}, got ${describeValue(v)}`);
  return { ok: true, value: v };
}

export function optionalBoolean(body: Body, key: string, fallback = false): Parsed<boolean> {
  const v = body[key];
  if (v === undefined || v === null) return { ok: true, value: fallback };
  if (typeof v !== 'boolean') return invalid(key, `${key} must be true or false, got ${describeValue(v)}`);
  return { ok: true, value: v };
}

function parseStop(v: unknown): Parsed<string[]> {
  if (v === undefined || v === null || v === '') return { ok: true, value: [] };
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list))
    return invalid('stop', `stop must be a string or an array of strings, got ${describeValue(v)}`);
  if (list.length > MAX_STOP_STRINGS) {
    return invalid('stop', `stop holds ${list.length} strings; at most ${MAX_STOP_STRINGS} are accepted`);
  }
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (typeof s !== 'string' || s.length === 0 || s.length > MAX_STOP_CHARS) {
      return invalid(
        `stop[${i}]`,
        `stop[${i}] must be a non-empty string of at most ${MAX_STOP_CHARS} characters, got ${describeValue(s)}`,
      );
    }
  }
  return { ok: true, value: list as string[] };
}

function parseStopTokenIds(v: unknown, ignoreEos: boolean): Parsed<number[]> {
  let ids: number[] = [];
  if (v !== undefined && v !== null) {
    if (!Array.isArray(v)) return invalid('stop_token_ids', 'stop_token_ids must be an array of token ids');
    for (let i = 0; i < v.length; i++) {
      const t = v[i];
      if (!isInt(t) || t < 0 || t >= BYTE_VOCAB_SIZE) {
        return invalid(
          `stop_token_ids[${i}]`,
          `stop_token_ids[${i}] must be a token id, an integer in [0, ${BYTE_VOCAB_SIZE - 1}] (byte vocabulary), got ${describeValue(t)}`,
        );
      }
    }
    ids = v as number[];
  }
  return { ok: true, value: ignoreEos || ids.includes(EOS_ID) ? ids : [...ids, EOS_ID] };
}

/** Chat: `logprobs: true` (+ `top_logprobs: k`). Completions: `logprobs: k`. */
function parseLogprobs(kind: ApiKind, body: Body): Parsed<number | undefined> {
  const rule = `an integer in [0, ${MAX_LOGPROBS}]`;
  if (kind === 'completion') {
    const k = body.logprobs;
    if (k === undefined || k === null) return { ok: true, value: undefined };
    if (!isInt(k) || k < 0 || k > MAX_LOGPROBS)
      return invalid('logprobs', `logprobs must be ${rule}, got ${describeValue(k)}`);
    return { ok: true, value: k };
  }
  const want = optionalBoolean(body, 'logprobs');
  if (!want.ok) return want;
  const top = body.top_logprobs;
  if (top === undefined || top === null) return { ok: true, value: want.value ? 0 : undefined };
  if (!isInt(top) || top < 0 || top > MAX_LOGPROBS) {
    return invalid('top_logprobs', `top_logprobs must be ${rule}, got ${describeValue(top)}`);
  }
  if (!want.value) return invalid('top_logprobs', 'top_logprobs needs logprobs: true');
  return { ok: true, value: top };
}

export function parseSampling(kind: ApiKind, body: Body): Parsed<SamplingRequest> {
  const maxTokensParam =
    kind === 'chat' && body.max_completion_tokens !== undefined && body.max_completion_tokens !== null
      ? 'max_completion_tokens'
      : 'max_tokens';
  const raw = body[maxTokensParam];
  let maxTokens: number | undefined;
  if (raw !== undefined && raw !== null) {
    if (!isInt(raw) || raw < 1)
      return invalid(maxTokensParam, `${maxTokensParam} must be an integer ≥ 1, got ${describeValue(raw)}`);
    maxTokens = raw;
  }
  const temperature = num(body, 'temperature', 1, (v) => v >= 0, 'a number ≥ 0 (0 = greedy)');
  if (!temperature.ok) return temperature;
  const topP = num(body, 'top_p', 1, (v) => v > 0 && v <= 1, 'a number in (0, 1]');
  if (!topP.ok) return topP;
  const topK = num(body, 'top_k', 0, (v) => isInt(v) && v >= -1, 'an integer ≥ 0 (0 or -1 = disabled)');
  if (!topK.ok) return topK;
  let seed: number | undefined;
  if (body.seed !== undefined && body.seed !== null) {
    if (!isInt(body.seed) || body.seed < 0)
      return invalid('seed', `seed must be an integer ≥ 0, got ${describeValue(body.seed)}`);
    seed = body.seed;
  }
  const n = num(body, 'n', 1, (v) => isInt(v) && v >= 1 && v <= MAX_CHOICES, `an integer in [1, ${MAX_CHOICES}]`);
  if (!n.ok) return n;
  const stop = parseStop(body.stop);
  if (!stop.ok) return stop;
  const ignoreEos = optionalBoolean(body, 'ignore_eos');
  if (!ignoreEos.ok) return ignoreEos;
  const stopTokenIds = parseStopTokenIds(body.stop_token_ids, ignoreEos.value);
  if (!stopTokenIds.ok) return stopTokenIds;
  const logprobs = parseLogprobs(kind, body);
  if (!logprobs.ok) return logprobs;
  return {
    ok: true,
    value: {
      maxTokens,
      maxTokensParam,
      temperature: temperature.value,
      topP: topP.value,
      topK: Math.max(0, topK.value),
      seed,
      n: n.value,
      stop: stop.value,
      stopTokenIds: stopTokenIds.value,
      numTopLogprobs: logprobs.value,
    },
  };
}
