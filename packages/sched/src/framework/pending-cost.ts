// Pricing the choice a request has when part of its prefix is being computed right now for another request
// on a decode worker (state/pending-prefixes.ts): recompute it (the ordinary plans of cost.ts, which never
// count pending blocks as held), or wait for it to land on that worker and prefill only the rest there.
import { reusablePrefixBlocks } from '@oicf/kv';
import type { AwaitPrefix, RouteContext, RouteRequest, WorkerState } from '../types.js';
import { type PrefillPlan, planPrefill } from './cost.js';

/** A local prefill on the decode worker that first waits for an in-flight prefix. */
export interface AwaitPlan extends PrefillPlan {
  readonly awaitPrefix: AwaitPrefix;
  /** True when the awaited prefix is every block the prompt can reuse: the same prefill, coalesced. */
  readonly coalesced: boolean;
}

/**
 * The wait option on `decodeWorker`, or undefined when nothing pending there extends what it holds.
 *
 *   TTFT = wait + max(0, queue − wait) + prefill(prompt − awaited prefix)
 *
 * where wait = until the pending prefix is expected to land (the in-flight request's predicted TTFT), queue
 * = the worker's own queue now (its prefill queue and a running decode step, as for any local prefill: the
 * request joins the batch once the prefix is there, and work queued now has drained for `wait` seconds by
 * then), and the prefill is priced by the same line as every other plan (`planPrefill` with the pending
 * blocks counted as held, and no pool read: the awaited prefix is at least as long as what it replaces).
 */
export function planAwaitPrefix(
  request: RouteRequest,
  context: RouteContext,
  decodeWorker: WorkerState,
): AwaitPlan | undefined {
  const pending = request.workerPendingPrefix?.get(decodeWorker.workerId);
  if (pending === undefined) return undefined;
  const held = request.workerPrefixBlocks.get(decodeWorker.workerId) ?? 0;
  const usable = Math.min(pending.numBlocks, reusablePrefixBlocks(request.numPromptTokens, request.blockTokens));
  if (usable <= held) return undefined;
  const asIfHeld: RouteRequest = {
    ...request,
    workerPrefixBlocks: new Map([[decodeWorker.workerId, usable]]),
    poolPrefix: { numBlocks: 0, tierOfBlock: [] },
  };
  const local = planPrefill(asIfHeld, context, decodeWorker, null);
  const wait = Math.max(0, pending.readyInSeconds);
  const queueSeconds = Math.max(0, local.terms.queueSeconds - wait);
  return {
    ...local,
    cacheSource: 'worker',
    terms: {
      prefixWaitSeconds: wait,
      queueSeconds,
      prefillSeconds: local.terms.prefillSeconds,
      prefixTransferSeconds: 0,
      handoffSeconds: 0,
      ttftSeconds: wait + queueSeconds + local.terms.prefillSeconds,
    },
    awaitPrefix: { requestId: pending.requestId, numBlocks: usable, waitSeconds: wait },
    coalesced: usable >= reusablePrefixBlocks(request.numPromptTokens, request.blockTokens),
  };
}

/**
 * Seconds from routing until a routed request's prompt blocks land on its decode worker: when that worker
 * emits the request's first token (LandedPrompts.landed; the router's `prefixLanded`, its first Decode
 * chunk). A local prefill emits it from its prefill step: its TTFT. After a remote prefill the first token
 * is the prefill worker's (the TTFT), and the decode worker emits it together with the second, from its
 * first decode step on the handed-off KV: one decode step of that worker later. A request waiting for
 * these blocks waits until then.
 */
export function landingSeconds(ttftSeconds: number, remotePrefill: boolean, decodeWorker: WorkerState): number {
  return ttftSeconds + (remotePrefill ? decodeWorker.decodeStepSeconds : 0);
}

/** The routing reason of a wait plan (counted in metrics like every other reason). */
export function awaitReason(plan: AwaitPlan): string {
  return plan.coalesced ? 'coalesced-inflight-prefill' : 'wait-inflight-prefix';
}
