// vLLM's utility routes: GET /health (200, empty body, while the service serves), GET /version, and
// POST /tokenize and /detokenize with vLLM's request and response shapes. /tokenize takes a `prompt` (the
// completions form) or `messages` (+ `tools`, `add_generation_prompt`, `continue_final_message`: the chat
// form, rendered through the same chat template as /v1/chat/completions), so its `count` is exactly the
// prompt_tokens a generate request with the same input reports. The byte tokenizer adds no special tokens
// to a prompt, so `add_special_tokens` is accepted and changes nothing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BYTE_VOCAB_SIZE, decode } from '@oicf/tokenizer';
import type { HttpRoute } from '@oicf/transport';
import { chatPromptTokens } from '../core/chat-prompt.js';
import { describeValue, invalid, issue400, type Parsed } from '../core/generate-input.js';
import { tokenString } from '../core/logprob-format.js';
import { tokenize } from '../core/prompt.js';
import { checkModel } from '../core/validate-completion.js';
import { optionalBoolean } from '../core/validate-sampling.js';
import { sendIssue } from './api-errors.js';
import { readJsonBody } from './http-body.js';
import { sendJson } from './send-json.js';
import { routerVersion } from './version.js';

export interface VllmRouteDeps {
  readonly servedModel: string;
  readonly maxBodyBytes: number;
  /** vLLM's max_model_len: the context limit, or the router's prompt limit while no decode worker is known. */
  readonly maxModelLen: () => number;
}

type Body = Record<string, unknown>;
const TOKENIZE_KEYS = [
  'model',
  'prompt',
  'messages',
  'tools',
  'add_special_tokens',
  'return_token_strs',
  'add_generation_prompt',
  'continue_final_message',
];

function bodyIssue(raw: unknown, allowed: readonly string[], servedModel: string): Parsed<Body> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return invalid(null, 'the request body must be a JSON object');
  const body = raw as Body;
  const extra = Object.keys(body).find((k) => !allowed.includes(k));
  if (extra !== undefined)
    return issue400('unknown_parameter', extra, `Unrecognized request argument supplied: ${extra}`);
  if (body.model !== undefined && body.model !== null) {
    const issue = checkModel(body.model, servedModel);
    if (issue !== undefined) return { ok: false, issue };
  }
  return { ok: true, value: body };
}

function tokenizeBody(body: Body): Parsed<{ tokens: number[]; strs: boolean }> {
  for (const key of ['add_special_tokens', 'return_token_strs']) {
    const b = optionalBoolean(body, key);
    if (!b.ok) return b;
  }
  const strs = body.return_token_strs === true;
  const hasPrompt = body.prompt !== undefined && body.prompt !== null;
  const hasMessages = body.messages !== undefined && body.messages !== null;
  if (hasPrompt === hasMessages) return invalid(null, 'send exactly one of prompt (a string) and messages');
  if (hasMessages) {
    const tokens = chatPromptTokens(body);
    return tokens.ok ? { ok: true, value: { tokens: tokens.value, strs } } : tokens;
  }
  for (const key of ['tools', 'add_generation_prompt', 'continue_final_message']) {
    if (body[key] !== undefined && body[key] !== null) return invalid(key, `${key} applies to the messages form only`);
  }
  if (typeof body.prompt !== 'string')
    return invalid('prompt', `prompt must be a string, got ${describeValue(body.prompt)}`);
  return { ok: true, value: { tokens: tokenize(body.prompt), strs } };
}

function detokenizeBody(body: Body): Parsed<number[]> {
  const ids = body.tokens;
  if (!Array.isArray(ids)) return invalid('tokens', 'tokens is required: an array of token ids');
  for (let i = 0; i < ids.length; i++) {
    const t = ids[i];
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t >= BYTE_VOCAB_SIZE) {
      return invalid(
        `tokens[${i}]`,
        `tokens[${i}] must be a token id in [0, ${BYTE_VOCAB_SIZE - 1}], got ${describeValue(t)}`,
      );
    }
  }
  return { ok: true, value: ids as number[] };
}

async function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  deps: VllmRouteDeps,
  allowed: readonly string[],
): Promise<Body | undefined> {
  const raw = await readJsonBody(req, deps.maxBodyBytes);
  if (!raw.ok) {
    sendIssue(res, raw.issue);
    return undefined;
  }
  const body = bodyIssue(raw.value, allowed, deps.servedModel);
  if (!body.ok) {
    sendIssue(res, body.issue);
    return undefined;
  }
  return body.value;
}

export function vllmRoutes(deps: VllmRouteDeps): Record<string, HttpRoute> {
  return {
    'GET /health': (_req, res) => void res.writeHead(200, { 'content-length': 0 }).end(),
    'GET /version': (_req, res) => sendJson(res, 200, { version: routerVersion() }),
    'POST /tokenize': async (req, res) => {
      const body = await readBody(req, res, deps, TOKENIZE_KEYS);
      if (body === undefined) return;
      const parsed = tokenizeBody(body);
      if (!parsed.ok) return sendIssue(res, parsed.issue);
      const { tokens, strs } = parsed.value;
      sendJson(res, 200, {
        count: tokens.length,
        max_model_len: deps.maxModelLen(),
        tokens,
        ...(strs ? { token_strs: tokens.map(tokenString) } : {}),
      });
    },
    'POST /detokenize': async (req, res) => {
      const body = await readBody(req, res, deps, ['model', 'tokens']);
      if (body === undefined) return;
      const ids = detokenizeBody(body);
      if (!ids.ok) return sendIssue(res, ids.issue);
      sendJson(res, 200, { prompt: decode(ids.value) });
    },
  };
}
