import { requestKvBytes } from '../filters/filters.js';
import { type PrefillPlan, planPrefill } from '../framework/cost.js';
import { type AwaitPlan, awaitReason, planAwaitPrefix } from '../framework/pending-cost.js';
import type { RouteContext, RouteDecision, RouteRequest, RoutingPolicy, WorkerState } from '../types.js';

export interface OicfCostParams {
  /** Reject (HTTP 429, reason 'slo') when the best predicted TTFT exceeds this. */
  readonly sloTtftSeconds: number;
  /** Prefill on the decode worker itself when at most this many prompt tokens are uncached
   * there (Dynamo's max_local_prefill_length): shipping KV costs more than computing it. */
  readonly maxLocalPrefillTokens: number;
}

const fmt = (s: number) => `${(s * 1000).toFixed(1)} ms`;

/**
 * The oicf cost policy (DESIGN §4): for every decode worker whose free KV memory holds the
 * request's whole footprint (prompt + max output tokens), and every way to prefill it (remote on
 * each prefill worker, or local when the uncached suffix is short or nothing else exists), predict
 * TTFT = queue + prefix transfer from the tier that holds it + prefill of uncached tokens +
 * handoff, and take the minimum. Rejects when no decode worker can ever hold the KV, when all are
 * full right now, or when the best TTFT breaks the SLO.
 */
export function oicfCostPolicy(params: OicfCostParams): RoutingPolicy {
  return {
    name: 'oicf-cost',
    route(request: RouteRequest, context: RouteContext): RouteDecision {
      const decoders = context.workers.filter((w) => w.healthy && (w.role === 'decode' || w.role === 'both'));
      if (decoders.length === 0) {
        return { kind: 'reject', reason: 'no-worker', message: 'no healthy decode worker is registered' };
      }
      const neededBytes = requestKvBytes(request);
      const largest = Math.max(...decoders.map((w) => w.kvBytesCapacity));
      if (largest < neededBytes) {
        return {
          kind: 'reject',
          reason: 'capacity',
          message: `the request needs ${neededBytes} bytes of KV (${request.numPromptTokens} prompt + ${request.maxOutputTokens} max output tokens × ${request.kvBytesPerToken} B/token) but the largest decode worker holds ${largest}; shorten the prompt or max_tokens`,
        };
      }
      const fitting = decoders.filter((w) => w.kvBytesCapacity - w.kvBytesUsed >= neededBytes);
      if (fitting.length === 0) {
        const mostFree = Math.max(...decoders.map((w) => w.kvBytesCapacity - w.kvBytesUsed));
        return {
          kind: 'reject',
          reason: 'capacity',
          message: `every decode worker is full: the request needs ${neededBytes} bytes of KV and at most ${mostFree} are free; retry later`,
        };
      }
      const prefillers =
        context.mode === 'disaggregated' ? context.workers.filter((w) => w.healthy && w.role === 'prefill') : [];
      let best: { plan: PrefillPlan; reason: string } | undefined;
      for (const d of fitting) {
        for (const option of optionsFor(request, context, d, prefillers, params)) {
          if (!best || better(option.plan, best.plan)) best = option;
        }
      }
      if (!best) throw new Error('oicf-cost: a fitting decode worker produced no prefill option');
      const t = best.plan.terms;
      if (t.ttftSeconds > params.sloTtftSeconds) {
        const wait =
          (t.prefixWaitSeconds ?? 0) > 0 ? `wait for an in-flight prefix ${fmt(t.prefixWaitSeconds ?? 0)}, ` : '';
        return {
          kind: 'reject',
          reason: 'slo',
          message: `predicted time to first token ${fmt(t.ttftSeconds)} (${wait}queue ${fmt(t.queueSeconds)}, prefix transfer ${fmt(t.prefixTransferSeconds)}, prefill ${fmt(t.prefillSeconds)}, handoff ${fmt(t.handoffSeconds)}) exceeds the SLO of ${fmt(params.sloTtftSeconds)}; retry later or raise the SLO`,
          terms: t,
        };
      }
      return {
        kind: 'route',
        prefillWorkerId: best.plan.prefillWorker?.workerId ?? null,
        decodeWorkerId: best.plan.decodeWorker.workerId,
        reason: best.reason,
        numCachedTokens: best.plan.numCachedTokens,
        cacheSource: best.plan.cacheSource,
        terms: t,
        ...('awaitPrefix' in best.plan ? { awaitPrefix: (best.plan as AwaitPlan).awaitPrefix } : {}),
      };
    },
  };
}

function optionsFor(
  request: RouteRequest,
  context: RouteContext,
  d: WorkerState,
  prefillers: readonly WorkerState[],
  params: OicfCostParams,
): { plan: PrefillPlan; reason: string }[] {
  const options: { plan: PrefillPlan; reason: string }[] = [];
  const local = planPrefill(request, context, d, null);
  const uncachedLocally = request.numPromptTokens - local.numCachedTokens;
  const remote = prefillers.filter((p) => p.workerId !== d.workerId);
  // Waiting for an in-flight prefix ends in a local prefill of the rest: the same short-suffix rule applies.
  const wait = planAwaitPrefix(request, context, d);
  if (
    wait !== undefined &&
    (remote.length === 0 || request.numPromptTokens - wait.numCachedTokens <= params.maxLocalPrefillTokens)
  ) {
    options.push({ plan: wait, reason: awaitReason(wait) });
  }
  if (remote.length === 0) {
    options.push({
      plan: local,
      reason: context.mode === 'colocated' ? 'colocated' : 'local-prefill-no-prefill-worker',
    });
    return options;
  }
  if (uncachedLocally <= params.maxLocalPrefillTokens) {
    options.push({ plan: local, reason: 'local-prefill-short-suffix' });
  }
  for (const p of remote) options.push({ plan: planPrefill(request, context, d, p), reason: 'remote-prefill' });
  return options;
}

/** Lower TTFT wins; ties go to the decode worker with fewer sequences, then to local prefill. */
function better(a: PrefillPlan, b: PrefillPlan): boolean {
  const eps = 1e-12;
  if (a.terms.ttftSeconds < b.terms.ttftSeconds - eps) return true;
  if (a.terms.ttftSeconds > b.terms.ttftSeconds + eps) return false;
  const la = a.decodeWorker.numRunning + a.decodeWorker.numWaiting;
  const lb = b.decodeWorker.numRunning + b.decodeWorker.numWaiting;
  if (la !== lb) return la < lb;
  return a.prefillWorker === null && b.prefillWorker !== null;
}
