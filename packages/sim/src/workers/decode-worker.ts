// The twin's decode worker (apps/decode-worker: DecodeService, gatherKv, DecodeLoop, FinishedBlocks): a
// Decode call gathers the prompt's KV (its own block cache, then pool blocks, then the handoff), joins the
// engine's batch, streams one chunk per step, and on finish keeps the sequence's blocks in its local cache
// and offers them to the pool. Decisions are the shared modules': @oicf/engine (batching, chunked prefill,
// preemption), @oicf/kv (LocalBlockCache, planFetch, reusablePrefixBlocks, PrefixWaitSet), RequestTimeline.
// In-flight prefixes (landed-prompts.ts): a call that awaits another request's prefix waits (virtual
// timeout) until this worker's cache holds it; a prompt's full blocks are kept when its first token lands.
import { type FinishReason, RequestTimeline } from '@oicf/engine';
import { awaitedPrefixBlocks, LocalBlockCache, type PrefixWaitOutcome, PrefixWaitSet } from '@oicf/kv';
import type { WorkerLoadReport } from '@oicf/sched';
import type { SimWorkerSpec } from '../cluster/sim-cluster.js';
import { HANDOFF_RECEIVE_SHARE } from '../core/host-processes.js';
import { hashString, mix32, type SimContext } from '../core/sim-context.js';
import { sortByOrderInPlace } from '../core/sort-by-order.js';
import { gatherKv, type HandoffArrival } from './decode-gather.js';
import type { DecodeWorkerState, SizedBlock } from './decode-state.js';
import { keepBlocks, keepFinishedBlocks } from './finished-blocks.js';
import { StepLoop } from './step-loop.js';
import type { DecodeCall, DecodeSink } from './worker-calls.js';

interface Active {
  /** Add order: a flush visits requests in it, as the real loop visits its entries. */
  readonly order: number;
  /** In `dirty` (has tokens to flush or has finished). */
  dirty: boolean;
  readonly call: DecodeCall;
  /** When the Decode call arrived. */
  readonly t0: number;
  readonly sink: DecodeSink;
  readonly timeline: RequestTimeline;
  readonly remote: boolean;
  /** When it joined the engine's batch (its KV gathered). */
  readonly joinedSeconds: number;
  readonly numCached: number;
  readonly tokenSeed: number;
  /** Tokens generated so far are generated[0, numGenerated) (room made for maxTokens; cut to length at finish). */
  readonly generated: number[];
  numGenerated: number;
  pending: number;
  pendingFirstIndex: number;
  finish: { reason: FinishReason; numGenerated: number } | undefined;
}

/** Most token slots made ahead for a request's output (beyond, the array grows as any array does). */
const MAX_PREALLOCATED_TOKENS = 16_384;

/** Room for `maxTokens` tokens, at most MAX_PREALLOCATED_TOKENS (none when maxTokens is no array length). */
function outputSlots(maxTokens: number): number[] {
  const n = Number.isInteger(maxTokens) && maxTokens > 0 ? Math.min(maxTokens, MAX_PREALLOCATED_TOKENS) : 0;
  return new Array<number>(n);
}

export class SimDecodeWorker implements DecodeWorkerState {
  readonly loop: StepLoop;
  readonly cache = new LocalBlockCache<SizedBlock>();
  /** Decode calls waiting for an in-flight prefix (the decode worker's PrefixWaiters, in virtual time). */
  private readonly waits = new PrefixWaitSet(this.cache);
  /** Requests whose Decode call is gathering KV (not in the engine yet). */
  private numGathering = 0;
  private readonly active = new Map<string, Active>();
  /** Requests with something to flush at the step's end: dirty[0, numDirty). */
  private dirty: (Active | undefined)[] = [];
  private numDirty = 0;
  /**
   * The other buffer: flush swaps the two instead of allocating a list per step, and clears the slots it read
   * rather than the length (an emptied array drops its storage, and a length write is a runtime call).
   */
  private spare: (Active | undefined)[] = [];
  private numAdded = 0;
  /** Handoffs received ahead of their Decode call (the prefill worker pushes before it replies). */
  private readonly handoffs = new Map<string, HandoffArrival>();
  readonly counters = {
    numRequests: 0,
    numLocalTokens: 0,
    numPoolTokens: 0,
    numHandoffTokens: 0,
    numFailed: 0,
    /** Sequences joined with their whole prompt, and their summed wait for their first step (DecodeLoop.onFirstStep). */
    numFirstSteps: 0,
    firstStepWaitSeconds: 0,
  };
  /** Ended waits for an in-flight prefix by outcome (oicf_decode_prefix_wait_requests_total). */
  readonly prefixWaits: Record<PrefixWaitOutcome, number> = { held: 0, timeout: 0, ended: 0, cancelled: 0 };

  constructor(
    private readonly ctx: SimContext,
    readonly spec: SimWorkerSpec,
  ) {
    const bpt = ctx.cluster.kvBytesPerToken;
    this.loop = new StepLoop(ctx, spec, bpt, (_logits, _params, seqId, step) => this.sample(seqId, step), {
      onToken: (seqId, tokenId, index) => this.onToken(seqId, tokenId, index),
      onFinish: (seqId, reason, n) => this.onFinish(seqId, reason, n),
      flush: (stepSeconds) => this.flush(stepSeconds),
    });
  }

  get workerId(): string {
    return this.spec.workerId;
  }

  /** The load a heartbeat reports now (decode-worker main.ts). */
  load(): WorkerLoadReport {
    const e = this.loop.engine;
    return {
      numRunningSequences: e.numRunning,
      numWaitingSequences: e.numWaiting + this.numGathering,
      kvUsedBytes: e.kvBytesUsed,
      kvCapacityBytes: this.spec.kvCapacityBytes,
      ...this.loop.speeds.report(),
      prefillIntensityFlopsPerByte: 0,
      decodeIntensityFlopsPerByte: 0,
    };
  }

  /** kv.handoff frames for `requestId` are (or will be) here at `arrivedSeconds`. */
  receiveHandoff(requestId: string, arrival: HandoffArrival): void {
    this.handoffs.set(requestId, arrival);
  }

  /** Blocks entered the local cache: waiters it now satisfies stop waiting. */
  onCached(): void {
    this.waits.notify();
  }

  /** DecodeWorker.Decode arriving now. */
  decode(call: DecodeCall, sink: DecodeSink): void {
    const t0 = this.ctx.queue.nowSeconds;
    this.counters.numRequests++;
    this.numGathering++;
    const handoff = this.handoffs.get(call.requestId);
    this.handoffs.delete(call.requestId);
    const start = () => this.awaitPrefix(call, () => this.gather(call, sink, t0, handoff));
    // The worker's own work per request (host-cost model), on its main thread, before it gathers: the request
    // and the import of a handoff's bytes into the runner (the other share of its per-byte cost).
    const p = this.ctx.processes;
    const host = this.ctx.cluster.host;
    if (p === undefined || host === undefined) start();
    else {
      const c = p.cost.decode;
      const bytes = (handoff?.numTokens ?? 0) * host.kvBytesPerToken;
      // Measured per request (host-cost.ts HandoffCost) when the model has it, else the regressed share.
      const importSeconds =
        p.cost.handoff === undefined
          ? bytes * (1 - HANDOFF_RECEIVE_SHARE) * c.secondsPerKvByte
          : bytes * p.cost.handoff.importSecondsPerByte;
      // A measured share of the request's work comes at its finish instead (onFinish: finishSeconds).
      const beforeGather = Math.max(0, c.secondsPerRequest - (c.finishSeconds ?? 0));
      p.worker(this.spec.workerId).serve(beforeGather + importSeconds, start);
    }
  }

  /** LandedPrompts.awaitPrefix: `then` once the awaited prefix is held or will not come (at once if none). */
  private awaitPrefix(call: DecodeCall, then: () => void): void {
    const wait = call.awaitPrefix;
    const bt = this.ctx.cluster.blockTokens;
    const numBlocks =
      wait === undefined
        ? 0
        : awaitedPrefixBlocks(wait.numTokens, call.prompt.numTokens, call.prompt.blockIds.length, bt);
    if (wait === undefined || numBlocks <= 0) {
      then();
      return;
    }
    const blockIds = call.prompt.blockIds.slice(0, numBlocks);
    const settled = (outcome: PrefixWaitOutcome) => {
      this.prefixWaits[outcome]++;
      then();
    };
    const now = this.waits.immediate(blockIds, wait.requestId);
    if (now !== undefined) {
      settled(now);
      return;
    }
    const waiter = this.waits.add(blockIds, wait.requestId, settled);
    this.ctx.queue.after(wait.waitSeconds, () => waiter.settle('timeout'));
  }

  private gather(call: DecodeCall, sink: DecodeSink, t0: number, handoff: HandoffArrival | undefined): void {
    gatherKv(this.ctx, this, call, handoff, (g) => {
      this.numGathering--;
      this.counters.numLocalTokens += g.numLocalTokens;
      this.counters.numPoolTokens += g.numPoolTokens;
      this.counters.numHandoffTokens += g.numHandoffTokens;
      const remote = call.firstTokenId !== undefined;
      const timeline = new RequestTimeline(t0, !remote);
      timeline.kvGathered(this.ctx.queue.nowSeconds);
      const added = this.loop.engine.add({
        seqId: call.requestId,
        promptTokenIds: call.prompt.tokenIds,
        numPresentTokens: g.numPresentTokens,
        ...(remote ? { firstTokenId: call.firstTokenId } : {}),
        maxTokens: call.maxTokens,
        stopTokenIds: [],
        sampling: { temperature: 0, seed: 0 },
      });
      if (!added.ok) {
        this.counters.numFailed++;
        this.waits.requestDone(call.requestId);
        sink.onError('RESOURCE_EXHAUSTED', `request ${call.requestId} cannot join the batch: ${added.reason}`);
        return;
      }
      this.active.set(call.requestId, {
        order: this.numAdded++,
        dirty: false,
        call,
        t0,
        sink,
        timeline,
        remote,
        joinedSeconds: this.ctx.queue.nowSeconds,
        numCached: g.numLocalTokens + g.numPoolTokens,
        tokenSeed: hashString(call.requestId, this.ctx.seed),
        // The engine stops a request at maxTokens: its tokens fit without the array growing token by token.
        generated: outputSlots(call.maxTokens),
        numGenerated: 0,
        pending: 0,
        pendingFirstIndex: 0,
        finish: undefined,
      });
      this.loop.wake();
    });
  }

  /** The sampled token: a deterministic byte token from the run's seed (the twin computes no logits). */
  private sample(seqId: string, step: number): number {
    const a = this.active.get(seqId);
    return mix32(a?.tokenSeed ?? 0, step) & 0xff;
  }

  private onToken(seqId: string, tokenId: number, index: number): void {
    const a = this.active.get(seqId);
    if (a === undefined) return;
    // LandedPrompts.landed: the prompt's KV is present, its full blocks are reusable here (and offered).
    if (index === 0) {
      keepBlocks(this.ctx, this, a.call, a.call.prompt.blockIds);
      this.waits.requestDone(seqId);
    }
    if (a.pending === 0) a.pendingFirstIndex = index;
    a.pending++;
    a.generated[a.numGenerated++] = tokenId;
    this.markDirty(a);
  }

  private markDirty(a: Active): void {
    if (a.dirty) return;
    a.dirty = true;
    this.dirty[this.numDirty++] = a;
  }

  private onFinish(seqId: string, reason: FinishReason, numGenerated: number): void {
    const a = this.active.get(seqId);
    if (a === undefined) return;
    a.finish = { reason, numGenerated };
    // Exactly the tokens generated, as pushing them would have left it (usually already: maxTokens were made).
    if (a.generated.length !== a.numGenerated) a.generated.length = a.numGenerated;
    this.markDirty(a);
    if (reason !== 'cancelled') {
      keepFinishedBlocks(this.ctx, this, a.call, a.generated);
      // Keeping its blocks (FinishedBlocks.keep) runs on the main thread as the engine finishes the request:
      // inside the step's result, before the next step (host-cost decode.finishSeconds, measured).
      const finish = this.ctx.processes?.cost.decode.finishSeconds;
      if (finish !== undefined) this.ctx.processes?.worker(this.spec.workerId).charge(finish);
    }
  }

  /** DecodeLoop.flush + DecodeService's sinks: one chunk per request with new tokens, then the finals. */
  private flush(stepSeconds: number): void {
    const now = this.ctx.queue.nowSeconds;
    const list = this.dirty;
    const count = this.numDirty;
    this.dirty = this.spare;
    this.numDirty = 0;
    this.spare = list;
    sortByOrderInPlace(list, count);
    for (let i = 0; i < count; i++) {
      const a = list[i] as Active;
      list[i] = undefined;
      a.dirty = false;
      if (a.pending > 0) {
        const first = a.pendingFirstIndex;
        const n = a.pending;
        a.pending = 0;
        a.timeline.tokens(now, stepSeconds);
        // Its first step started at this step's start: the real loop's first-step wait (remote prefill only).
        if (a.remote && first === 0) {
          this.counters.numFirstSteps++;
          this.counters.firstStepWaitSeconds += Math.max(0, now - stepSeconds - a.joinedSeconds);
        }
        // The prefill worker's first token was already streamed by the router.
        const send = a.remote && first === 0 ? n - 1 : n;
        if (send > 0) a.sink.onChunk(send, now - a.t0);
      }
      if (a.finish !== undefined) {
        this.active.delete(a.call.requestId);
        this.waits.requestDone(a.call.requestId);
        if (a.finish.reason === 'cancelled') continue;
        const times = a.timeline.finish(now);
        a.sink.onFinal({
          finishReason: a.finish.reason,
          numCompletionTokens: a.finish.numGenerated,
          numCachedPromptTokens: a.numCached,
          queueSeconds: times.queueSeconds,
          kvReceiveSeconds: times.kvReceiveSeconds,
          decodeSeconds: times.decodeSeconds,
          emittedAfterSeconds: times.e2eSeconds,
          generatedTokenIds: a.generated,
        });
      }
    }
    // afterStep: running sequences win over cached blocks.
    this.cache.shrinkTo(this.spec.kvCapacityBytes - this.loop.engine.kvBytesUsed);
  }
}
