// Step 5 of docs/architecture.md: a `decode` frame to the decode worker over its request channel; its
// tokens come back in the worker's `decode.step` frames (one per engine step for all its sequences) and are
// relayed as they arrive, merged per event-loop turn. With remote prefill the worker takes the handed-off KV
// and continues after the first token; with local prefill it gets the leased pool blocks as a KvSource and
// prefills the rest itself. The last output carries usage and timings.
import type { DecodeRequest, PrefillResponse__Output } from '@oicf/proto';
import type { DecodeReport } from '@oicf/sched';
import { OicfError, type PlaneChannel } from '@oicf/transport';
import { DecodeMigrations } from '../failover/decode-migration.js';
import type { CachedPrefix } from './cached-prefix.js';
import { DecodeRelay } from './decode-relay.js';
import { ConsumerClosed, type EventSink } from './event-sink.js';
import type { RequestDeps, RoutedRequest } from './request-context.js';
import type { TokenEmitter } from './token-emitter.js';
import { promptBlockRefs, samplingParams } from './wire-requests.js';
import type { WorkerCalls } from './worker-calls.js';

const FINISH: Record<string, 'stop' | 'length' | undefined> = {
  FINISH_REASON_STOP: 'stop',
  FINISH_REASON_LENGTH: 'length',
};

/**
 * Most tokens one relayed event carries. Tokens that arrived while the client was not reading (backpressure
 * at the front door) go out in events of at most this many, so no single write is the whole backlog.
 */
export const MAX_TOKENS_PER_EVENT = 256;

/** How the decode worker ended the request. */
export interface DecodeOutcome {
  readonly finishReason: 'stop' | 'length';
  readonly report: DecodeReport;
  /** The request as it ended: after a migration, its plan names the decode worker that finished it. */
  readonly request: RoutedRequest;
}

export interface DecodeStep {
  readonly prefix: CachedPrefix;
  /** Remote prefill's reply (undefined with local prefill). */
  readonly prefilled: PrefillResponse__Output | undefined;
  /** The prefill worker's first token is a stop token: the request ends with it. */
  readonly firstIsStop: boolean;
  /** Called on the first output: the worker has its prompt KV (local prefill is done, the lease can go). */
  readonly onFirstChunk: () => void;
  /** Called on the last output: the worker is done with the sequence (even if the client still reads). */
  readonly onLastChunk: () => void;
  /**
   * The request moves to another decode worker (its previous one failed mid-stream): its in-flight load
   * moves with it. Returns what to call on the new worker's first output.
   */
  readonly onMigrated: (next: RoutedRequest) => () => void;
}

/**
 * Starts the decode and hands its tokens to `sink`; returns the finish reason and what the worker reported. Throws
 * the error the client sees: the worker's (an error frame or output, a closed channel), the idle timeout's,
 * or a stream that was cancelled or produced no token.
 */
export async function relayDecode(
  deps: RequestDeps,
  r: RoutedRequest,
  step: DecodeStep,
  calls: WorkerCalls,
  tokens: TokenEmitter,
  sink: EventSink,
): Promise<DecodeOutcome> {
  const { input } = r;
  const remote = step.prefilled !== undefined;
  let request = r;
  const idleSeconds = deps.config.decodeIdleTimeoutSeconds;
  const newRelay = (next: number, onFirst: () => void) =>
    new DecodeRelay(input.requestId, next, idleSeconds * 1000, onFirst, step.onLastChunk, (awaited) =>
      calls.timedOut(
        new OicfError(
          'DEADLINE_EXCEEDED',
          `decode worker ${request.plan.decode.workerId} sent no ${awaited} within ${idleSeconds} s (decodeIdleTimeoutSeconds): the request was cancelled`,
        ),
      ),
    );
  let relay = newRelay(remote ? 1 : 0, step.onFirstChunk);
  let decodeReq = firstDecodeRequest(deps, r, step);
  const migrations = new DecodeMigrations(deps, () => calls.clientLeft);
  try {
    for (;;) {
      try {
        const opened = calls.channelTo(request.plan.decode);
        const channel: PlaneChannel = opened instanceof Promise ? await opened : opened;
        calls.begin(channel, relay, 'decode', decodeReq);
        for (;;) {
          const wait = relay.waiting();
          if (wait !== undefined) await wait;
          const ids = relay.take(MAX_TOKENS_PER_EVENT);
          const logprobs = relay.takeLogprobs(ids.length);
          // After a stop string the output is complete: later tokens are dropped while the worker stops.
          if (ids.length > 0 && !tokens.stopped) {
            const waited = sink(tokens.emit(ids, logprobs));
            if (waited !== undefined) await waited;
            if (tokens.stopped) calls.cancelEarly('stop string');
          }
          if (relay.error !== undefined) throw relay.error;
          if (relay.final !== undefined && !relay.hasPending) break;
        }
        break;
      } catch (err) {
        // The consumer closed: no failover, only the cleanup (as a generator closed at its yield).
        if (err instanceof ConsumerClosed) throw err;
        // Not calls.end(): a call the worker has not settled (a gap in the indexes) is cancelled by close().
        // Stopped early by a stop string: a call that failed after that (a closed channel) loses nothing.
        if (tokens.stopped) break;
        const failure = calls.failure(err, request.plan.decode.workerId, 'Decode');
        // Tokens that arrived before the failure are the client's: relay them, then resume after them.
        while (relay.hasPending && !tokens.stopped) {
          const ids = relay.take(MAX_TOKENS_PER_EVENT);
          const waited = sink(tokens.emit(ids, relay.takeLogprobs(ids.length)));
          if (waited !== undefined) await waited;
        }
        if (tokens.stopped) break;
        if (tokens.generated.length !== relay.numRelayed) throw failure; // never resume from a wrong index
        const next = await migrations.next(request, failure, tokens.generated);
        calls.end(); // the failed call is settled (its channel closed); the next one becomes the call in flight
        request = next.request;
        decodeReq = next.decodeReq;
        const onFirst = step.onMigrated(request);
        relay = newRelay(relay.numRelayed, () => {
          migrations.releasePrefix();
          onFirst();
        });
      }
    }
  } finally {
    migrations.releasePrefix();
  }
  calls.end();
  const final = relay.final;
  const finishReason = step.firstIsStop || tokens.stopped ? 'stop' : FINISH[final?.finishReason ?? ''];
  const workerId = request.plan.decode.workerId;
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
    request,
    report: {
      firstChunkAfterSeconds: relay.firstChunkAfterSeconds,
      numCachedPromptTokens: final?.usage?.numCachedPromptTokens ?? 0,
      queueSeconds: final?.timings?.queueSeconds ?? 0,
      kvReceiveSeconds: final?.timings?.kvReceiveSeconds ?? 0,
      decodeSeconds: final?.timings?.decodeSeconds ?? 0,
    },
  };
}

/** The Decode of a request's first decode worker (after its remote prefill, or prefilling locally). */
function firstDecodeRequest(deps: RequestDeps, r: RoutedRequest, step: DecodeStep): DecodeRequest {
  const { input, plan } = r;
  const remote = step.prefilled !== undefined;
  return {
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
}
