// OpenAI wire objects for completions and chat completions (streamed chunks and whole responses), plus
// the SSE framing. Pure: the caller supplies ids, timestamps and every number, so tests compare whole
// objects. Field meanings follow the OpenAI API; `oicf` is this project's extension (router-api contract).

/** Where a request's time went and how it was placed (the contract's OicfInfo, snake_case on the wire). */
export interface OicfInfo {
  request_id: string;
  policy: string;
  reason: string;
  prefill_worker_id: string | null;
  decode_worker_id: string;
  num_cached_tokens: number;
  cache_source: 'worker' | 'pool' | 'none';
  predicted_ttft_seconds: number;
  ttft_seconds: number;
  e2e_seconds: number;
  kv_bytes_moved: number;
  timings: { queue_seconds: number; prefill_seconds: number; kv_transfer_seconds: number; decode_seconds: number };
}

/** The `oicf` extension of a finished response: choice 0's info, plus every choice's when n > 1. */
export type OicfBody = OicfInfo | (OicfInfo & { choices: OicfInfo[] });

export interface UsageBody {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
}

export type FinishReason = 'stop' | 'length';
export type ApiKind = 'completion' | 'chat';

/** One choice of a whole response. `logprobs` is already in the API's shape (logprob-format.ts), or null. */
export interface ChoiceResult {
  readonly text: string;
  readonly finishReason: FinishReason;
  readonly logprobs: unknown;
}

/** Identity shared by every chunk of one response. */
export interface ResponseMeta {
  readonly kind: ApiKind;
  readonly requestId: string;
  readonly model: string;
  /** Unix seconds of arrival (OpenAI `created`). */
  readonly created: number;
}

export function usageBody(numPromptTokens: number, numCompletionTokens: number, numCachedTokens: number): UsageBody {
  return {
    prompt_tokens: numPromptTokens,
    completion_tokens: numCompletionTokens,
    total_tokens: numPromptTokens + numCompletionTokens,
    prompt_tokens_details: { cached_tokens: numCachedTokens },
  };
}

function responseId(meta: ResponseMeta): string {
  return `${meta.kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${meta.requestId}`;
}

function base(meta: ResponseMeta, streamed: boolean) {
  const object = meta.kind === 'chat' ? (streamed ? 'chat.completion.chunk' : 'chat.completion') : 'text_completion';
  return { id: responseId(meta), object, created: meta.created, model: meta.model };
}

/**
 * One streamed chunk of choice `index` (default 0). `text` is the delta; `first` adds the chat role;
 * `finishReason` marks the choice's last content chunk; `logprobs` are the delta's, in the API's shape.
 * `oicf` is `{ request_id }` on every chunk and the full OicfInfo on the last one.
 */
export function streamChunk(
  meta: ResponseMeta,
  part: {
    text: string;
    index?: number;
    first?: boolean;
    finishReason?: FinishReason | null;
    logprobs?: unknown;
    oicf: Partial<OicfInfo>;
  },
): Record<string, unknown> {
  const finish_reason = part.finishReason ?? null;
  const index = part.index ?? 0;
  const logprobs = part.logprobs ?? null;
  const choice =
    meta.kind === 'chat'
      ? {
          index,
          delta: part.first === true ? { role: 'assistant', content: part.text } : { content: part.text },
          logprobs,
          finish_reason,
        }
      : { index, text: part.text, logprobs, finish_reason };
  return { ...base(meta, true), choices: [choice], oicf: part.oicf };
}

/** The usage chunk sent after the finish chunk when stream_options.include_usage is set (no choices). */
export function usageChunk(meta: ResponseMeta, usage: UsageBody, oicf: OicfBody): Record<string, unknown> {
  return { ...base(meta, true), choices: [], usage, oicf };
}

/** A whole (non-streamed) response; choice i gets index i. */
export function fullResponse(
  meta: ResponseMeta,
  choices: readonly ChoiceResult[],
  usage: UsageBody,
  oicf: OicfBody,
): Record<string, unknown> {
  const wire = choices.map((c, index) =>
    meta.kind === 'chat'
      ? {
          index,
          message: { role: 'assistant', content: c.text },
          logprobs: c.logprobs ?? null,
          finish_reason: c.finishReason,
        }
      : { index, text: c.text, logprobs: c.logprobs ?? null, finish_reason: c.finishReason },
  );
  // base()'s fields written out (no spread copy): id, object, created, model, then the body.
  return {
    id: responseId(meta),
    object: meta.kind === 'chat' ? 'chat.completion' : 'text_completion',
    created: meta.created,
    model: meta.model,
    choices: wire,
    usage,
    oicf,
  };
}

/** One server-sent event carrying a JSON object: `data: {json}\n\n`. */
export function sseData(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/** The stream terminator OpenAI clients wait for. */
export const SSE_DONE = 'data: [DONE]\n\n';
