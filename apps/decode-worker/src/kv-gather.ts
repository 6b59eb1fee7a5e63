import { chainBlockIds, type LocalBlockCache, planFetch, reusablePrefixBlocks } from '@oicf/kv';
import type { DecodeRequest__Output } from '@oicf/proto';
import { OicfError } from '@oicf/transport';
import { fetchPrefix, importPayload, type WorkerRuntime } from '@oicf/worker';
import type { HandoffStore } from './handoff-store.js';

/** Where a Decode call's prompt KV came from, and what the engine is given. */
export interface GatheredKv {
  /** Prompt tokens whose KV is in the runner (the engine computes the rest). */
  readonly numPresentTokens: number;
  /** Set when prefill ran remotely: the engine continues after it. */
  readonly firstTokenId: number | undefined;
  readonly numLocalTokens: number;
  /** Tokens fetched from `kv_sources` holders (the pool or peer workers). */
  readonly numPoolTokens: number;
  readonly numHandoffTokens: number;
  /** Tokens this worker computed while gathering (gaps, a rejected handoff). */
  readonly numRecomputedTokens: number;
}

/**
 * Gathers a prompt's KV into the runner (docs/architecture.md step 5), in this order:
 *   1. the longest prefix in this worker's local block cache;
 *   2. further blocks from `kv_sources` (pool or peer workers; verified, a miss stops the prefix);
 *   3. remote prefill (num_handoff_tokens > 0): tokens [P − H, P) from kv.handoff frames. A gap before
 *      P − H (the router thought this worker held more than it does) is computed here first; a handoff
 *      rejected for a bad checksum is imported up to the bad frame and the rest recomputed, so the
 *      request completes with the first token the prefill worker sampled.
 * With local prefill (H = 0) at least one prompt token is left for the engine, which samples the first
 * token from its logits.
 */
export async function gatherKv(
  rt: WorkerRuntime,
  deps: {
    cache: LocalBlockCache;
    handoffs: HandoffStore;
    /** Measured seconds of each synchronous import into the runner (local blocks, fetched blocks, the handoff). */
    onImportSeconds?: (seconds: number) => void;
  },
  req: DecodeRequest__Output,
  signal: AbortSignal,
): Promise<GatheredKv> {
  const timed = (importAll: () => void): void => {
    const t = performance.now();
    importAll();
    deps.onImportSeconds?.((performance.now() - t) / 1000);
  };
  const { blockTokens: bt } = rt.config;
  const seqId = req.requestId;
  const prompt = req.promptTokenIds;
  const P = prompt.length;
  const H = req.numHandoffTokens;
  const numLayers = rt.model.config.numLayers;
  const maxTokens = rt.steps.maxTokensFor(seqId);
  const chain = chainBlockIds(prompt, { blockTokens: bt });
  // Cached blocks are useful up to the handoff start (remote) or up to P − 1 (local prefill).
  const limitBlocks = reusablePrefixBlocks(P, bt, H);

  const local = deps.cache.longestPrefix(chain.slice(0, limitBlocks));
  timed(() => {
    for (const b of local) importPayload(rt.kernel, seqId, b.position * bt, b.payload, numLayers, maxTokens);
  });
  let present = local.length * bt;
  // Reuse is counted by the worker that prefills the request: with remote prefill (H > 0) the prefill worker
  // counted the prompt, and this local prefix only shortened the handoff.
  if (H === 0) rt.wm.prefixReused.inc({ source: 'local' }, present);

  const t0 = rt.clock.nowSeconds();
  const fetched = await fetchPrefix(planFetch(req.kvSources, chain, bt, local.length, limitBlocks), {
    channels: rt.blockChannels,
    kvBytesPerToken: rt.model.kvBytesPerToken,
    timeoutSeconds: rt.config.transferTimeoutSeconds,
    signal,
    staging: rt.kvStaging, // read once into the worker's reused slab, imported from there
  });
  const linkOf = (address: string) => (address === rt.config.pool?.wsAddress ? 'pool->worker' : 'worker->worker');
  for (const p of fetched.problems) {
    rt.wm.blockMisses.inc({ link: linkOf(p.wsAddress), reason: p.problem });
    if (p.problem === 'checksum') rt.wm.checksumFailures.inc({ link: linkOf(p.wsAddress) });
  }
  for (const f of fetched.failures)
    rt.log.warn('cached KV fetch failed; computing it instead', { requestId: seqId, ...f });
  for (const [address, bytes] of fetched.bytesByAddress) rt.wm.kvReceived.inc({ link: linkOf(address) }, bytes);
  try {
    timed(() => {
      for (const b of fetched.blocks) importPayload(rt.kernel, seqId, b.firstToken, b.payload, numLayers, maxTokens);
    });
  } finally {
    fetched.release(); // the runner copied them into its KV: the slab's chunks serve the next fetch
  }
  const numPoolTokens = fetched.blocks.length * bt;
  present += numPoolTokens;
  for (const b of fetched.blocks) {
    rt.wm.prefixReused.inc({ source: linkOf(b.wsAddress) === 'pool->worker' ? 'pool' : 'peer' }, b.numTokens);
  }
  if (numPoolTokens > 0) {
    const seconds = await rt.pacer.afterTransfer(numPoolTokens, rt.clock.nowSeconds() - t0, signal);
    rt.wm.kvTransferSeconds.observe({ link: linkOf(fetched.blocks[0]?.wsAddress ?? '') }, seconds);
  }

  const base = { numLocalTokens: local.length * bt, numPoolTokens };
  if (H === 0) {
    return { ...base, numPresentTokens: present, firstTokenId: undefined, numHandoffTokens: 0, numRecomputedTokens: 0 };
  }

  let recomputed = 0;
  if (present < P - H) {
    recomputed += await computeDirect(rt, seqId, prompt.slice(0, P - H), present, signal);
    present = P - H;
  }
  const waitSeconds = req.kvWaitSeconds > 0 ? req.kvWaitSeconds : rt.config.kvWaitSeconds;
  const tWait = rt.clock.nowSeconds();
  const handoff = await deps.handoffs.wait(seqId, waitSeconds, signal);
  let handoffTokens = 0;
  try {
    timed(() => {
      for (const f of handoff.frames) {
        if (f.firstToken > present) break; // never leave a gap in the runner
        importPayload(rt.kernel, seqId, f.firstToken, f.payload, numLayers, maxTokens);
        present = Math.max(present, f.firstToken + f.numTokens);
        handoffTokens += f.numTokens;
      }
    });
  } finally {
    handoff.release();
  }
  rt.wm.kvTransferSeconds.observe({ link: 'prefill->decode' }, rt.clock.nowSeconds() - tWait);
  if (handoff.kind === 'failed' || present < P) {
    rt.wm.handoffs.inc({ outcome: 'recomputed' });
    rt.log.warn('KV handoff incomplete; recomputing the rest of the prompt here', {
      requestId: seqId,
      fromToken: present,
      toToken: P,
      reason: handoff.kind === 'failed' ? handoff.error.message : 'frames did not reach the end of the prompt',
    });
    if (present < P) {
      recomputed += await computeDirect(rt, seqId, prompt, present, signal);
      present = P;
    }
  } else {
    rt.wm.handoffs.inc({ outcome: 'received' });
  }
  return {
    ...base,
    numPresentTokens: P,
    firstTokenId: req.firstTokenId,
    numHandoffTokens: handoffTokens,
    numRecomputedTokens: recomputed,
  };
}

/** Computes KV for tokens[from..] outside the engine: one paced, recorded prefill step. */
async function computeDirect(
  rt: WorkerRuntime,
  seqId: string,
  tokens: readonly number[],
  from: number,
  signal: AbortSignal,
): Promise<number> {
  if (signal.aborted) throw new OicfError('CANCELLED', `Decode ${seqId} was cancelled`);
  const t0 = rt.clock.nowSeconds();
  const out = await rt.steps.prefillDirect(seqId, tokens, from);
  const shape = { phase: 'prefill' as const, numNewTokens: tokens.length - from, cachedTokens: from };
  const analysis = rt.analyzer.analyze(shape);
  const seconds = await rt.pacer.afterStep(analysis.target, rt.clock.nowSeconds() - t0, signal);
  rt.recorder.record(shape, out.stats, seconds, analysis);
  // Only with remote prefill: the prefill worker computed (and counted) these tokens already.
  rt.wm.recomputedTokens.inc({ reason: 'handoff' }, tokens.length - from);
  return tokens.length - from;
}
