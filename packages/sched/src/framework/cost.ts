import type { CostTerms, RouteContext, RouteRequest, TransferPath, WorkerState } from '../types.js';

/** Where a request's prompt gets prefilled and what it can reuse there. */
export interface PrefillPlan {
  /** null = the decode worker prefills locally. */
  readonly prefillWorker: WorkerState | null;
  readonly decodeWorker: WorkerState;
  readonly numCachedTokens: number;
  readonly cacheSource: 'worker' | 'pool' | 'none';
  readonly terms: CostTerms;
}

function transferSeconds(bytes: number, path: TransferPath): number {
  return bytes <= 0 ? 0 : path.latencySeconds + bytes / path.bandwidthBytesPerSecond;
}

/**
 * Seconds to read pool blocks [fromBlock, toBlock) to a worker, each from the tier holding it.
 * Blocks of one tier are fetched as one stream (one latency per tier touched). Every block below
 * `poolPrefix.numBlocks` has its tier in `tierOfBlock` (the host's pool adapter names it); a missing
 * one is a broken invariant and throws, rather than being priced as some tier by guess.
 */
export function poolReadSeconds(
  request: RouteRequest,
  context: RouteContext,
  fromBlock: number,
  toBlock: number,
): number {
  const bytesPerBlock = request.blockTokens * request.kvBytesPerToken;
  const bytesByTier = new Map<string, number>();
  for (let i = fromBlock; i < toBlock; i++) {
    const tier = request.poolPrefix.tierOfBlock[i];
    if (tier === undefined) {
      throw new Error(
        `poolPrefix.tierOfBlock has no tier for block ${i} (numBlocks ${request.poolPrefix.numBlocks}, ${request.poolPrefix.tierOfBlock.length} tiers)`,
      );
    }
    bytesByTier.set(tier, (bytesByTier.get(tier) ?? 0) + bytesPerBlock);
  }
  let seconds = 0;
  for (const [tier, bytes] of bytesByTier) {
    const path = context.tierPaths[tier];
    if (!path) throw new Error(`no transfer path for pool tier '${tier}'`);
    seconds += transferSeconds(bytes, path);
  }
  return seconds;
}

function prefillSeconds(worker: WorkerState, numTokens: number): number {
  return numTokens <= 0 ? 0 : worker.prefillFixedSeconds + worker.prefillSecondsPerToken * numTokens;
}

/**
 * Predicted time to first token (DESIGN §4): queue + prefill of the uncached tokens + KV transfer
 * from where the prefix lives (+ the prefill→decode handoff when prefill is remote).
 *
 * Remote prefill on P: P reuses the pool's prefix (P keeps no KV after a handoff), computes the
 * rest, and ships what D lacks. Local prefill on D: D reuses its own prefix or, if longer, the
 * pool's (reading only the blocks beyond its own); its queue includes the current decode step.
 */
export function planPrefill(
  request: RouteRequest,
  context: RouteContext,
  decodeWorker: WorkerState,
  prefillWorker: WorkerState | null,
): PrefillPlan {
  const bt = request.blockTokens;
  const ownBlocks = Math.min(request.workerPrefixBlocks.get(decodeWorker.workerId) ?? 0, request.blockIds.length);
  const poolBlocks = Math.min(request.poolPrefix.numBlocks, request.blockIds.length);
  // At least one prompt token is always computed (it produces the first token's logits).
  const maxCachedTokens = Math.max(0, request.numPromptTokens - 1);
  if (prefillWorker === null) {
    const useWorker = ownBlocks >= poolBlocks;
    const cachedBlocks = useWorker ? ownBlocks : poolBlocks;
    const numCachedTokens = Math.min(cachedBlocks * bt, maxCachedTokens);
    const queueSeconds =
      decodeWorker.numQueuedPrefillTokens * decodeWorker.prefillSecondsPerToken +
      (decodeWorker.numRunning > 0 ? decodeWorker.decodeStepSeconds : 0);
    const prefixTransferSeconds = useWorker ? 0 : poolReadSeconds(request, context, ownBlocks, poolBlocks);
    const prefill = prefillSeconds(decodeWorker, request.numPromptTokens - numCachedTokens);
    return {
      prefillWorker: null,
      decodeWorker,
      numCachedTokens,
      cacheSource: cachedBlocks === 0 ? 'none' : useWorker ? 'worker' : 'pool',
      terms: {
        queueSeconds,
        prefillSeconds: prefill,
        prefixTransferSeconds,
        handoffSeconds: 0,
        ttftSeconds: queueSeconds + prefixTransferSeconds + prefill,
      },
    };
  }
  const numCachedTokens = Math.min(poolBlocks * bt, maxCachedTokens);
  const queueSeconds = prefillWorker.numQueuedPrefillTokens * prefillWorker.prefillSecondsPerToken;
  const prefixTransferSeconds = poolReadSeconds(request, context, 0, poolBlocks);
  const prefill = prefillSeconds(prefillWorker, request.numPromptTokens - numCachedTokens);
  const handoffTokens = Math.max(0, request.numPromptTokens - ownBlocks * bt);
  const handoffSeconds = transferSeconds(handoffTokens * request.kvBytesPerToken, context.handoffPath);
  return {
    prefillWorker,
    decodeWorker,
    numCachedTokens,
    cacheSource: poolBlocks === 0 ? 'none' : 'pool',
    terms: {
      queueSeconds,
      prefillSeconds: prefill,
      prefixTransferSeconds,
      handoffSeconds,
      ttftSeconds: queueSeconds + prefixTransferSeconds + prefill + handoffSeconds,
    },
  };
}
