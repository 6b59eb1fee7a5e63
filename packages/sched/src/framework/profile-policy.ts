import type { RouteContext, RouteDecision, RouteRequest, RoutingPolicy } from '../types.js';
import { planPrefill } from './cost.js';
import { planAwaitPrefix } from './pending-cost.js';
import { type Profile, runProfile } from './plugins.js';

/**
 * A policy made of two selection profiles: one picks the decode worker, one the prefill worker
 * (disaggregated mode only; colocated requests prefill on their decode worker). `reasonOf` names
 * the decision for metrics. Cost terms are computed for every decision so predicted and observed
 * TTFT can be compared whatever the policy. When part of the prompt is in flight to the picked decode
 * worker, the request waits for it if that is predicted sooner than computing it (pending-cost.ts).
 */
export function profilePolicy(
  name: string,
  decodeProfile: Profile,
  prefillProfile: Profile,
  reasonOf: (request: RouteRequest, decodeWorkerId: string) => string,
): RoutingPolicy {
  return {
    name,
    route(request: RouteRequest, context: RouteContext): RouteDecision {
      const decode = runProfile(decodeProfile, context.workers, request, context);
      if (decode.kind === 'none') {
        return { kind: 'reject', reason: 'no-worker', message: noWorkerMessage('decode', decode.filter) };
      }
      const decodeWorker = decode.picked.worker;
      let prefillWorker = null;
      if (context.mode === 'disaggregated') {
        const prefillCandidates = context.workers.filter((w) => w.workerId !== decodeWorker.workerId);
        const prefill = runProfile(prefillProfile, prefillCandidates, request, context);
        if (prefill.kind === 'picked') prefillWorker = prefill.picked.worker;
      }
      const computed = planPrefill(request, context, decodeWorker, prefillWorker);
      // Part of the prompt is in flight to the picked worker: wait for it when that is predicted sooner.
      const wait = planAwaitPrefix(request, context, decodeWorker);
      const plan = wait !== undefined && wait.terms.ttftSeconds < computed.terms.ttftSeconds ? wait : computed;
      return {
        kind: 'route',
        prefillWorkerId: plan.prefillWorker?.workerId ?? null,
        decodeWorkerId: decodeWorker.workerId,
        reason: reasonOf(request, decodeWorker.workerId),
        numCachedTokens: plan.numCachedTokens,
        cacheSource: plan.cacheSource,
        terms: plan.terms,
        ...(plan === wait ? { awaitPrefix: wait.awaitPrefix } : {}),
      };
    },
  };
}

export function noWorkerMessage(phase: string, filter: string): string {
  return `no ${phase} worker is available (every candidate was dropped by filter '${filter}'); check that ${phase} workers are registered and healthy`;
}
