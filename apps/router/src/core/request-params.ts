// Which top-level request parameters the OpenAI-compatible endpoints know, and what happens to each, so
// nothing a client sends is silently dropped (docs/openai.md "Parameters"):
//   handled   validated and honoured by validate-completion.ts and the modules it calls;
//   ignored   accepted and without effect on generation (platform metadata such as `store`);
//   neutral   known but not implemented: accepted only at the value that changes nothing, otherwise a 400
//             with OpenAI's `unsupported_parameter` code;
//   anything else is a 400 `unknown_parameter` ("Unrecognized request argument supplied", as OpenAI).
// A null value counts as absent, as in OpenAI's API.
import { type ApiIssue, describeValue, issue400 } from './generate-input.js';

export type ApiKind = 'completion' | 'chat';

const HANDLED_BOTH = [
  'model',
  'stream',
  'stream_options',
  'max_tokens',
  'temperature',
  'top_p',
  'seed',
  'n',
  'stop',
  'logprobs',
  'user',
  // vLLM extensions
  'top_k',
  'ignore_eos',
  'stop_token_ids',
  // oicf extensions (agent sessions)
  'session_id',
  'session_ttl_seconds',
];
const HANDLED: Record<ApiKind, ReadonlySet<string>> = {
  completion: new Set([...HANDLED_BOTH, 'prompt']),
  chat: new Set([
    ...HANDLED_BOTH,
    'messages',
    'max_completion_tokens',
    'top_logprobs',
    'tools',
    'tool_choice',
    'parallel_tool_calls',
    'add_generation_prompt',
    'continue_final_message',
  ]),
};

const IGNORED: Record<ApiKind, ReadonlySet<string>> = {
  completion: new Set(),
  chat: new Set(['metadata', 'store', 'service_tier', 'prompt_cache_key', 'safety_identifier']),
};

interface Neutral {
  readonly kinds: readonly ApiKind[];
  /** The value(s) accepted, in words. */
  readonly only: string;
  readonly accepts: (v: unknown) => boolean;
}

const both: ApiKind[] = ['completion', 'chat'];
const never = () => false;
const is = (x: unknown) => (v: unknown) => v === x;
const emptyObject = (v: unknown) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;

const NEUTRAL: Record<string, Neutral> = {
  best_of: { kinds: ['completion'], only: '1', accepts: is(1) },
  echo: { kinds: both, only: 'false', accepts: is(false) },
  suffix: { kinds: ['completion'], only: '""', accepts: is('') },
  presence_penalty: { kinds: both, only: '0', accepts: is(0) },
  frequency_penalty: { kinds: both, only: '0', accepts: is(0) },
  logit_bias: { kinds: both, only: '{}', accepts: emptyObject },
  response_format: {
    kinds: both,
    only: '{"type":"text"}',
    accepts: (v) => (v as { type?: unknown }).type === 'text' && Object.keys(v as object).length === 1,
  },
  functions: { kinds: ['chat'], only: 'none (use tools)', accepts: never },
  function_call: { kinds: ['chat'], only: 'none (use tool_choice)', accepts: never },
  modalities: {
    kinds: ['chat'],
    only: '["text"]',
    accepts: (v) => Array.isArray(v) && v.length === 1 && v[0] === 'text',
  },
  audio: { kinds: ['chat'], only: 'null', accepts: never },
  prediction: { kinds: ['chat'], only: 'null', accepts: never },
  reasoning_effort: { kinds: ['chat'], only: 'null (the served model does not reason)', accepts: never },
  web_search_options: { kinds: ['chat'], only: 'null', accepts: never },
  verbosity: { kinds: ['chat'], only: '"medium"', accepts: is('medium') },
  // vLLM sampling and output extensions
  min_p: { kinds: both, only: '0', accepts: is(0) },
  repetition_penalty: { kinds: both, only: '1', accepts: is(1) },
  length_penalty: { kinds: both, only: '1', accepts: is(1) },
  min_tokens: { kinds: both, only: '0', accepts: is(0) },
  use_beam_search: { kinds: both, only: 'false', accepts: is(false) },
  include_stop_str_in_output: { kinds: both, only: 'false', accepts: is(false) },
  skip_special_tokens: { kinds: both, only: 'true', accepts: is(true) },
  spaces_between_special_tokens: { kinds: both, only: 'true', accepts: is(true) },
  return_tokens_as_token_ids: { kinds: both, only: 'false', accepts: is(false) },
  prompt_logprobs: { kinds: both, only: 'null', accepts: never },
  truncate_prompt_tokens: { kinds: both, only: 'null', accepts: never },
  priority: { kinds: both, only: '0', accepts: is(0) },
  guided_json: { kinds: both, only: 'null', accepts: never },
  guided_regex: { kinds: both, only: 'null', accepts: never },
  guided_choice: { kinds: both, only: 'null', accepts: never },
  guided_grammar: { kinds: both, only: 'null', accepts: never },
  structured_outputs: { kinds: both, only: 'null', accepts: never },
  chat_template: { kinds: ['chat'], only: 'null (one template is built in)', accepts: never },
  chat_template_kwargs: { kinds: ['chat'], only: 'null', accepts: never },
  documents: { kinds: ['chat'], only: 'null', accepts: never },
};

/** The first top-level parameter that is unknown or unsupported at its value; undefined when all pass. */
export function parameterIssue(kind: ApiKind, body: Record<string, unknown>): ApiIssue | undefined {
  const handled = HANDLED[kind];
  const ignored = IGNORED[kind];
  for (const key in body) {
    if (!Object.hasOwn(body, key) || handled.has(key) || ignored.has(key)) continue;
    const value = body[key];
    // Own keys only: a body key such as "constructor" is an unknown parameter, not Object's property.
    const neutral = Object.hasOwn(NEUTRAL, key) ? NEUTRAL[key] : undefined;
    if (neutral === undefined || !neutral.kinds.includes(kind)) {
      return issue400('unknown_parameter', key, `Unrecognized request argument supplied: ${key}`).issue;
    }
    if (value === null || neutral.accepts(value)) continue;
    return issue400(
      'unsupported_parameter',
      key,
      `Unsupported parameter: '${key}' = ${describeValue(value)} is not supported by this server; accepted: ${neutral.only}`,
    ).issue;
  }
  return undefined;
}
