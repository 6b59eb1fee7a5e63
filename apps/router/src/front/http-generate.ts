// POST /v1/completions and /v1/chat/completions: body → validation → admission → SSE stream or one JSON
// reply. A client that disconnects aborts the request (the decode worker gets a Cancel). Errors after the
// stream started are sent as an SSE event `{ error }` (the OpenAI SDKs raise it) before [DONE].
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '@oicf/transport';
import { type ApiIssue, invalid } from '../core/generate-input.js';
import {
  fullResponse,
  type ResponseMeta,
  SSE_DONE,
  sseData,
  streamChunk,
  usageBody,
  usageChunk,
} from '../core/openai-format.js';
import { type CompletionRequest, validateCompletion } from '../core/validate-completion.js';
import type { Logger } from '../logger.js';
import type { RouterMetrics } from '../metrics.js';
import type { RouterCore } from '../pipeline/router-core.js';
import type { DoneEvent, StreamEvent } from '../pipeline/types.js';
import { errorBody, issueFromError, rejectIssue, sendIssue, unavailableIssue } from './api-errors.js';
import { readJsonBody } from './http-body.js';

export interface HttpGenerateDeps {
  readonly core: RouterCore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: RouterMetrics;
  readonly limits: { servedModel: string; maxPromptTokens: number; defaultSessionTtlSeconds: number };
  readonly maxBodyBytes: number;
}

/** The pipeline's field name as this API spells it (chat: messages, max_completion_tokens when sent). */
function httpField(kind: 'completion' | 'chat', field: string, body: unknown): string {
  if (kind !== 'chat') return field;
  if (field === 'prompt') return 'messages';
  const sent = (body as Record<string, unknown>).max_completion_tokens;
  return field === 'max_tokens' && sent !== undefined && sent !== null ? 'max_completion_tokens' : field;
}

export function newRequestId(): string {
  return randomUUID().replaceAll('-', '');
}

export function generateRoute(kind: 'completion' | 'chat', deps: HttpGenerateDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await handle(kind, deps, req, res);
    } catch (err) {
      // A broken invariant (a bug): still answer in the API's error shape.
      deps.log.error('request_failed', { error: String(err) });
      const issue = issueFromError(err);
      deps.metrics.handled('http', String(issue.status));
      sendIssue(res, issue);
    }
  };
}

async function handle(
  kind: 'completion' | 'chat',
  deps: HttpGenerateDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const arrivalSeconds = deps.clock.nowSeconds();
  const fail = (issue: ApiIssue, headers?: Record<string, string>) => {
    deps.metrics.handled('http', String(issue.status));
    sendIssue(res, issue, headers);
  };
  const body = await readJsonBody(req, deps.maxBodyBytes);
  if (!body.ok) return fail(body.issue);
  const header = req.headers['x-oicf-session-id'];
  const parsed = validateCompletion(kind, body.value, deps.limits, typeof header === 'string' ? header : '');
  if (!parsed.ok) return fail(parsed.issue);
  const request = parsed.value;
  const requestId = newRequestId();
  const admission = await deps.core.admit({ ...request.input, requestId }, arrivalSeconds);
  if (admission.kind === 'reject') {
    return fail(rejectIssue(admission.reason, admission.message), {
      'retry-after': String(admission.retryAfterSeconds),
    });
  }
  if (admission.kind === 'unavailable') return fail(unavailableIssue(admission.message));
  if (admission.kind === 'invalid') {
    // Admission's only 'invalid' is the context limit: OpenAI's code for it, so clients (and replay) tell it apart.
    const issue = invalid(httpField(kind, admission.field, body.value), admission.message).issue;
    return fail({ ...issue, code: 'context_length_exceeded' });
  }
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const meta: ResponseMeta = {
    kind,
    requestId,
    model: request.model,
    created: Math.floor(Date.now() / 1000),
  };
  const events = admission.run(abort.signal);
  if (request.stream) await streamSse(deps, res, meta, request, events, abort.signal);
  else await replyOnce(deps, res, meta, events);
}

async function replyOnce(
  deps: HttpGenerateDeps,
  res: ServerResponse,
  meta: ResponseMeta,
  events: AsyncGenerator<StreamEvent>,
): Promise<void> {
  let text = '';
  let done: DoneEvent | undefined;
  try {
    for await (const ev of events) {
      text += ev.text;
      if (ev.kind === 'done') done = ev;
    }
  } catch (err) {
    const issue = issueFromError(err);
    deps.metrics.handled('http', String(issue.status));
    if (!res.destroyed) sendIssue(res, issue);
    return;
  }
  if (done === undefined) return;
  deps.metrics.handled('http', '200');
  const usage = usageBody(done.numPromptTokens, done.numCompletionTokens, done.numCachedTokens);
  const json = `${JSON.stringify(fullResponse(meta, text, done.finishReason, usage, done.info))}\n`;
  // With the length known before the head is written, Node sends head and body in one write, without
  // chunked framing (a head set without it is chunked: several buffers in a writev, and a terminator).
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    'x-oicf-request-id': meta.requestId,
  });
  res.end(json);
}

async function streamSse(
  deps: HttpGenerateDeps,
  res: ServerResponse,
  meta: ResponseMeta,
  request: CompletionRequest,
  events: AsyncGenerator<StreamEvent>,
  signal: AbortSignal,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-oicf-request-id': meta.requestId,
  });
  res.flushHeaders();
  const idOnly = { request_id: meta.requestId };
  try {
    for await (const ev of events) {
      if (signal.aborted) break;
      if (ev.kind === 'tokens') {
        // Skip empty deltas (held-back bytes, stop tokens) except the first, which marks TTFT.
        if (ev.text !== '' || ev.first)
          res.write(sseData(streamChunk(meta, { text: ev.text, first: ev.first, oicf: idOnly })));
        continue;
      }
      const oicfOnFinish = request.includeUsage ? idOnly : ev.info;
      res.write(sseData(streamChunk(meta, { text: ev.text, finishReason: ev.finishReason, oicf: oicfOnFinish })));
      if (request.includeUsage) {
        const usage = usageBody(ev.numPromptTokens, ev.numCompletionTokens, ev.numCachedTokens);
        res.write(sseData(usageChunk(meta, usage, ev.info)));
      }
      res.write(SSE_DONE);
      deps.metrics.handled('http', '200');
    }
  } catch (err) {
    const issue = issueFromError(err);
    deps.metrics.handled('http', String(issue.status));
    if (signal.aborted || res.destroyed) return;
    deps.log.warn('stream_failed', { requestId: meta.requestId, code: issue.code, message: issue.message });
    res.write(sseData({ ...errorBody(issue), oicf: idOnly }));
    res.write(SSE_DONE);
  } finally {
    if (!res.destroyed) res.end();
  }
}
