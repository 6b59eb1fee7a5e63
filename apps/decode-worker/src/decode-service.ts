import type { FinishReason as EngineFinishReason } from '@oicf/engine';
import type { LocalBlockCache } from '@oicf/kv';
import type {
  CancelRequest__Output,
  CancelResponse,
  DecodeRequest__Output,
  FinishReason,
  TokenChunk,
} from '@oicf/proto';
import { type CallContext, OicfError, type PlaneOutput, toErrorDetail, toOicfError } from '@oicf/transport';
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

/** Where a decoding sequence's outputs go: the request plane's step outbox, or a gRPC Decode stream. */
export interface DecodeSink {
  /**
   * One step's output of the sequence (the sink owns it from now on). The last one has finish_reason set
   * (STOP, LENGTH, CANCELLED, or ERROR with `error`); nothing follows it.
   */
  output(output: PlaneOutput): void;
}

/** UTF-8 bytes of byte-level tokens (ids < 256 are bytes; specials carry no text). */
function textBytes(ids: readonly number[]): Buffer {
  return Buffer.from(ids.filter((t) => t < 256));
}

/**
 * Decoding on this worker, for the request plane and DecodeWorker.Decode alike: `start` gathers the prompt's
 * KV, joins the engine's batch and hands the sink one output per step (the first token is not re-sent when a
 * prefill worker sampled it: the router already streamed it; indexes count it all the same), ending with
 * usage and timings. Failures before the sequence joins the batch reject `start`; a kernel failure later
 * ends the outputs with a FINISH_REASON_ERROR one. `stop` cancels wherever the request is.
 */
export class DecodeService {
  private readonly active = new Map<string, AbortController>();
  /** The anchor metrics' label sets, built once (prom-client reads them per update; no object per token). */
  private readonly model: { readonly model_name: string };
  private readonly finishedLabels: Record<EngineFinishReason, { model_name: string; finished_reason: string }>;

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
  ) {
    this.model = { model_name: rt.config.model };
    const finished = (finished_reason: string) => ({ model_name: rt.config.model, finished_reason });
    this.finishedLabels = { stop: finished('stop'), length: finished('length'), cancelled: finished('abort') };
  }

  get numGathering(): number {
    return [...this.active.keys()].filter((id) => !this.deps.loop.has(id)).length;
  }

  /** Drops request `requestId`'s KV handoff when no decode claimed it (see HandoffStore.drop). */
  dropHandoff(requestId: string): boolean {
    return this.deps.handoffs.drop(requestId);
  }

  /** Requests started and not finished (gathering or in the batch). */
  get numActive(): number {
    return this.active.size;
  }

  /** Starts decoding `req`; resolves once it joined the batch (outputs then flow to `sink`). */
  async start(req: DecodeRequest__Output, sink: DecodeSink): Promise<void> {
    const { rt, deps, model } = this;
    const tCall = performance.now();
    validateDecodeRequest(req, rt.model.config.vocabSize, rt.config.maxTokensPerSequence);
    checkPromptBlocks(req, rt.config.blockTokens);
    // The call's own synchronous work before it gathers (validation, the prompt's block hashes), measured.
    deps.dm.mainThreadSeconds.inc({ work: 'decode_call' }, (performance.now() - tCall) / 1000);
    if (deps.isDraining())
      throw new OicfError('UNAVAILABLE', `decode worker ${rt.config.workerId} is draining: send the request elsewhere`);
    // Bounded: the engine's queue cannot grow past maxActiveSequences (docs/reliability.md).
    if (this.active.size >= rt.config.maxActiveSequences) {
      throw new OicfError(
        'RESOURCE_EXHAUSTED',
        `decode worker ${rt.config.workerId} already holds ${this.active.size} requests (maxActiveSequences): send it elsewhere`,
      );
    }
    const seqId = req.requestId;
    if (this.active.has(seqId))
      throw new OicfError('ALREADY_EXISTS', `request ${seqId} is already decoding on this worker`);
    const t0 = rt.clock.nowSeconds();
    const abort = new AbortController();
    this.active.set(seqId, abort);
    const P = req.promptTokenIds.length;
    // Every end of the call here (a failure before the batch, its finish, a kernel error) tells the
    // in-flight prefix waiters this request will leave nothing more (LandedPrompts.ended).
    const forget = () => {
      rt.steps.release(seqId);
      rt.steps.forget(seqId);
      this.active.delete(seqId);
      deps.prompts.ended(seqId);
    };
    rt.steps.reserve(seqId, P + req.maxTokens);
    let gathered: Awaited<ReturnType<typeof gatherKv>>;
    try {
      // Routed here to wait for a prefix another request is computing into this worker (issue 16.1).
      await deps.prompts.awaitPrefix(req, abort.signal);
      if (abort.signal.aborted) throw new OicfError('CANCELLED', `Decode ${seqId} was cancelled`);
      gathered = await gatherKv(
        rt,
        {
          cache: deps.cache,
          handoffs: deps.handoffs,
          onImportSeconds: (s) => deps.dm.mainThreadSeconds.inc({ work: 'kv_import' }, s),
        },
        req,
        abort.signal,
      );
    } catch (err) {
      forget();
      // Cancelled (or failed) before its handoff was claimed: the pushed KV is not kept until the TTL.
      deps.handoffs.drop(seqId);
      throw err;
    }
    const remote = gathered.firstTokenId !== undefined;
    const timeline = new RequestTimeline(t0, !remote);
    timeline.kvGathered(rt.clock.nowSeconds());
    const numCached = gathered.numLocalTokens + gathered.numPoolTokens;
    deps.dm.anchors.promptTokens.inc(model, P);
    deps.dm.anchors.prefixCacheQueriedTokens.inc(model, P);
    deps.dm.anchors.prefixCacheHitTokens.inc(model, numCached);
    deps.sessions.set(seqId, { sessionId: req.sessionId, ttlSeconds: req.sessionTtlSeconds });
    let numGenerated = 0;
    const done = () => {
      this.active.delete(seqId);
      deps.sessions.delete(seqId);
      deps.prompts.ended(seqId);
    };
    const added = deps.loop.add(
      {
        seqId,
        promptTokenIds: req.promptTokenIds,
        numPresentTokens: gathered.numPresentTokens,
        ...(remote ? { firstTokenId: gathered.firstTokenId } : {}),
        // Migrated here mid-stream: continue after the tokens already relayed (their global indexes).
        ...(req.resumeTokenIds.length > 0 ? { resumedTokenIds: req.resumeTokenIds } : {}),
        maxTokens: req.maxTokens,
        stopTokenIds: req.sampling?.stopTokenIds ?? [],
        sampling: samplingFromProto(req.sampling ?? {}),
      },
      {
        onTokens: (ids, firstIndex, stepSeconds, logprobs) => {
          const now = rt.clock.nowSeconds();
          const gap = timeline.tokens(now, stepSeconds);
          numGenerated = firstIndex + ids.length;
          // The prompt's KV is present: its full blocks become reusable here now, waking waiters on them.
          if (firstIndex === req.resumeTokenIds.length) deps.prompts.landed(seqId, req.promptTokenIds);
          // After a remote prefill, index 0 is the prefill worker's token: the router has it already.
          const skip = remote && firstIndex === 0 ? 1 : 0;
          deps.dm.anchors.generationTokens.inc(model, ids.length - skip);
          if (gap === undefined) deps.dm.anchors.timeToFirstTokenSeconds.observe(model, now - t0);
          else deps.dm.anchors.interTokenLatencySeconds.observe(model, gap);
          if (ids.length === skip) return;
          sink.output({
            firstTokenIndex: firstIndex + skip,
            chunk: {
              requestId: seqId,
              tokenIds: skip === 0 ? (ids as number[]) : ids.slice(skip),
              emittedAfterSeconds: now - t0,
              stepSeconds,
              // Only the tokens this worker sampled have logprobs (a prefill worker's first token has none).
              ...(logprobs.length > 0 ? { logprobs } : {}),
            },
          });
        },
        onFinish: (reason, n) => {
          const now = rt.clock.nowSeconds();
          const times = timeline.finish(now);
          const a = deps.dm.anchors;
          a.requestSuccess.inc(this.finishedLabels[reason]);
          a.requestQueueTimeSeconds.observe(model, times.queueSeconds);
          if (!remote) a.requestPrefillTimeSeconds.observe(model, times.prefillSeconds);
          a.requestDecodeTimeSeconds.observe(model, times.decodeSeconds);
          a.e2eRequestLatencySeconds.observe(model, times.e2eSeconds);
          done();
          sink.output({
            firstTokenIndex: n,
            chunk: {
              requestId: seqId,
              tokenIds: [],
              finishReason: FINISH[reason],
              emittedAfterSeconds: now - t0,
              usage: { numPromptTokens: P, numCompletionTokens: n, numCachedPromptTokens: numCached },
              timings: {
                queueSeconds: times.queueSeconds,
                kvReceiveSeconds: times.kvReceiveSeconds,
                decodeSeconds: times.decodeSeconds,
              },
            },
          });
        },
        onError: (error) => {
          done();
          sink.output({
            firstTokenIndex: numGenerated,
            chunk: {
              requestId: seqId,
              tokenIds: [],
              finishReason: 'FINISH_REASON_ERROR',
              emittedAfterSeconds: rt.clock.nowSeconds() - t0,
              usage: { numPromptTokens: P, numCompletionTokens: numGenerated, numCachedPromptTokens: numCached },
              error: toErrorDetail(error),
            },
          });
        },
      },
    );
    if (!added.ok) {
      forget();
      deps.sessions.delete(seqId);
      throw new OicfError('RESOURCE_EXHAUSTED', `request ${seqId} cannot join the batch: ${added.reason}`);
    }
    // Stopped while gathering, after the gather finished: the sequence leaves the batch at once.
    if (abort.signal.aborted) deps.loop.cancel(seqId);
  }

  /** Stops request `requestId` wherever it is (gathering or in the batch); false when unknown. */
  stop(requestId: string, reason: string): boolean {
    const abort = this.active.get(requestId);
    if (abort === undefined) return false;
    this.rt.log.info('request cancelled', { requestId, reason });
    abort.abort();
    this.deps.loop.cancel(requestId);
    return true;
  }

  /** DecodeWorker.Decode (gRPC): the same decode, one TokenChunk per step with the text bytes filled in. */
  async decode(
    req: DecodeRequest__Output,
    write: (chunk: TokenChunk) => Promise<void>,
    ctx: CallContext,
  ): Promise<void> {
    const stream = new TokenStream<TokenChunk>();
    const onCallAbort = () => this.stop(req.requestId, 'the Decode call was cancelled');
    ctx.signal.addEventListener('abort', onCallAbort, { once: true });
    try {
      await this.start(req, {
        output: ({ chunk }) => {
          stream.push({ ...chunk, text: textBytes(chunk.tokenIds) });
          if (chunk.finishReason !== undefined) stream.end();
        },
      });
      for await (const chunk of stream) {
        try {
          await write(chunk);
        } catch (err) {
          this.stop(req.requestId, 'the Decode stream failed');
          throw toOicfError(err);
        }
      }
    } finally {
      ctx.signal.removeEventListener('abort', onCallAbort);
    }
  }

  cancel(req: CancelRequest__Output): CancelResponse {
    return { cancelled: this.stop(req.requestId, req.reason) };
  }
}
