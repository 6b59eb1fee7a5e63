// The twin's prefill worker (apps/prefill-worker/src/prefill-core.ts): one prefill at a time in the order
// they came (@oicf/engine PrefillFifo, whose depth in tokens is what the worker reports), each:
//
//   queue ─▶ fetch the leased pool prefix (planFetch; a miss ends it) ─▶ prefill the rest (one step)
//         ─▶ sample the first token ─▶ ┬ hand tokens [numDecodeCachedTokens, P) to the decode worker
//                                      └ put the newly computed full blocks to the pool   (concurrently)
//         ─▶ reply (first token, counts, bytes, timings); the slot frees when the reply goes.
import { PrefillFifo } from '@oicf/engine';
import { type KvSourceRef, planFetch, reusablePrefixBlocks } from '@oicf/kv';
import type { WorkerLoadReport } from '@oicf/sched';
import { StepSpeeds } from '@oicf/worker/speeds';
import type { SimWorkerSpec } from '../cluster/sim-cluster.js';
import { chargeTransfer, HANDOFF_RECEIVE_SHARE, type HostProcesses } from '../core/host-processes.js';
import { hashString, mix32, type SimContext } from '../core/sim-context.js';
import type { HandoffCost } from '../host-cost/host-cost.js';
import { POOL_ADDRESS } from './decode-gather.js';
import type { SimDecodeWorker } from './decode-worker.js';
import { putBlocks } from './finished-blocks.js';
import { fetchFromPool } from './pool-fetch.js';
import { priceStep } from './step-times.js';
import type { PrefillCall, PrefillReply } from './worker-calls.js';

interface Queued {
  readonly call: PrefillCall;
  readonly t0: number;
  readonly plans: ReturnType<typeof planFetch>;
  readonly reply: (r: PrefillReply) => void;
}

export class SimPrefillWorker {
  readonly fifo = new PrefillFifo<Queued>();
  readonly speeds = new StepSpeeds();
  readonly counters = { numRequests: 0, computedTokens: 0, cachedTokens: 0, busySeconds: 0 };
  /** Tokens with KV in the runner now (the running prefill's, after its fetch / compute). */
  private runnerTokens = 0;

  constructor(
    private readonly ctx: SimContext,
    readonly spec: SimWorkerSpec,
    private readonly decodeWorker: (workerId: string) => SimDecodeWorker | undefined,
  ) {}

  get workerId(): string {
    return this.spec.workerId;
  }

  /** What prefill-worker main.ts heartbeats. */
  load(): WorkerLoadReport {
    return {
      numRunningSequences: this.fifo.busy ? 1 : 0,
      numWaitingSequences: this.fifo.numWaiting,
      kvUsedBytes: this.runnerTokens * this.ctx.cluster.kvBytesPerToken,
      kvCapacityBytes: this.spec.kvCapacityBytes,
      ...this.speeds.report(),
      prefillIntensityFlopsPerByte: 0,
      decodeIntensityFlopsPerByte: 0,
    };
  }

  /** PrefillWorker.Prefill arriving now; `reply` runs when the reply leaves the worker. */
  prefill(call: PrefillCall, reply: (r: PrefillReply) => void): void {
    const bt = this.ctx.cluster.blockTokens;
    const P = call.prompt.numTokens;
    this.counters.numRequests++;
    const sources: KvSourceRef[] =
      call.cachedPrefix === undefined
        ? []
        : [{ wsAddress: POOL_ADDRESS, leaseId: call.cachedPrefix.leaseId, blocks: call.cachedPrefix.blocks }];
    // Keep ≥ 1 token to compute: the first token is sampled from the last prompt token's logits.
    const plans = planFetch(sources, call.prompt.blockIds, bt, 0, reusablePrefixBlocks(P, bt));
    const planned = plans.reduce((a, p) => a + p.blocks.length * bt, 0);
    const item: Queued = { call, t0: this.ctx.queue.nowSeconds, plans, reply };
    if (this.fifo.mustWait) this.fifo.enqueue(item, P - planned);
    else {
      this.fifo.start(item, P - planned);
      this.run(item);
    }
  }

  private run(item: Queued): void {
    const { ctx } = this;
    const { call } = item;
    const P = call.prompt.numTokens;
    const tQueued = ctx.queue.nowSeconds;
    fetchFromPool(ctx, { kind: 'worker', workerId: this.workerId }, item.plans, (numCached, fetchSeconds) => {
      this.runnerTokens = numCached;
      this.fifo.setRunningTokens(P - numCached);
      const shape = { phase: 'prefill' as const, numNewTokens: P - numCached, cachedTokens: numCached };
      const start = ctx.queue.nowSeconds;
      priceStep(ctx, this.spec, shape, (_kernelSeconds, computeSeconds) => {
        this.counters.busySeconds += computeSeconds;
        ctx.queue.at(start + computeSeconds, () =>
          this.computed(item, numCached, tQueued, fetchSeconds, computeSeconds),
        );
      });
    });
  }

  /** The prefill step ended: first token, then the handoff and the pool offer, then the reply. */
  private computed(
    item: Queued,
    numCached: number,
    tQueued: number,
    fetchSeconds: number,
    computeSeconds: number,
  ): void {
    const { ctx } = this;
    const { call } = item;
    const P = call.prompt.numTokens;
    this.runnerTokens = P;
    this.speeds.record('prefill', P - numCached, computeSeconds);
    this.counters.computedTokens += P - numCached;
    this.counters.cachedTokens += numCached;
    const firstTokenId = mix32(hashString(call.requestId, ctx.seed), 0) & 0xff;
    this.send(item, numCached, (sendSeconds, kvTokensSent) => {
      this.runnerTokens = 0;
      item.reply({
        firstTokenId,
        report: {
          numCachedTokens: numCached,
          kvBytesSent: kvTokensSent * ctx.cluster.kvBytesPerToken,
          queueSeconds: tQueued - item.t0,
          fetchKvSeconds: fetchSeconds,
          computeSeconds,
          sendKvSeconds: sendSeconds,
        },
      });
      const next = this.fifo.finish();
      if (next !== undefined) this.run(next);
    });
  }

  /** The handoff and the pool offer, concurrently; `done(seconds, tokens sent)` when both returned. */
  private send(item: Queued, numCached: number, done: (sendSeconds: number, tokensSent: number) => void): void {
    const { ctx } = this;
    const { call } = item;
    const bt = ctx.cluster.blockTokens;
    const P = call.prompt.numTokens;
    const tSend = ctx.queue.nowSeconds;
    const p = ctx.processes;
    const host = ctx.cluster.host;
    // The send part's measured CPU on this worker's main thread (host-cost prefill.sendCpu, round 7c), alongside
    // the handoff and the pool put: the reply waits for it too.
    const sendCpu = p === undefined || host === undefined ? undefined : p.cost.prefill.sendCpu;
    let pending = sendCpu === undefined ? 2 : 3;
    let sentTokens = 0;
    const finished = () => {
      if (--pending === 0) done(ctx.queue.nowSeconds - tSend, sentTokens);
    };
    // Handoff: tokens [numDecodeCachedTokens, P) (cut at block boundaries), acknowledged by the decode worker.
    const handoffTokens = P - call.numDecodeCachedTokens;
    const decode = this.decodeWorker(call.decodeWorkerId);
    const measured = p?.cost.handoff;
    if (handoffTokens > 0 && decode !== undefined && p !== undefined && host !== undefined && measured !== undefined) {
      sentTokens += handoffTokens;
      this.sendMeasured(call, handoffTokens, decode, finished);
    } else if (handoffTokens > 0 && decode !== undefined) {
      const t = ctx.fabric.transfer({
        from: { kind: 'worker', workerId: this.workerId },
        to: { kind: 'worker', workerId: call.decodeWorkerId },
        numTokens: handoffTokens,
        readySeconds: tSend,
      });
      sentTokens += handoffTokens;
      if (p === undefined || host === undefined) {
        decode.receiveHandoff(call.requestId, { numTokens: handoffTokens, arrivedSeconds: t.arrivedSeconds });
        // The last frame's acknowledgement comes back one message hop after the bytes arrive.
        ctx.queue.at(Math.max(t.doneSeconds, t.arrivedSeconds + ctx.rpcSeconds), finished);
      } else {
        // On the local host the decode worker takes the frames on its main thread (after the step it is
        // running): a copy out of shared memory and a checksum per frame, then the acknowledgement; the
        // handoff is held, and the prefill worker's send returns, then. Its import into the runner's KV is
        // the other pass over the bytes, at the Decode call (decode-worker.ts): each pass half the fitted
        // cost per byte (handoff-store.ts verifies, kv-gather.ts imports; not measured apart).
        const to = { kind: 'worker' as const, workerId: call.decodeWorkerId };
        chargeTransfer(ctx, { kind: 'worker', workerId: this.workerId }, to, handoffTokens, undefined);
        const importSeconds =
          HANDOFF_RECEIVE_SHARE * handoffTokens * host.kvBytesPerToken * p.cost.decode.secondsPerKvByte;
        ctx.queue.at(t.arrivedSeconds, () =>
          p.worker(call.decodeWorkerId).serve(importSeconds, () => {
            const now = ctx.queue.nowSeconds;
            decode.receiveHandoff(call.requestId, { numTokens: handoffTokens, arrivedSeconds: now });
            ctx.queue.at(Math.max(t.doneSeconds, now + ctx.rpcSeconds), finished);
          }),
        );
      }
    } else {
      finished();
    }
    // Queued after the handoff's start on this thread, so the link does not wait for it.
    if (sendCpu !== undefined && p !== undefined && host !== undefined) {
      const bytes = handoffTokens > 0 && decode !== undefined ? handoffTokens * host.kvBytesPerToken : 0;
      p.worker(this.workerId).serve(sendCpu.secondsPerSend + bytes * sendCpu.secondsPerByte, finished);
    }
    // Pool: the full blocks past the fetched prefix, with the session's TTL.
    const from = numCached / bt;
    const numPut = call.prompt.blockIds.length - from;
    if (ctx.pool !== undefined && numPut > 0) {
      sentTokens += numPut * bt;
      putBlocks(
        ctx,
        this.workerId,
        call.prompt.blockIds,
        from,
        { sessionId: call.sessionId, ttlSeconds: call.sessionTtlSeconds },
        finished,
        // With the handoff measured per request, its send time already holds this put's copies.
        ctx.processes?.cost.handoff === undefined,
      );
    } else {
      finished();
    }
  }

  /**
   * The handoff priced by the measured handoff costs (host-cost.ts HandoffCost): the send path on this
   * worker's main thread, then the link; the decode worker's receipt, as long as the link's measured time,
   * on its main thread alongside it; held and acknowledged when both are done (plus one message hop).
   */
  private sendMeasured(call: PrefillCall, numTokens: number, decode: SimDecodeWorker, finished: () => void): void {
    const { ctx } = this;
    const p = ctx.processes as HostProcesses;
    const h = p.cost.handoff as HandoffCost;
    const bytes = numTokens * (ctx.cluster.host?.kvBytesPerToken ?? 0);
    ctx.hostCpu?.run(bytes * h.offPathSecondsPerByte, 1, noop, 'offpath:kv', `offpath:${call.decodeWorkerId}`);
    // With the send part measured (prefill.sendCpu) the sender's CPU runs alongside (send()), not before the link.
    const before = p.cost.prefill.sendCpu === undefined ? bytes * h.sendSecondsPerByte : 0;
    p.worker(this.workerId).serve(before, () => {
      const start = ctx.queue.nowSeconds;
      const t = ctx.fabric.transfer({
        from: { kind: 'worker', workerId: this.workerId },
        to: { kind: 'worker', workerId: call.decodeWorkerId },
        numTokens,
        readySeconds: start,
      });
      let pending = 2;
      const both = () => {
        if (--pending > 0) return;
        const now = ctx.queue.nowSeconds;
        decode.receiveHandoff(call.requestId, { numTokens, arrivedSeconds: now });
        ctx.queue.at(Math.max(t.doneSeconds, now + ctx.rpcSeconds), finished);
      };
      p.worker(call.decodeWorkerId).serve(t.arrivedSeconds - start, both);
      ctx.queue.at(t.arrivedSeconds, both);
    });
  }
}

function noop(): void {}
