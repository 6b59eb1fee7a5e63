// A worker's fetch of planned pool blocks (fetchPrefix over the pool's kv.get): the pool serves the get
// one message hop after the call, the blocks found from the first planned one on are the prefix (a miss
// ends it), and their KV is present once its transfer is done (the pool → worker legs of the fabric, the
// far tiers' read pacing included).
import type { FetchPlan } from '@oicf/kv';
import type { NodeRef } from '../core/fabric.js';
import { chargeTransfer } from '../core/host-processes.js';
import type { SimContext } from '../core/sim-context.js';

export function fetchFromPool(
  ctx: SimContext,
  to: NodeRef,
  plans: readonly FetchPlan[],
  done: (numTokens: number, fetchSeconds: number) => void,
): void {
  const pool = ctx.pool;
  const start = ctx.queue.nowSeconds;
  if (plans.length === 0 || pool === undefined) {
    done(0, 0);
    return;
  }
  ctx.queue.after(ctx.rpcSeconds, () => {
    const now = ctx.queue.nowSeconds;
    let numTokens = 0;
    const tierReads = new Map<string, number>();
    for (const plan of plans) {
      const ids = plan.blocks.map((b) => b.blockId);
      const got = pool.get(ids, plan.leaseId, now);
      let n = 0;
      while (n < got.length && got[n]?.blockId === ids[n]) {
        const b = got[n];
        if (b !== undefined) {
          numTokens += b.numTokens;
          tierReads.set(b.readFromTier, (tierReads.get(b.readFromTier) ?? 0) + b.numBytes);
        }
        n++;
      }
      if (n < ids.length) break;
    }
    const t = ctx.fabric.transfer({ from: { kind: 'pool' }, to, numTokens, readySeconds: now, tierReads });
    chargeTransfer(ctx, { kind: 'pool' }, to, numTokens, t.arrivedSeconds);
    // At least the reply's hop back, even when nothing was found.
    ctx.queue.at(Math.max(t.doneSeconds, now + ctx.rpcSeconds), () => done(numTokens, ctx.queue.nowSeconds - start));
  });
}
