import type { Clock } from '@oicf/transport';
import { isFullOicfInfo, parseOicfInfo } from './oicf-info.js';
import { SseParser } from './sse-parser.js';
import type { Target, TargetEvent, TargetRequest, TargetUsage } from './target.js';

/**
 * The router over HTTP: `POST /v1/completions` with the prompt as token ids, `max_tokens` = the
 * trace's output length, `ignore_eos: true` (so exactly that many tokens come back), `stream: true`
 * with `stream_options.include_usage`, greedy sampling, and `session_id` for agent sessions. The
 * SSE stream is read chunk by chunk with `fetch` (Node 20).
 *
 * Token counting: a streamed chunk counts as `choices[0].token_ids.length` tokens when the router
 * sends token ids, else as one token, except a chunk with an empty text and a finish reason (a bare
 * end marker). The final usage's completion_tokens, when sent, overrides the count.
 */
export interface HttpTargetOptions {
  /** Router base URL, e.g. http://127.0.0.1:8080 (no trailing path). */
  readonly baseUrl: string;
  /** Served model id (`GET /v1/models`). */
  readonly model: string;
  readonly clock: Clock;
  /** Session TTL to ask for (seconds); the router's default when absent. */
  readonly sessionTtlSeconds?: number;
}

export function createHttpTarget(options: HttpTargetOptions): Target {
  const url = `${trimSlash(options.baseUrl)}/v1/completions`;
  return {
    async *send(request: TargetRequest, signal: AbortSignal): AsyncIterable<TargetEvent> {
      const now = () => options.clock.nowSeconds();
      const body: Record<string, unknown> = {
        model: options.model,
        prompt: request.promptTokenIds,
        max_tokens: request.maxTokens,
        ignore_eos: true,
        temperature: 0,
        stream: true,
        stream_options: { include_usage: true },
      };
      if (request.sessionId !== undefined) {
        body.session_id = request.sessionId;
        if (options.sessionTtlSeconds !== undefined) body.session_ttl_seconds = options.sessionTtlSeconds;
      }
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
          body: JSON.stringify(body),
          signal,
        });
      } catch (err) {
        if (signal.aborted) return;
        yield { kind: 'error', atSeconds: now(), httpStatus: null, code: 'network', message: describe(err) };
        return;
      }
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        if (signal.aborted) return;
        yield { kind: 'error', atSeconds: now(), httpStatus: response.status, ...httpError(response, text) };
        return;
      }
      if (response.body === null) {
        yield {
          kind: 'error',
          atSeconds: now(),
          httpStatus: response.status,
          code: 'empty-body',
          message: 'no response body',
        };
        return;
      }
      yield* readStream(response.body, response.status, now, signal);
    },
  };
}

async function* readStream(
  body: ReadableStream<Uint8Array>,
  status: number,
  now: () => number,
  signal: AbortSignal,
): AsyncIterable<TargetEvent> {
  const parser = new SseParser();
  const state: StreamState = { finishReason: null, usage: null, routing: null };
  const reader = body.getReader();
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (err) {
        if (signal.aborted) return;
        yield { kind: 'error', atSeconds: now(), httpStatus: status, code: 'network', message: describe(err) };
        return;
      }
      const events = chunk.done ? parser.end() : parser.push(chunk.value);
      const at = now();
      for (const e of events) {
        if (e.data === '[DONE]') {
          yield final(at, state);
          return;
        }
        const outcome = applyChunk(e.data, state, at, status);
        if (outcome?.kind === 'error') {
          yield outcome;
          return;
        }
        if (outcome) yield outcome;
      }
      if (chunk.done) break;
    }
  } finally {
    reader.releaseLock();
    if (signal.aborted) await body.cancel().catch(() => {});
  }
  if (signal.aborted) return;
  // No [DONE]: accept a stream that at least said how it finished, else it broke off.
  if (state.finishReason !== null) yield final(now(), state);
  else {
    yield {
      kind: 'error',
      atSeconds: now(),
      httpStatus: status,
      code: 'incomplete-stream',
      message: 'the event stream ended without a finish reason or [DONE]',
    };
  }
}

interface StreamState {
  finishReason: string | null;
  usage: TargetUsage | null;
  routing: ReturnType<typeof parseOicfInfo>;
}

/** Folds one `data:` payload into the state; returns a token or error event when it is one. */
function applyChunk(data: string, state: StreamState, at: number, status: number): TargetEvent | undefined {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(data) as Record<string, unknown>;
  } catch {
    return { kind: 'error', atSeconds: at, httpStatus: status, code: 'bad-chunk', message: `not JSON: ${clip(data)}` };
  }
  if (typeof json.error === 'object' && json.error !== null) {
    const e = json.error as Record<string, unknown>;
    return {
      kind: 'error',
      atSeconds: at,
      httpStatus: status,
      code: typeof e.code === 'string' ? e.code : 'stream-error',
      message: typeof e.message === 'string' ? e.message : clip(data),
    };
  }
  if (isFullOicfInfo(json.oicf)) state.routing = parseOicfInfo(json.oicf);
  if (typeof json.usage === 'object' && json.usage !== null) state.usage = parseUsage(json.usage);
  const choice = Array.isArray(json.choices) ? (json.choices[0] as Record<string, unknown> | undefined) : undefined;
  if (choice === undefined) return undefined;
  const finish = typeof choice.finish_reason === 'string' ? choice.finish_reason : null;
  if (finish !== null) state.finishReason = finish;
  const ids = choice.token_ids;
  const text = typeof choice.text === 'string' ? choice.text : undefined;
  const numTokens = Array.isArray(ids) ? ids.length : text === '' && finish !== null ? 0 : text === undefined ? 0 : 1;
  return numTokens > 0 ? { kind: 'token', atSeconds: at, numTokens } : undefined;
}

function final(at: number, state: StreamState): TargetEvent {
  return { kind: 'final', atSeconds: at, finishReason: state.finishReason, usage: state.usage, routing: state.routing };
}

function parseUsage(value: object): TargetUsage {
  const u = value as Record<string, unknown>;
  const details = (
    typeof u.prompt_tokens_details === 'object' && u.prompt_tokens_details !== null ? u.prompt_tokens_details : {}
  ) as Record<string, unknown>;
  const int = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    promptTokens: int(u.prompt_tokens),
    completionTokens: int(u.completion_tokens),
    cachedTokens: int(details.cached_tokens),
  };
}

/** An error response's code (OpenAI shape `{ error: { code, message } }`) and message. */
function httpError(response: Response, text: string): { code: string; message: string } {
  let code = `http-${response.status}`;
  let message = clip(text) || response.statusText;
  try {
    const e = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    if (typeof e?.code === 'string' && e.code !== '') code = e.code;
    if (typeof e?.message === 'string') message = e.message;
  } catch {
    // not JSON: keep the status-derived code and the raw text
  }
  const retryAfter = response.headers.get('retry-after');
  return { code, message: retryAfter ? `${message} (Retry-After: ${retryAfter})` : message };
}

/** `GET /v1/models` → the first served model id; throws with a clear message when unreachable or empty. */
export async function discoverModel(baseUrl: string, signal?: AbortSignal): Promise<string> {
  const url = `${trimSlash(baseUrl)}/v1/models`;
  let response: Response;
  try {
    response = await fetch(url, signal ? { signal } : {});
  } catch (err) {
    throw new Error(`cannot reach the router at ${url}: ${describe(err)}`);
  }
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  const body = (await response.json().catch(() => null)) as { data?: { id?: unknown }[] } | null;
  const id = body?.data?.[0]?.id;
  if (typeof id !== 'string' || id === '') throw new Error(`${url} lists no model (expected { data: [{ id }] })`);
  return id;
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
