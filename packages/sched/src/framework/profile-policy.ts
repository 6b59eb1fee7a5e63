import type { RouteContext, RouteDecision, RouteRequest, RoutingPolicy } from '../types.js';
import { planPrefill } from './cost.js';
import { type Profile, runProfile } from './plugins.js';

/**
 * A policy made of two selection profiles: one picks the decode worker, one the prefill worker
 * (disaggregated mode only; colocated requests prefill on their decode worker). `reasonOf` names
 * the decision for metrics. Cost terms are computed for every decision so predicted and observed
 * TTFT can be compared whatever the policy.
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
      const plan = planPrefill(request, context, decodeWorker, prefillWorker);
      return {
        kind: 'route',
        prefillWorkerId: plan.prefillWorker?.workerId ?? null,
        decodeWorkerId: decodeWorker.workerId,
        reason: reasonOf(request, decodeWorker.workerId),
        numCachedTokens: plan.numCachedTokens,
        cacheSource: plan.cacheSource,
        terms: plan.terms,
      };
    },
  };
}

export function noWorkerMessage(phase: string, filter: string): string {
  return `no ${phase} worker is available (every candidate was dropped by filter '${filter}'); check that ${phase} workers are registered and healthy`;
}
