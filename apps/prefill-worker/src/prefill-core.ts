import { chainBlockIds, planFetch, reusablePrefixBlocks } from '@oicf/kv';
import { type BlockToPut, putBlocks } from '@oicf/pool-client';
import type { BlockRef, PrefillRequest__Output, PrefillResponse } from '@oicf/proto';
import { type CallContext, OicfError, toOicfError } from '@oicf/transport';

/** What a prefill needs of its call: the signal that cancels it (a gRPC call or a request-plane cancel). */
export type PrefillCall = Pick<CallContext, 'signal'>;

import {
  type CpuMeter,
  exportBlocks,
  fetchPrefix,
  importPayload,
  type KvBlockPayload,
  loopCpuMeter,
  sampleWithLogprob,
  samplingFromProto,
  sendHandoff,
  type WorkerRuntime,
} from '@oicf/worker';
import { PrefillQueue } from './prefill-queue.js';
import { validatePrefillRequest } from './prefill-request.js';

/** The parts of a prefill whose process CPU the worker's meter charges (loop_cpu_seconds). */
type PrefillPart = 'between' | 'fetch' | 'kernel' | 'pace' | 'send';

/**
 * PrefillWorker.Prefill (docs/architecture.md step 4), one request at a time:
 *
 *   queue ─▶ fetch cached prefix (kv.get, verified; a miss is computed instead) ─▶ importKv
 *         ─▶ ONNX prefill of the rest (paced under emulation) ─▶ sample the first token (seed, index 0)
 *         ─▶ ┬ kv.handoff frames for tokens [num_decode_cached_tokens, P) to the decode worker, await ack
 *            └ kv.put of the newly computed full blocks to the pool (session id, TTL)   (concurrently)
 *         ─▶ release the sequence ─▶ reply (first token, counts, bytes, timings)
 *
 * A decode worker that rejects the handoff (CHECKSUM_MISMATCH) recomputes the KV itself, so the reply
 * still succeeds; an unreachable decode worker fails the call (UNAVAILABLE) so the router can re-route.
 */
export class PrefillCore {
  readonly queue = new PrefillQueue();
  /** Request id of the prefill holding the slot. */
  private running: string | undefined;
  /** Where the process CPU goes per prefill (a measurement for the twin, issue 12: loop_cpu_seconds by part). */
  private readonly cpu: CpuMeter<PrefillPart>;
  /** The part the running prefill is in (see `markPart`): charged when the prefill throws. */
  private cpuPart: PrefillPart | undefined;

  /** `isDraining`: true while the router asked this worker to take no new work (DRAIN directive). */
  constructor(
    private readonly rt: WorkerRuntime,
    private readonly isDraining: () => boolean = () => false,
  ) {
    this.cpu = loopCpuMeter(rt.wm);
  }

  /** KV bytes of sequences now in the runner (at most the running prefill). */
  kvBytesUsed(): number {
    return this.rt.kernel.contextLength(this.running ?? '') * this.rt.model.kvBytesPerToken;
  }

  async prefill(req: PrefillRequest__Output, ctx: PrefillCall): Promise<PrefillResponse> {
    const { rt } = this;
    const { blockTokens } = rt.config;
    validatePrefillRequest(req, rt.model.config.vocabSize, rt.config.maxTokensPerSequence);
    if (this.isDraining())
      throw new OicfError(
        'UNAVAILABLE',
        `prefill worker ${rt.config.workerId} is draining: send the request to another worker`,
      );
    const t0 = rt.clock.nowSeconds();
    const tokens = req.tokenIds;
    const P = tokens.length;
    const chain = chainBlockIds(tokens, { blockTokens });
    // Keep ≥ 1 token to compute: the first token is sampled from the last prompt token's logits.
    const plans = planFetch(req.cachedPrefix, chain, blockTokens, 0, reusablePrefixBlocks(P, blockTokens));
    const plannedTokens = plans.reduce((a, p) => a + p.blocks.length * blockTokens, 0);
    rt.wm.queueDepth.set(this.queue.depthTokens + P - plannedTokens);
    try {
      return await this.queue.run(P - plannedTokens, ctx.signal, async () => {
        this.running = req.requestId;
        rt.wm.queueDepth.set(this.queue.depthTokens);
        try {
          return await this.run(req, ctx, { t0, chain, plans });
        } finally {
          // A prefill that threw: the part it failed in keeps its CPU (not the next request's `between`).
          if (this.cpuPart !== undefined) this.markPart(this.cpuPart, undefined);
          rt.steps.release(req.requestId);
          rt.steps.forget(req.requestId);
          this.running = undefined;
        }
      });
    } finally {
      rt.wm.queueDepth.set(this.queue.depthTokens);
    }
  }

  private async run(
    req: PrefillRequest__Output,
    ctx: PrefillCall,
    plan: { t0: number; chain: string[]; plans: ReturnType<typeof planFetch> },
  ): Promise<PrefillResponse> {
    const { rt } = this;
    const { blockTokens } = rt.config;
    const seqId = req.requestId;
    const tokens = req.tokenIds;
    const P = tokens.length;
    const tQueued = rt.clock.nowSeconds();
    this.markPart('between', 'fetch');
    rt.steps.reserve(seqId, P);

    // 1. Cached prefix from its holders (pool or peers), verified; misses fall back to compute.
    const fetched = await fetchPrefix(plan.plans, {
      channels: rt.blockChannels,
      kvBytesPerToken: rt.model.kvBytesPerToken,
      timeoutSeconds: rt.config.transferTimeoutSeconds,
      signal: ctx.signal,
      staging: rt.kvStaging, // read once into the worker's reused slab, imported from there
    });
    for (const p of fetched.problems) {
      rt.wm.blockMisses.inc({ link: 'pool->worker', reason: p.problem });
      if (p.problem === 'checksum') rt.wm.checksumFailures.inc({ link: 'pool->worker' });
    }
    for (const f of fetched.failures)
      rt.log.warn('cached prefix fetch failed; computing it instead', { requestId: seqId, ...f });
    try {
      for (const b of fetched.blocks)
        importPayload(rt.kernel, seqId, b.firstToken, b.payload, rt.model.config.numLayers, P);
    } finally {
      fetched.release(); // the runner copied them into its KV: the slab's chunks serve the next fetch
    }
    const numCached = fetched.blocks.length * blockTokens;
    const fetchBytes = [...fetched.bytesByAddress.values()].reduce((a, b) => a + b, 0);
    rt.wm.kvReceived.inc({ link: 'pool->worker' }, fetchBytes);
    rt.wm.prefixReused.inc({ source: 'pool' }, numCached);
    const fetchMeasured = rt.clock.nowSeconds() - tQueued;
    const fetchSeconds = await rt.pacer.afterTransfer(numCached, fetchMeasured, ctx.signal);
    if (numCached > 0) rt.wm.kvTransferSeconds.observe({ link: 'pool->worker' }, fetchSeconds);
    this.queue.setRunningTokens(P - numCached);
    this.markPart('fetch', 'kernel');

    // 2. Prefill the rest; first token at generation index 0.
    const tCompute = rt.clock.nowSeconds();
    const out = await rt.steps.prefillDirect(seqId, tokens, numCached);
    const measured = rt.clock.nowSeconds() - tCompute;
    this.markPart('kernel', 'pace');
    const shape = { phase: 'prefill' as const, numNewTokens: P - numCached, cachedTokens: numCached };
    const analysis = rt.analyzer.analyze(shape);
    const computeSeconds = await rt.pacer.afterStep(analysis.target, measured, ctx.signal);
    rt.recorder.record(shape, out.stats, computeSeconds, analysis);
    rt.wm.computedTokens.inc(P - numCached);
    // While prefilled, the sequence held the whole prompt's KV here: this worker's footprint per sequence
    // (kept until the next prefill, so a scrape between prefills does not read 0 B).
    rt.wm.capacityFootprint.set(P * rt.model.kvBytesPerToken);
    const first = sampleWithLogprob(out.lastLogits, samplingFromProto(req.sampling ?? {}), 0);
    const firstTokenId = first.tokenId;
    this.markPart('pace', 'send');

    // 3. Hand the prompt's KV to the decode worker and offer new full blocks to the pool, concurrently.
    const tSend = rt.clock.nowSeconds();
    const handoffFrom = req.decodeWsAddress === '' ? P : req.numDecodeCachedTokens;
    const payloads = this.exportPrompt(
      seqId,
      plan.chain,
      handoffFrom,
      req.poolWsAddress === '' ? plan.chain.length : numCached / blockTokens,
    );
    const [handoffBytes, poolBytes] = await Promise.all([
      this.handoff(req, payloads.handoff, ctx),
      this.offerToPool(req, payloads.pool, plan.chain),
    ]);
    const sendSeconds = rt.clock.nowSeconds() - tSend;
    this.markPart('send', undefined);

    const blocks: BlockRef[] = plan.chain.map((blockId, i) => ({
      blockId,
      firstToken: i * blockTokens,
      numTokens: blockTokens,
      tier: 'TIER_UNSPECIFIED',
      sizeBytes: blockTokens * rt.model.kvBytesPerToken,
    }));
    return {
      requestId: seqId,
      firstTokenId,
      ...(first.logprob === undefined ? {} : { firstTokenLogprob: first.logprob }),
      numCachedTokens: numCached,
      numComputedTokens: P - numCached,
      kvBytesSent: handoffBytes + poolBytes,
      blocks,
      timings: {
        queueSeconds: tQueued - plan.t0,
        fetchKvSeconds: fetchSeconds,
        computeSeconds,
        sendKvSeconds: sendSeconds,
        totalSeconds: rt.clock.nowSeconds() - plan.t0,
      },
    };
  }

  /** Charges the CPU since the last mark to `part`; `next` is the part now open (undefined: none, between prefills). */
  private markPart(part: PrefillPart, next: PrefillPart | undefined): void {
    this.cpu.mark(part);
    this.cpuPart = next;
  }

  /**
   * Payloads for the handoff (tokens [handoffFrom, P), cut at block boundaries) and for the pool (full
   * blocks from index `poolFromBlock` on), exporting each block once.
   */
  private exportPrompt(seqId: string, chain: string[], handoffFrom: number, poolFromBlock: number) {
    const { rt } = this;
    const bt = rt.config.blockTokens;
    const P = rt.kernel.contextLength(seqId);
    const handoff =
      handoffFrom < P
        ? exportBlocks(rt.kernel, seqId, { fromToken: handoffFrom, toToken: P, blockTokens: bt, blockIds: chain })
        : [];
    const byBlock = new Map(handoff.filter((b) => b.blockId !== '').map((b) => [b.firstToken / bt, b]));
    const pool: KvBlockPayload[] = [];
    for (let i = poolFromBlock; i < chain.length; i++) {
      const block =
        byBlock.get(i) ??
        exportBlocks(rt.kernel, seqId, {
          fromToken: i * bt,
          toToken: (i + 1) * bt,
          blockTokens: bt,
          blockIds: chain,
        })[0];
      if (block !== undefined) pool.push(block);
    }
    return { handoff, pool };
  }

  private async handoff(req: PrefillRequest__Output, blocks: KvBlockPayload[], ctx: PrefillCall): Promise<number> {
    const { rt } = this;
    if (req.decodeWsAddress === '' || blocks.length === 0) return 0;
    const t0 = rt.clock.nowSeconds();
    const numTokens = blocks.reduce((a, b) => a + b.numTokens, 0);
    const bytes = blocks.reduce((a, b) => a + b.payload.byteLength, 0);
    try {
      await rt.wsClients.with(req.decodeWsAddress, (c) =>
        sendHandoff(c, req.requestId, blocks, {
          timeoutSeconds: rt.config.transferTimeoutSeconds,
          signal: ctx.signal,
          shm: rt.handoffShm,
        }),
      );
    } catch (err) {
      const e = toOicfError(err);
      if (e.code !== 'CHECKSUM_MISMATCH') {
        rt.wm.handoffs.inc({ outcome: 'failed' });
        throw new OicfError(e.code, `KV handoff of ${req.requestId} to ${req.decodeWsAddress} failed: ${e.message}`, {
          cause: e,
        });
      }
      // The decode worker refused a block and will recompute the KV itself (see class comment).
      rt.wm.handoffs.inc({ outcome: 'rejected' });
      rt.log.warn('decode worker rejected the KV handoff; it recomputes the prompt KV', {
        requestId: req.requestId,
        error: e.message,
      });
      return 0;
    }
    const seconds = await rt.pacer.afterTransfer(numTokens, rt.clock.nowSeconds() - t0, ctx.signal);
    rt.wm.handoffs.inc({ outcome: 'acked' });
    rt.wm.kvSent.inc({ link: 'prefill->decode' }, bytes);
    rt.wm.kvTransferSeconds.observe({ link: 'prefill->decode' }, seconds);
    return bytes;
  }

  private async offerToPool(req: PrefillRequest__Output, blocks: KvBlockPayload[], chain: string[]): Promise<number> {
    const { rt } = this;
    if (req.poolWsAddress === '' || blocks.length === 0) return 0;
    const bt = rt.config.blockTokens;
    const puts: BlockToPut[] = blocks.map((b) => ({
      blockId: b.blockId,
      parentId: b.firstToken === 0 ? '' : (chain[b.firstToken / bt - 1] ?? ''),
      numTokens: b.numTokens,
      payload: b.payload,
      checksum: b.checksum,
    }));
    const t0 = rt.clock.nowSeconds();
    try {
      const out = await rt.blockChannels.with(
        req.poolWsAddress,
        (c) =>
          putBlocks(c, puts, {
            sessionId: req.sessionId,
            ttlSeconds: req.sessionTtlSeconds,
            timeoutSeconds: rt.config.transferTimeoutSeconds,
          }),
        true,
      );
      for (const f of out.failures) rt.log.warn('the pool refused a block', { requestId: req.requestId, ...f });
      const tokens = (out.numStored + out.numAlreadyPresent) * bt;
      const seconds = await rt.pacer.afterTransfer(tokens, rt.clock.nowSeconds() - t0);
      rt.wm.kvSent.inc({ link: 'worker->pool' }, out.bytesSent);
      rt.wm.kvTransferSeconds.observe({ link: 'worker->pool' }, seconds);
      return out.bytesSent;
    } catch (err) {
      rt.log.warn('cannot offer blocks to the pool', { requestId: req.requestId, error: toOicfError(err).message });
      return 0;
    }
  }
}
