// POST /v1/completions and /v1/chat/completions: body → validation → one admitted request per choice (n)
// → SSE stream or one JSON reply. A client that disconnects aborts every choice (their decode workers get a
// Cancel). Errors after the stream started are sent as an SSE event `{ error }` (the OpenAI SDKs raise it)
// before [DONE]. A stream is written with backpressure, one socket write per event-loop turn (sse-writer.ts).
import { randomFillSync, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '@oicf/transport';
import { choiceInputs } from '../core/choice-inputs.js';
import type { ApiIssue, Parsed } from '../core/generate-input.js';
import { type ResponseMeta, SSE_DONE, sseData, streamChunk, usageChunk } from '../core/openai-format.js';
import { type CompletionRequest, type ValidationLimits, validateCompletion } from '../core/validate-completion.js';
import type { Logger } from '../logger.js';
import type { RouterMetrics } from '../metrics.js';
import { ClientAbort } from '../pipeline/client-abort.js';
import { ConsumerClosed } from '../pipeline/event-sink.js';
import type { RouterCore } from '../pipeline/router-core.js';
import type { StreamEvent } from '../pipeline/types.js';
import { type Accepted, admitChoices } from './admit-choices.js';
import { errorBody, issueFromError, sendIssue } from './api-errors.js';
import { ChoiceOutputs } from './choice-output.js';
import { readJsonBody } from './http-body.js';
import { mergeChoices } from './merge-choices.js';
import { fullResponseJson } from './reply-json.js';
import type { ReplySink } from './reply-sink.js';
import { SseWriter } from './sse-writer.js';

export interface HttpGenerateDeps {
  readonly core: RouterCore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: RouterMetrics;
  readonly limits: ValidationLimits;
  readonly maxBodyBytes: number;
  /** The context limit now (core/context-window.ts); undefined with no decode worker registered. */
  readonly contextTokens: () => number | undefined;
  /** n = 1: the pipeline calls the reply writer itself (else its events are pulled as for n > 1). */
  readonly oneChoiceRelay: boolean;
}

/** A fresh seed in [0, 2^48) for a request without one. */
export const randomSeed = (): number => randomInt(0, 2 ** 48 - 1);

/** The pipeline's field name as this API spells it (chat: messages, max_completion_tokens when sent). */
function httpField(request: CompletionRequest, field: string): string {
  if (request.kind !== 'chat') return field;
  if (field === 'prompt') return 'messages';
  return field === 'max_tokens' ? request.base.sampling.maxTokensParam : field;
}

/** Random bytes for request ids, drawn 4 KiB at a time (one 16-byte slice per id). */
const idEntropy = Buffer.alloc(4096);
let idOffset = idEntropy.length;

/** A fresh request id: 128 random bits as 32 lowercase hex digits. */
export function newRequestId(): string {
  if (idOffset === idEntropy.length) {
    randomFillSync(idEntropy);
    idOffset = 0;
  }
  const id = idEntropy.toString('hex', idOffset, idOffset + 16);
  idOffset += 16;
  return id;
}

/** Answers one generation request from its read body (either front door: node:http or fast-http). */
export type GenerateReply = (
  body: Parsed<unknown>,
  sessionId: string,
  res: ReplySink,
  arrivalSeconds: number,
) => Promise<void>;

export function generateReply(kind: 'completion' | 'chat', deps: HttpGenerateDeps): GenerateReply {
  return async (body, sessionId, res, arrivalSeconds) => {
    try {
      await handle(kind, deps, body, sessionId, res, arrivalSeconds);
    } catch (err) {
      failed(deps, res, err);
    }
  };
}

export function generateRoute(kind: 'completion' | 'chat', deps: HttpGenerateDeps) {
  const reply = generateReply(kind, deps);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const arrivalSeconds = deps.clock.nowSeconds();
    let body: Parsed<unknown>;
    try {
      body = await readJsonBody(req, deps.maxBodyBytes);
    } catch (err) {
      return failed(deps, res, err);
    }
    const header = req.headers['x-oicf-session-id'];
    await reply(body, typeof header === 'string' ? header : '', res, arrivalSeconds);
  };
}

/** A broken invariant (a bug) or a body cut off: still answered in the API's error shape. */
function failed(deps: HttpGenerateDeps, res: ReplySink, err: unknown): void {
  deps.log.error('request_failed', { error: String(err) });
  const issue = issueFromError(err);
  deps.metrics.handled('http', String(issue.status));
  sendIssue(res, issue);
}

async function handle(
  kind: 'completion' | 'chat',
  deps: HttpGenerateDeps,
  body: Parsed<unknown>,
  sessionId: string,
  res: ReplySink,
  arrivalSeconds: number,
): Promise<void> {
  const fail = (issue: ApiIssue, headers?: Record<string, string>) => {
    deps.metrics.handled('http', String(issue.status));
    sendIssue(res, issue, headers);
  };
  if (!body.ok) return fail(body.issue);
  const parsed = validateCompletion(kind, body.value, deps.limits, sessionId);
  if (!parsed.ok) return fail(parsed.issue);
  const request = parsed.value;
  const requestId = newRequestId();
  const inputs = choiceInputs(request.base, requestId, { longestSequenceTokens: deps.contextTokens(), randomSeed });
  const admitting = admitChoices(deps.core, inputs, arrivalSeconds, (f) => httpField(request, f));
  const admitted = admitting instanceof Promise ? await admitting : admitting;
  if (!admitted.ok) return fail(admitted.issue, admitted.headers);
  const abort = new ClientAbort();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  // A client that left while admission awaited the pool closed the reply before the listener was there.
  if (res.destroyed && !res.writableFinished) abort.abort();
  const meta: ResponseMeta = { kind, requestId, model: request.model, created: Math.floor(Date.now() / 1000) };
  const events: ChoiceEvents = (on) => eachChoiceEvent(admitted.choices, abort, deps.oneChoiceRelay, on);
  const outputs = new ChoiceOutputs(kind, inputs.length, request.base.sampling.numTopLogprobs !== undefined);
  if (request.stream) await streamSse(deps, res, meta, request, events, outputs, abort);
  else await replyOnce(deps, res, meta, events, outputs, abort);
}

/**
 * Hands every event of the request's choices to `on` (its promise: wait before the next event; throwing
 * ConsumerClosed stops the request and ends the delivery quietly). Resolves when every choice ended.
 */
type ChoiceEvents = (on: (index: number, event: StreamEvent) => Promise<void> | undefined) => Promise<void>;

/**
 * One choice (the common case): the pipeline calls `on` itself, from the worker's step frame to the reply
 * writer in one call chain. Several: their generators merged, each event passed to the same `on`.
 */
async function eachChoiceEvent(
  choices: readonly Accepted[],
  abort: ClientAbort,
  oneChoiceRelay: boolean,
  on: (index: number, event: StreamEvent) => Promise<void> | undefined,
): Promise<void> {
  if (choices.length === 1 && oneChoiceRelay) {
    // What `on` itself throws stops the pipeline as a closed generator would (cleanup, no failover), then
    // comes out here, as it would out of the loop below.
    let thrown: { error: unknown } | undefined;
    try {
      return await (choices[0] as Accepted).runTo(abort, (event) => {
        try {
          return on(0, event);
        } catch (error) {
          thrown = { error };
          throw error instanceof ConsumerClosed ? error : new ConsumerClosed();
        }
      });
    } catch (err) {
      throw thrown !== undefined ? thrown.error : err;
    }
  }
  for await (const { index, event } of mergeChoices(choices.map((c) => c.run(abort)))) {
    const waited = on(index, event);
    if (waited !== undefined) await waited;
  }
}

async function replyOnce(
  deps: HttpGenerateDeps,
  res: ReplySink,
  meta: ResponseMeta,
  events: ChoiceEvents,
  outputs: ChoiceOutputs,
  abort: ClientAbort,
): Promise<void> {
  try {
    await events((index, event) => {
      const c = outputs.at(index);
      c.text += event.text;
      if (event.kind === 'done') c.done = event;
      else outputs.deltaLogprobs(index, event.logprobs);
      return undefined;
    });
  } catch (err) {
    abort.abort();
    const issue = issueFromError(err);
    deps.metrics.handled('http', String(issue.status));
    if (!res.destroyed) sendIssue(res, issue);
    return;
  }
  if (!outputs.allDone) return;
  deps.metrics.handled('http', '200');
  const { usage, oicf } = outputs.summary();
  const json = `${fullResponseJson(meta, outputs.results(), usage, oicf)}\n`;
  // With the length known before the head is written, Node sends head and body in one write, without
  // chunked framing (a head set without it is chunked: several buffers in a writev, and a terminator).
  res.writeHead(200, [
    'content-type',
    'application/json',
    'content-length',
    String(Buffer.byteLength(json)),
    'x-oicf-request-id',
    meta.requestId,
  ]);
  res.end(json);
}

async function streamSse(
  deps: HttpGenerateDeps,
  res: ReplySink,
  meta: ResponseMeta,
  request: CompletionRequest,
  events: ChoiceEvents,
  outputs: ChoiceOutputs,
  abort: ClientAbort,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-oicf-request-id': meta.requestId,
  });
  res.flushHeaders();
  const sse = new SseWriter(res);
  const idOnly = { request_id: meta.requestId };
  const single = request.base.sampling.n === 1;
  try {
    await events((index, event) => {
      if (abort.aborted) throw new ConsumerClosed();
      const c = outputs.at(index);
      if (event.kind === 'tokens') {
        const logprobs = outputs.deltaLogprobs(index, event.logprobs);
        // Skip empty deltas (held-back bytes, stop tokens) unless they open the choice or carry logprobs.
        const first = !c.sentFirst;
        if (event.text !== '' || first || logprobs !== null) {
          sse.write(sseData(streamChunk(meta, { text: event.text, index, first, logprobs, oicf: idOnly })));
          c.sentFirst = true;
        }
      } else {
        c.done = event;
        // One choice: its full info on its finish chunk (or on the usage chunk). Several: each its own.
        const oicfOnFinish = single && request.includeUsage ? idOnly : event.info;
        const finish = { text: event.text, index, first: !c.sentFirst, finishReason: event.finishReason };
        sse.write(sseData(streamChunk(meta, { ...finish, oicf: oicfOnFinish })));
        c.sentFirst = true;
        if (outputs.allDone) {
          if (request.includeUsage) {
            const { usage, oicf } = outputs.summary();
            sse.write(sseData(usageChunk(meta, usage, oicf)));
          }
          sse.write(SSE_DONE);
          deps.metrics.handled('http', '200');
        }
      }
      // Backpressure: the next event is pulled once the client has taken what is buffered (after [DONE]
      // the pipeline only ends: res.end() queues behind the buffered bytes).
      return outputs.allDone ? undefined : sse.drained();
    });
  } catch (err) {
    // The client left (its events stopped at once, as a closed stream): nothing more to write.
    if (err instanceof ConsumerClosed) return;
    abort.abort();
    const issue = issueFromError(err);
    deps.metrics.handled('http', String(issue.status));
    if (res.destroyed || res.writableEnded) return;
    deps.log.warn('stream_failed', { requestId: meta.requestId, code: issue.code, message: issue.message });
    sse.write(sseData({ ...errorBody(issue), oicf: idOnly }));
    sse.write(SSE_DONE);
  } finally {
    if (!res.destroyed) res.end();
  }
}
