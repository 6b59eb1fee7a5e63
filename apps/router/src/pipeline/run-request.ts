// Running one routed request:
//
//   lease pool blocks ─▶ [remote] PrefillWorker.Prefill ─▶ first token to the client ─▶ release lease
//                      ─▶ DecodeWorker.Decode (server stream) ─▶ relay chunks ─▶ done (usage + OicfInfo)
//
// In local prefill (colocated, or the policy skipped remote prefill) Decode gets the pool blocks as a
// KvSource and prefills the rest itself; the lease is released once its first chunk shows it has the KV.
// Aborting `signal` (client gone) cancels the in-flight gRPC call and sends DecodeWorker.Cancel. Every
// wait has a timeout with a message naming the worker. The router's in-flight load for the workers is
// held from start to end.
import type { DecodeRequest, PrefillResponse__Output, TokenChunk__Output } from '@oicf/proto';
import { fromErrorDetail, isOicfError, OicfError, serverStreamCall, toOicfError, unaryCall } from '@oicf/transport';
import type { PoolLease } from '../adapters/pool-client.js';
import type { GenerateInput } from '../core/generate-input.js';
import { extendedBlockIds } from '../core/prompt.js';
import {
  type DecodeReport,
  interTokenGaps,
  type PrefillReport,
  type RoutingSummary,
  summarizeRequest,
} from '../core/request-summary.js';
import type { PoolBlock } from '../core/route-request.js';
import { TextRelay } from '../core/text-relay.js';
import type { WorkerRegistration } from '../core/worker-table.js';
import type { RouterCoreDeps } from './router-core.js';
import type { StreamEvent } from './types.js';
import { leasePoolBlocks, poolSources, promptBlockRefs, samplingParams } from './wire-requests.js';

export interface RoutedRequest {
  readonly input: GenerateInput;
  readonly arrivalSeconds: number;
  readonly routing: RoutingSummary;
  readonly blockIds: readonly string[];
  /** Pool blocks the prefilling worker may reuse (leading, ≤ prompt − 1 tokens). */
  readonly poolBlocks: readonly PoolBlock[];
  /** Leading prompt blocks the router's index says the decode worker holds. */
  readonly decodePrefixBlocks: number;
  readonly decode: WorkerRegistration;
  readonly prefill: WorkerRegistration | undefined;
}

const FINISH: Record<string, 'stop' | 'length' | undefined> = {
  FINISH_REASON_STOP: 'stop',
  FINISH_REASON_LENGTH: 'length',
};

export async function* runRequest(
  deps: RouterCoreDeps,
  r: RoutedRequest,
  signal: AbortSignal,
): AsyncGenerator<StreamEvent, void, undefined> {
  const { config, clock, log, pool, clients, registry, inflight, metrics } = deps;
  const { input, routing } = r;
  const bt = config.blockTokens;
  const numPrompt = input.promptTokenIds.length;
  const remote = r.prefill !== undefined;
  const prefillerId = r.prefill?.workerId ?? r.decode.workerId;
  let pendingPrefillTokens = numPrompt - routing.numCachedTokens;
  const reserved = { numSequences: 1, kvBytes: (numPrompt + input.maxTokens) * deps.kvBytesPerToken };
  inflight.adjust(r.decode.workerId, reserved);
  inflight.adjust(prefillerId, { prefillTokens: pendingPrefillTokens });
  const prefillDone = () => {
    inflight.adjust(prefillerId, { prefillTokens: -pendingPrefillTokens });
    pendingPrefillTokens = 0;
  };

  const relay = new TextRelay();
  const generated: number[] = [];
  const emissions: Array<{ atSeconds: number; numTokens: number }> = [];
  const emit = (ids: readonly number[]): StreamEvent => {
    const atSeconds = clock.nowSeconds();
    generated.push(...ids);
    emissions.push({ atSeconds, numTokens: ids.length });
    return { kind: 'tokens', tokenIds: ids, text: relay.push(ids), first: emissions.length === 1, atSeconds };
  };

  let lease: PoolLease | undefined;
  const releaseLease = () => {
    if (lease === undefined || lease.leaseId === '') return;
    const id = lease.leaseId;
    lease = undefined;
    pool.release(id).catch((err: unknown) => log.warn('pool_release_failed', { leaseId: id, error: String(err) }));
  };
  const decodeClient = clients.decodeClient(r.decode.grpcAddress);
  let finished = false;
  const call = new AbortController();
  const onAbort = () => call.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  // The Decode stream's idle timeout: one timer for the whole stream, re-armed with refresh() on every
  // chunk (a Timeout per chunk would cost an allocation and a timer-list insert each time).
  let idleTimer: NodeJS.Timeout | undefined;
  let idleWhat = 'first chunk';
  let timeoutError: OicfError | undefined;
  const onIdle = () => {
    timeoutError = new OicfError(
      'DEADLINE_EXCEEDED',
      `decode worker ${r.decode.workerId} sent no ${idleWhat} within ${config.decodeIdleTimeoutSeconds} s (decodeIdleTimeoutSeconds): the request was cancelled`,
    );
    call.abort();
  };
  const failure = (err: unknown, workerId: string, what: string): OicfError => {
    if (signal.aborted) return new OicfError('CANCELLED', `request ${input.requestId} was cancelled by the client`);
    if (timeoutError !== undefined) return timeoutError;
    const e = toOicfError(err);
    if (e.code === 'UNAVAILABLE') registry.markFailed(workerId, e.message);
    return new OicfError(e.code, `${what} on worker ${workerId} failed: ${e.message}`, { field: e.field, cause: e });
  };

  try {
    // 1. Pin the pool blocks the prefilling worker will read.
    let sourceBlocks: PoolBlock[] = [];
    if (r.poolBlocks.length > 0 && (remote || r.poolBlocks.length > r.decodePrefixBlocks)) {
      const leased = await leasePoolBlocks(pool, r.poolBlocks, config.leaseTtlSeconds, input.requestId, log);
      lease = leased.lease;
      sourceBlocks = leased.blocks;
    }
    const kvSources = poolSources(pool.wsAddress, lease?.leaseId ?? '', sourceBlocks);
    const poolBytes = sourceBlocks.reduce((s, b) => s + b.sizeBytes, 0);
    const sampling = samplingParams(input.sampling);
    const promptBlocks = promptBlockRefs(r.blockIds, bt, deps.kvBytesPerToken);

    // 2. Remote prefill: the first token comes from the prefill worker.
    let prefillRes: PrefillResponse__Output | undefined;
    let firstIsStop = false;
    const decodeCachedTokens = remote ? Math.min(r.decodePrefixBlocks, Math.floor((numPrompt - 1) / bt)) * bt : 0;
    if (r.prefill !== undefined) {
      try {
        prefillRes = await unaryCall(
          clients.prefillClient(r.prefill.grpcAddress),
          'Prefill',
          {
            requestId: input.requestId,
            // Read-only use: protobufjs serializes the array and keeps no reference (no copy of a long prompt).
            tokenIds: input.promptTokenIds as number[],
            cachedPrefix: kvSources,
            decodeWsAddress: r.decode.wsAddress,
            poolWsAddress: pool.wsAddress,
            sessionId: input.sessionId,
            sessionTtlSeconds: input.sessionTtlSeconds,
            sampling,
            numDecodeCachedTokens: decodeCachedTokens,
          },
          { timeoutSeconds: config.prefillTimeoutSeconds, signal: call.signal },
        );
      } catch (err) {
        throw failure(err, r.prefill.workerId, 'Prefill');
      }
      prefillDone();
      releaseLease();
      metrics.kvMoved('pool->prefill', poolBytes);
      metrics.kvMoved('prefill->decode+pool', prefillRes.kvBytesSent);
      firstIsStop = input.sampling.stopTokenIds.includes(prefillRes.firstTokenId);
      yield emit([prefillRes.firstTokenId]);
    }

    // 3. Decode: relay the worker's chunks.
    const decodeReq: DecodeRequest = {
      requestId: input.requestId,
      promptTokenIds: input.promptTokenIds as number[],
      promptBlocks,
      kvSources: remote ? [] : kvSources,
      numHandoffTokens: remote ? numPrompt - decodeCachedTokens : 0,
      firstTokenId: prefillRes?.firstTokenId ?? 0,
      // A first token that already ends the request: the worker still takes the handed-off KV, and
      // finishes at once (max_tokens counts the first token).
      maxTokens: firstIsStop ? 1 : input.maxTokens,
      sampling,
      sessionId: input.sessionId,
      sessionTtlSeconds: input.sessionTtlSeconds,
    };
    let final: TokenChunk__Output | undefined;
    let firstChunkAfterSeconds = 0;
    let sawChunk = false;
    idleTimer = setTimeout(onIdle, config.decodeIdleTimeoutSeconds * 1000);
    try {
      for await (const chunk of serverStreamCall(decodeClient, 'Decode', decodeReq, { signal: call.signal })) {
        idleWhat = 'chunk';
        idleTimer.refresh();
        if (!sawChunk) {
          sawChunk = true;
          firstChunkAfterSeconds = chunk.emittedAfterSeconds;
          if (!remote) {
            prefillDone();
            releaseLease();
            metrics.kvMoved('pool->decode', poolBytes);
          }
        }
        if (chunk.finishReason === 'FINISH_REASON_ERROR') {
          throw fromErrorDetail(chunk.error ?? { code: 'INTERNAL', message: 'no error detail' });
        }
        if (chunk.tokenIds.length > 0) yield emit(chunk.tokenIds);
        // Not `break`: the worker ends the stream right after its last chunk, and letting it end
        // costs nothing where cancelling it costs an RST_STREAM and an error object.
        if (chunk.finishReason !== 'FINISH_REASON_UNSPECIFIED') final ??= chunk;
      }
    } catch (err) {
      throw failure(err, r.decode.workerId, 'Decode');
    } finally {
      clearTimeout(idleTimer);
    }
    if (final === undefined) {
      throw new OicfError(
        'UNAVAILABLE',
        `decode worker ${r.decode.workerId} ended the Decode stream of ${input.requestId} without a final chunk`,
      );
    }
    const finishReason = firstIsStop ? 'stop' : FINISH[final.finishReason];
    if (finishReason === undefined) {
      throw new OicfError('CANCELLED', `decode worker ${r.decode.workerId} cancelled request ${input.requestId}`);
    }
    if (generated.length === 0) {
      throw new OicfError(
        'INTERNAL',
        `decode worker ${r.decode.workerId} finished request ${input.requestId} without producing a token`,
      );
    }
    finished = true;
    const endSeconds = clock.nowSeconds();
    const decodeReport: DecodeReport = {
      firstChunkAfterSeconds,
      numCachedPromptTokens: final.usage?.numCachedPromptTokens ?? 0,
      queueSeconds: final.timings?.queueSeconds ?? 0,
      kvReceiveSeconds: final.timings?.kvReceiveSeconds ?? 0,
      decodeSeconds: final.timings?.decodeSeconds ?? 0,
    };
    const prefillReport: PrefillReport | undefined =
      prefillRes === undefined
        ? undefined
        : {
            numCachedTokens: prefillRes.numCachedTokens,
            kvBytesSent: prefillRes.kvBytesSent,
            queueSeconds: prefillRes.timings?.queueSeconds ?? 0,
            fetchKvSeconds: prefillRes.timings?.fetchKvSeconds ?? 0,
            computeSeconds: prefillRes.timings?.computeSeconds ?? 0,
            sendKvSeconds: prefillRes.timings?.sendKvSeconds ?? 0,
          };
    const summary = summarizeRequest({
      routing,
      numPromptTokens: numPrompt,
      numCompletionTokens: generated.length,
      arrivalSeconds: r.arrivalSeconds,
      firstTokenSeconds: (emissions[0] as { atSeconds: number }).atSeconds,
      endSeconds,
      prefill: prefillReport,
      decode: decodeReport,
      poolBytes,
      decodeWorkerPrefixTokens: r.decodePrefixBlocks * bt,
    });
    // What the transfers took teaches the cost model its links (core/transfer-links.ts).
    if (prefillReport !== undefined) {
      deps.links.observe({
        prefillPoolTokens: prefillReport.numCachedTokens,
        prefillFetchSeconds: prefillReport.fetchKvSeconds,
        handoffTokens: numPrompt - decodeCachedTokens,
        handoffSeconds: prefillReport.sendKvSeconds,
      });
    } else {
      deps.links.observe({
        decodePoolTokens: decodeReport.numCachedPromptTokens - Math.min(r.decodePrefixBlocks * bt, numPrompt),
        decodeFetchSeconds: decodeReport.kvReceiveSeconds,
      });
    }
    metrics.finished({
      ttftSeconds: summary.info.ttft_seconds,
      interTokenSeconds: interTokenGaps(emissions),
      e2eSeconds: summary.info.e2e_seconds,
      queueSeconds: summary.info.timings.queue_seconds,
      prefillSeconds: summary.info.timings.prefill_seconds,
      decodeSeconds: summary.info.timings.decode_seconds,
      numPromptTokens: numPrompt,
      numCompletionTokens: generated.length,
      numCachedTokens: summary.numCachedTokens,
      cacheSource: summary.info.cache_source,
      finishReason,
      predictedTtftSeconds: routing.predictedTtftSeconds,
    });
    // The decode worker keeps the full blocks of prompt + output whose KV it computed (all but the
    // last sampled token, which was never fed back); the prompt's ids are extended, not recomputed.
    deps.prefixIndex.record(
      r.decode.workerId,
      extendedBlockIds(r.blockIds, input.promptTokenIds, generated.slice(0, -1), bt),
    );
    yield {
      kind: 'done',
      finishReason,
      text: relay.end(),
      numPromptTokens: numPrompt,
      numCompletionTokens: generated.length,
      numCachedTokens: summary.numCachedTokens,
      info: summary.info,
      tokenIds: generated,
    };
  } finally {
    clearTimeout(idleTimer);
    signal.removeEventListener('abort', onAbort);
    releaseLease();
    prefillDone();
    inflight.adjust(r.decode.workerId, { numSequences: -reserved.numSequences, kvBytes: -reserved.kvBytes });
    if (!finished) {
      call.abort();
      const reason = signal.aborted ? 'client disconnected' : 'request failed at the router';
      unaryCall(decodeClient, 'Cancel', { requestId: input.requestId, reason }, { timeoutSeconds: 5 }).then(
        (res) => log.info('request_cancelled', { requestId: input.requestId, reason, cancelled: res.cancelled }),
        (err: unknown) =>
          log.warn('cancel_failed', {
            requestId: input.requestId,
            error: isOicfError(err) ? err.message : String(err),
          }),
      );
    }
  }
}
