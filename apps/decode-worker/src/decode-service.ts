import type { FinishReason as EngineFinishReason } from '@oicf/engine';
import type { LocalBlockCache } from '@oicf/kv';
import type {
  CancelRequest__Output,
  CancelResponse,
  DecodeRequest__Output,
  FinishReason,
  TokenChunk,
} from '@oicf/proto';
import { type CallContext, OicfError, toErrorDetail, toOicfError } from '@oicf/transport';
import { samplingFromProto, type WorkerRuntime } from '@oicf/worker';
import type { DecodeLoop } from './decode-loop.js';
import { checkPromptBlocks, validateDecodeRequest } from './decode-request.js';
import type { FinishedBlocks } from './finished-blocks.js';
import type { HandoffStore } from './handoff-store.js';
import { gatherKv } from './kv-gather.js';
import type { LandedPrompts } from './landed-prompts.js';
import type { DecodeMetrics } from './metrics.js';
import { RequestTimeline } from './request-timeline.js';
import { TokenStream } from './token-stream.js';

const FINISH: Record<EngineFinishReason, FinishReason> = {
  stop: 'FINISH_REASON_STOP',
  length: 'FINISH_REASON_LENGTH',
  cancelled: 'FINISH_REASON_CANCELLED',
};

/** UTF-8 bytes of byte-level tokens (ids < 256 are bytes; specials carry no text). */
function textBytes(ids: readonly number[]): Buffer {
  return Buffer.from(ids.filter((t) => t < 256));
}

/**
 * DecodeWorker.Decode and Cancel: gather the prompt's KV, join the engine's batch, stream one
 * TokenChunk per step (the first token is not re-sent when a prefill worker sampled it: the router has
 * already streamed it), and end with usage and timings. Failures before the first chunk end the call
 * with a gRPC status; a kernel failure later ends the stream with a FINISH_REASON_ERROR chunk.
 */
export class DecodeService {
  private readonly active = new Map<string, AbortController>();

  constructor(
    private readonly rt: WorkerRuntime,
    private readonly deps: {
      loop: DecodeLoop;
      cache: LocalBlockCache;
      handoffs: HandoffStore;
      finished: FinishedBlocks;
      /** In-flight prefixes: waiting for one, and a prompt's landing (landed-prompts.ts). */
      prompts: LandedPrompts;
      dm: DecodeMetrics;
      sessions: Map<string, { sessionId: string; ttlSeconds: number }>;
      isDraining: () => boolean;
    },
  ) {}

  get numGathering(): number {
    return [...this.active.keys()].filter((id) => !this.deps.loop.has(id)).length;
  }

  async decode(
    req: DecodeRequest__Output,
    write: (chunk: TokenChunk) => Promise<void>,
    ctx: CallContext,
  ): Promise<void> {
    const { rt, deps } = this;
    validateDecodeRequest(req, rt.model.config.vocabSize, rt.config.maxTokensPerSequence);
    checkPromptBlocks(req, rt.config.blockTokens);
    if (deps.isDraining())
      throw new OicfError('UNAVAILABLE', `decode worker ${rt.config.workerId} is draining: send the request elsewhere`);
    const seqId = req.requestId;
    if (this.active.has(seqId))
      throw new OicfError('ALREADY_EXISTS', `request ${seqId} is already decoding on this worker`);
    const t0 = rt.clock.nowSeconds();
    const abort = new AbortController();
    const onCallAbort = () => abort.abort();
    ctx.signal.addEventListener('abort', onCallAbort, { once: true });
    this.active.set(seqId, abort);
    const P = req.promptTokenIds.length;
    rt.steps.reserve(seqId, P + req.maxTokens);
    try {
      let gathered: Awaited<ReturnType<typeof gatherKv>>;
      try {
        await deps.prompts.awaitPrefix(req, abort.signal);
        if (abort.signal.aborted) throw new OicfError('CANCELLED', `Decode ${seqId} was cancelled`);
        gathered = await gatherKv(rt, { cache: deps.cache, handoffs: deps.handoffs }, req, abort.signal);
      } catch (err) {
        rt.steps.release(seqId);
        rt.steps.forget(seqId);
        throw err;
      }
      const remote = gathered.firstTokenId !== undefined;
      const timeline = new RequestTimeline(t0, !remote);
      timeline.kvGathered(rt.clock.nowSeconds());
      const model = { model_name: rt.config.model };
      const numCached = gathered.numLocalTokens + gathered.numPoolTokens;
      deps.dm.anchors.promptTokens.inc(model, P);
      deps.dm.anchors.prefixCacheQueriedTokens.inc(model, P);
      deps.dm.anchors.prefixCacheHitTokens.inc(model, numCached);
      deps.sessions.set(seqId, { sessionId: req.sessionId, ttlSeconds: req.sessionTtlSeconds });

      const stream = new TokenStream<TokenChunk>();
      let numGenerated = 0;
      const added = deps.loop.add(
        {
          seqId,
          promptTokenIds: req.promptTokenIds,
          numPresentTokens: gathered.numPresentTokens,
          ...(remote ? { firstTokenId: gathered.firstTokenId } : {}),
          maxTokens: req.maxTokens,
          stopTokenIds: req.sampling?.stopTokenIds ?? [],
          sampling: samplingFromProto(req.sampling ?? {}),
        },
        {
          onTokens: (ids, firstIndex, stepSeconds, logprobs) => {
            const now = rt.clock.nowSeconds();
            const gap = timeline.tokens(now, stepSeconds);
            numGenerated = firstIndex + ids.length;
            if (firstIndex === 0) deps.prompts.landed(seqId, req.promptTokenIds);
            const send = remote && firstIndex === 0 ? ids.slice(1) : ids;
            deps.dm.anchors.generationTokens.inc(model, send.length);
            if (gap === undefined) deps.dm.anchors.timeToFirstTokenSeconds.observe(model, now - t0);
            else deps.dm.anchors.interTokenLatencySeconds.observe(model, gap);
            if (send.length === 0) return;
            stream.push({
              requestId: seqId,
              tokenIds: [...send],
              text: textBytes(send),
              emittedAfterSeconds: now - t0,
              stepSeconds,
              ...(logprobs.length > 0 ? { logprobs } : {}),
            });
          },
          onFinish: (reason, n) => {
            const now = rt.clock.nowSeconds();
            const times = timeline.finish(now);
            const a = deps.dm.anchors;
            a.requestSuccess.inc({ ...model, finished_reason: reason === 'cancelled' ? 'abort' : reason });
            a.requestQueueTimeSeconds.observe(model, times.queueSeconds);
            if (!remote) a.requestPrefillTimeSeconds.observe(model, times.prefillSeconds);
            a.requestDecodeTimeSeconds.observe(model, times.decodeSeconds);
            a.e2eRequestLatencySeconds.observe(model, times.e2eSeconds);
            stream.push({
              requestId: seqId,
              finishReason: FINISH[reason],
              emittedAfterSeconds: now - t0,
              usage: { numPromptTokens: P, numCompletionTokens: n, numCachedPromptTokens: numCached },
              timings: {
                queueSeconds: times.queueSeconds,
                kvReceiveSeconds: times.kvReceiveSeconds,
                decodeSeconds: times.decodeSeconds,
              },
            });
            stream.end();
          },
          onError: (error) => {
            stream.push({
              requestId: seqId,
              finishReason: 'FINISH_REASON_ERROR',
              emittedAfterSeconds: rt.clock.nowSeconds() - t0,
              usage: { numPromptTokens: P, numCompletionTokens: numGenerated, numCachedPromptTokens: numCached },
              error: toErrorDetail(error),
            });
            stream.end();
          },
        },
      );
      if (!added.ok) {
        rt.steps.release(seqId);
        rt.steps.forget(seqId);
        throw new OicfError('RESOURCE_EXHAUSTED', `request ${seqId} cannot join the batch: ${added.reason}`);
      }
      abort.signal.addEventListener('abort', () => deps.loop.cancel(seqId), { once: true });
      for await (const chunk of stream) {
        try {
          await write(chunk);
        } catch (err) {
          deps.loop.cancel(seqId);
          throw toOicfError(err);
        }
      }
    } finally {
      ctx.signal.removeEventListener('abort', onCallAbort);
      this.active.delete(seqId);
      deps.sessions.delete(seqId);
      deps.prompts.ended(seqId);
    }
  }

  cancel(req: CancelRequest__Output): CancelResponse {
    const abort = this.active.get(req.requestId);
    if (abort === undefined) return { cancelled: false };
    this.rt.log.info('request cancelled', { requestId: req.requestId, reason: req.reason });
    abort.abort();
    this.deps.loop.cancel(req.requestId);
    return { cancelled: true };
  }
}
