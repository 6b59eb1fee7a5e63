// Step 5 of docs/architecture.md: DecodeWorker.Decode, a server stream. With remote prefill the worker
// takes the handed-off KV and continues after the first token; with local prefill it gets the leased pool
// blocks as a KvSource and prefills the rest itself. Each chunk's tokens are relayed as they arrive; the
// final chunk carries usage and timings.
import type { DecodeRequest, PrefillResponse__Output, TokenChunk__Output } from '@oicf/proto';
import type { DecodeReport } from '@oicf/sched';
import { fromErrorDetail, OicfError, serverStreamCall } from '@oicf/transport';
import type { CachedPrefix } from './cached-prefix.js';
import type { RequestDeps, RoutedRequest } from './request-context.js';
import type { TokenEmitter } from './token-emitter.js';
import type { TokensEvent } from './types.js';
import { promptBlockRefs, samplingParams } from './wire-requests.js';
import type { WorkerCalls } from './worker-calls.js';

const FINISH: Record<string, 'stop' | 'length' | undefined> = {
  FINISH_REASON_STOP: 'stop',
  FINISH_REASON_LENGTH: 'length',
};

/** How the decode worker ended the request. */
export interface DecodeOutcome {
  readonly finishReason: 'stop' | 'length';
  readonly report: DecodeReport;
}

export interface DecodeStep {
  readonly prefix: CachedPrefix;
  /** Remote prefill's reply (undefined with local prefill). */
  readonly prefilled: PrefillResponse__Output | undefined;
  /** The prefill worker's first token is a stop token: the request ends with it. */
  readonly firstIsStop: boolean;
  /** Called on the first chunk: the worker has its prompt KV (local prefill is done, the lease can go). */
  readonly onFirstChunk: () => void;
}

/**
 * Streams Decode and yields each chunk's tokens; returns the finish reason and what the worker reported.
 * Throws the error the client sees: the worker's (an error chunk, a failed stream), the idle timeout's, or
 * a stream that ended without a final chunk, was cancelled, or produced no token.
 */
export async function* relayDecode(
  deps: RequestDeps,
  r: RoutedRequest,
  step: DecodeStep,
  calls: WorkerCalls,
  tokens: TokenEmitter,
): AsyncGenerator<TokensEvent, DecodeOutcome, undefined> {
  const { input, plan } = r;
  const remote = step.prefilled !== undefined;
  const workerId = plan.decode.workerId;
  const decodeReq: DecodeRequest = {
    requestId: input.requestId,
    promptTokenIds: input.promptTokenIds as number[],
    promptBlocks: promptBlockRefs(plan.blockIds, deps.config.blockTokens, deps.kvBytesPerToken),
    kvSources: remote ? [] : step.prefix.kvSources,
    numHandoffTokens: plan.numHandoffTokens,
    firstTokenId: step.prefilled?.firstTokenId ?? 0,
    // A first token that already ends the request: the worker still takes the handed-off KV, and
    // finishes at once (max_tokens counts the first token).
    maxTokens: step.firstIsStop ? 1 : input.maxTokens,
    sampling: samplingParams(input.sampling),
    sessionId: input.sessionId,
    sessionTtlSeconds: input.sessionTtlSeconds,
    // Waiting for an in-flight prefix (issue 16.1): the worker waits until its cache holds it, as long as
    // this call's idle timeout allows (less 5 s to compute it itself if it never comes).
    ...(plan.awaitPrefix !== undefined
      ? {
          numAwaitPrefixTokens: plan.awaitPrefix.numTokens,
          awaitPrefixRequestId: plan.awaitPrefix.requestId,
          kvWaitSeconds: Math.max(1, deps.config.decodeIdleTimeoutSeconds - 5),
        }
      : {}),
  };
  let final: TokenChunk__Output | undefined;
  let firstChunkAfterSeconds = 0;
  let sawChunk = false;
  calls.armIdleTimeout();
  try {
    for await (const chunk of serverStreamCall(calls.decodeClient, 'Decode', decodeReq, { signal: calls.signal })) {
      calls.chunkArrived();
      if (!sawChunk) {
        sawChunk = true;
        firstChunkAfterSeconds = chunk.emittedAfterSeconds;
        step.onFirstChunk();
      }
      if (chunk.finishReason === 'FINISH_REASON_ERROR' && !tokens.stopped) {
        throw fromErrorDetail(chunk.error ?? { code: 'INTERNAL', message: 'no error detail' });
      }
      // After a stop string the output is complete: later tokens are dropped while the worker stops.
      if (chunk.tokenIds.length > 0 && !tokens.stopped) {
        yield tokens.emit(chunk.tokenIds, chunk.logprobs);
        if (tokens.stopped) calls.cancelEarly('stop string');
      }
      // Not `break`: the worker ends the stream right after its last chunk, and letting it end
      // costs nothing where cancelling it costs an RST_STREAM and an error object.
      if (chunk.finishReason !== 'FINISH_REASON_UNSPECIFIED') final ??= chunk;
    }
  } catch (err) {
    // Stopped early by a stop string: a stream cut short after that (an aborted Cancel) loses nothing.
    if (!tokens.stopped) throw calls.failure(err, workerId, 'Decode');
  } finally {
    calls.disarmIdleTimeout();
  }
  if (final === undefined && !tokens.stopped) {
    throw new OicfError(
      'UNAVAILABLE',
      `decode worker ${workerId} ended the Decode stream of ${input.requestId} without a final chunk`,
    );
  }
  const finishReason = step.firstIsStop || tokens.stopped ? 'stop' : FINISH[final?.finishReason ?? ''];
  if (finishReason === undefined) {
    throw new OicfError('CANCELLED', `decode worker ${workerId} cancelled request ${input.requestId}`);
  }
  if (tokens.generated.length === 0) {
    throw new OicfError(
      'INTERNAL',
      `decode worker ${workerId} finished request ${input.requestId} without producing a token`,
    );
  }
  return {
    finishReason,
    report: {
      firstChunkAfterSeconds,
      numCachedPromptTokens: final?.usage?.numCachedPromptTokens ?? 0,
      queueSeconds: final?.timings?.queueSeconds ?? 0,
      kvReceiveSeconds: final?.timings?.kvReceiveSeconds ?? 0,
      decodeSeconds: final?.timings?.decodeSeconds ?? 0,
    },
  };
}
