// gatherKv of the twin's decode worker (apps/decode-worker/src/kv-gather.ts), in the same order: the
// longest prefix in its own block cache, then further blocks from the pool (`planFetch`; a miss ends the
// prefix), then for remote prefill the handoff (a gap before it, where the router thought this worker held
// more than it does, computed here first). `reusablePrefixBlocks` bounds what cached KV may be used.
import { type KvSourceRef, planFetch, reusablePrefixBlocks } from '@oicf/kv';
import type { SimContext } from '../core/sim-context.js';
import type { DecodeWorkerState } from './decode-state.js';
import { fetchFromPool } from './pool-fetch.js';
import { priceStep } from './step-times.js';
import type { DecodeCall } from './worker-calls.js';

/** A handoff pushed to this worker: its tokens, and when they are really here. */
export interface HandoffArrival {
  readonly numTokens: number;
  readonly arrivedSeconds: number;
}

export interface GatheredKv {
  /** Prompt tokens whose KV is present (the engine computes the rest). */
  readonly numPresentTokens: number;
  readonly numLocalTokens: number;
  readonly numPoolTokens: number;
  readonly numHandoffTokens: number;
}

/** The address the twin's pool is named by in KvSources. */
export const POOL_ADDRESS = 'pool';

export function gatherKv(
  ctx: SimContext,
  worker: DecodeWorkerState,
  call: DecodeCall,
  handoff: HandoffArrival | undefined,
  done: (g: GatheredKv) => void,
): void {
  const bt = ctx.cluster.blockTokens;
  const chain = call.prompt.blockIds;
  const P = call.prompt.numTokens;
  const H = call.numHandoffTokens;
  const limitBlocks = reusablePrefixBlocks(P, bt, H);
  const local = worker.cache.longestPrefix(limitBlocks >= chain.length ? chain : chain.slice(0, limitBlocks));
  const numLocalTokens = local.length * bt;
  const sources: KvSourceRef[] =
    call.kvSources === undefined
      ? []
      : [{ wsAddress: POOL_ADDRESS, leaseId: call.kvSources.leaseId, blocks: call.kvSources.blocks }];
  const plans = planFetch(sources, chain, bt, local.length, limitBlocks);
  fetchFromPool(ctx, { kind: 'worker', workerId: worker.workerId }, plans, (numPoolTokens) => {
    const present = numLocalTokens + numPoolTokens;
    const base = { numLocalTokens, numPoolTokens };
    if (H === 0) {
      done({ ...base, numPresentTokens: present, numHandoffTokens: 0 });
      return;
    }
    // Remote prefill: KV this worker was thought to hold but does not is computed before the handoff.
    const now = ctx.queue.nowSeconds;
    const ready = (computeSeconds: number) => {
      const at = Math.max(now + computeSeconds, handoff?.arrivedSeconds ?? now);
      ctx.queue.at(at, () => done({ ...base, numPresentTokens: P, numHandoffTokens: handoff?.numTokens ?? H }));
    };
    if (present < P - H) {
      const numTokens = P - H - present;
      const shape = { phase: 'prefill' as const, numNewTokens: numTokens, cachedTokens: present };
      priceStep(ctx, worker.spec, shape, (_kernelSeconds, computeSeconds) => {
        worker.loop.speeds.record('prefill', numTokens, computeSeconds);
        ready(computeSeconds);
      });
    } else {
      ready(0);
    }
  });
}
