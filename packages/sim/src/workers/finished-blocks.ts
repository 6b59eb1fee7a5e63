// What happens to a finished sequence's KV on the twin's decode worker (apps/decode-worker/src/
// finished-blocks.ts): its full blocks (prompt + output as far as the KV reaches: the last generated token
// has none) go into the local block cache, which shrinks to the capacity left by running sequences, and are
// offered to the pool with the session's TTL in the background, skipping the prefix the pool already holds.
// A prompt's full blocks take the same path when its KV is first present (its first token: landed-prompts.ts).
import { extendedBlockIds } from '@oicf/sched';
import { chargeTransfer } from '../core/host-processes.js';
import type { SimContext } from '../core/sim-context.js';
import type { DecodeWorkerState, SizedBlock } from './decode-state.js';
import type { DecodeCall } from './worker-calls.js';

export function keepFinishedBlocks(
  ctx: SimContext,
  worker: DecodeWorkerState,
  call: DecodeCall,
  generated: readonly number[],
): void {
  const bt = ctx.cluster.blockTokens;
  const prompt = call.prompt;
  // KV covers prompt + every generated token but the last: extend the prompt's ids by those.
  keepBlocks(ctx, worker, call, extendedBlockIds(prompt.blockIds, prompt.tokenIds, generated.slice(0, -1), bt));
}

/**
 * FinishedBlocks.keep of `ids` (a chain from the prompt's first block): into the local block cache (blocks
 * it holds are reused), which shrinks to the capacity running sequences leave; `onCached` (the worker's
 * prefix waiters re-check); then the background pool offer. Also a prompt's landing (landed-prompts.ts).
 */
export function keepBlocks(ctx: SimContext, worker: DecodeWorkerState, call: DecodeCall, ids: readonly string[]): void {
  if (ids.length === 0) return;
  const payload = { byteLength: ctx.cluster.blockTokens * ctx.cluster.kvBytesPerToken };
  const blocks: SizedBlock[] = ids.map((blockId) => worker.cache.peek(blockId) ?? { blockId, payload });
  worker.cache.insertChain(blocks);
  worker.cache.shrinkTo(worker.spec.kvCapacityBytes - worker.loop.engine.kvBytesUsed);
  worker.onCached();
  offerToPool(ctx, worker.workerId, ids, { sessionId: call.sessionId, ttlSeconds: call.sessionTtlSeconds });
}

/**
 * Lookup (one message hop each way) → put the blocks past the pool's prefix → the pool stores each block
 * when its bytes arrive. Shared by both workers' offers (the prefill worker offers newly computed blocks).
 * Calls `done` (optional) when the sender's put returns.
 */
export function offerToPool(
  ctx: SimContext,
  workerId: string,
  ids: readonly string[],
  session: { sessionId: string; ttlSeconds: number },
  done?: () => void,
): void {
  const pool = ctx.pool;
  if (pool === undefined || ids.length === 0) {
    done?.();
    return;
  }
  ctx.queue.after(ctx.rpcSeconds, () => {
    const have = pool.numCachedBlocks(ids, ctx.queue.nowSeconds);
    ctx.queue.after(ctx.rpcSeconds, () => putBlocks(ctx, workerId, ids, have, session, done));
  });
}

/** Puts ids[from..] (each after its parent ids[from − 1]) over the worker → pool legs. */
export function putBlocks(
  ctx: SimContext,
  workerId: string,
  ids: readonly string[],
  from: number,
  session: { sessionId: string; ttlSeconds: number },
  done?: () => void,
  /** Charge the worker's per-byte CPU for the put (false: the caller's own send cost covers it). */
  chargeSender = true,
): void {
  const pool = ctx.pool;
  const n = ids.length - from;
  if (pool === undefined || n <= 0) {
    done?.();
    return;
  }
  const bt = ctx.cluster.blockTokens;
  const now = ctx.queue.nowSeconds;
  // The tier each block lands in is decided on arrival; writes into a paced nearest tier are priced there.
  const nearest = pool.spec.tiers[0];
  const tierWrites = nearest?.paced ? new Map([[nearest.id, n * pool.blockBytes]]) : undefined;
  const t = ctx.fabric.transfer({
    from: { kind: 'worker', workerId },
    to: { kind: 'pool' },
    numTokens: n * bt,
    readySeconds: now,
    ...(tierWrites !== undefined ? { tierWrites } : {}),
  });
  if (chargeSender) chargeTransfer(ctx, { kind: 'worker', workerId }, { kind: 'pool' }, n * bt, t.arrivedSeconds);
  else chargeTransfer(ctx, undefined, { kind: 'pool' }, n * bt, t.arrivedSeconds);
  ctx.queue.at(t.arrivedSeconds, () => {
    const at = ctx.queue.nowSeconds;
    for (let i = from; i < ids.length; i++) {
      pool.put(
        { blockId: ids[i] as string, parentId: i === 0 ? '' : (ids[i - 1] as string), numTokens: bt },
        session,
        at,
      );
    }
  });
  if (done !== undefined) ctx.queue.at(Math.max(t.doneSeconds, t.arrivedSeconds), done);
}
