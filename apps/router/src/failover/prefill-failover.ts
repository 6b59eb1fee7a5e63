// Step 4 with failover (docs/reliability.md, "prefill worker dies"): remote prefill on the planned prefill
// worker; when it fails, @oicf/sched's decidePrefillRetry says whether to try another prefill worker, prefill
// locally on the request's decode worker (the plan then has no prefill worker and no handoff: the Decode
// call gets the leased pool blocks and computes the rest), or give up with the error. Every attempt is
// logged and counted; the client sees an error only when no worker can prefill its prompt.
import type { PrefillResponse__Output } from '@oicf/proto';
import { decidePrefillRetry } from '@oicf/sched';
import { toOicfError } from '@oicf/transport';
import type { WorkerRegistration } from '../core/worker-registration.js';
import type { CachedPrefix } from '../pipeline/cached-prefix.js';
import { remotePrefill } from '../pipeline/remote-prefill.js';
import type { RequestDeps, RoutedRequest } from '../pipeline/request-context.js';
import type { WorkerCalls } from '../pipeline/worker-calls.js';

export interface PrefillOutcome {
  /** The request as it goes on: its plan names the prefill worker that answered, or none (local prefill). */
  readonly request: RoutedRequest;
  /** The remote prefill's reply; undefined when the decode worker prefills locally. */
  readonly prefilled: PrefillResponse__Output | undefined;
}

/** The request re-planned for another prefill worker (same decode worker, same handoff range). */
function onPrefillWorker(r: RoutedRequest, prefill: WorkerRegistration): RoutedRequest {
  return { ...r, plan: { ...r.plan, prefill }, routing: { ...r.routing, prefillWorkerId: prefill.workerId } };
}

/** The request re-planned for local prefill on its decode worker: no prefill worker, nothing handed off. */
export function asLocalPrefill(r: RoutedRequest): RoutedRequest {
  return {
    ...r,
    plan: { ...r.plan, prefill: undefined, numHandoffTokens: 0, numDecodeCachedTokens: 0 },
    routing: {
      ...r.routing,
      prefillWorkerId: null,
      reason: `${r.routing.reason}; local prefill after a prefill failure`,
    },
  };
}

export async function prefillWithFailover(
  deps: RequestDeps,
  r: RoutedRequest,
  prefix: CachedPrefix,
  calls: WorkerCalls,
): Promise<PrefillOutcome> {
  const { admission, clock, log, metrics } = deps;
  const tried = new Set<string>();
  let request = r;
  for (;;) {
    const prefill = request.plan.prefill as WorkerRegistration;
    tried.add(prefill.workerId);
    try {
      return { request, prefilled: await remotePrefill(deps, request, prefill, prefix, calls) };
    } catch (err) {
      const e = toOicfError(err);
      const decision = decidePrefillRetry({
        attempts: tried.size,
        maxRemoteAttempts: deps.config.prefillMaxAttempts,
        code: e.code,
        clientGone: e.code === 'CANCELLED',
        workers: admission.states(clock.nowSeconds()),
        tried,
        decodeWorkerId: request.plan.decode.workerId,
      });
      // A client that left is not a failure worth a warning.
      (e.code === 'CANCELLED' ? log.info : log.warn).call(log, 'prefill_failed', {
        requestId: r.input.requestId,
        prefillWorkerId: prefill.workerId,
        code: e.code,
        error: e.message,
        next: decision.kind === 'remote' ? `remote on ${decision.prefillWorkerId}` : decision.kind,
      });
      metrics.prefillFailover(decision.kind);
      if (decision.kind === 'fail') throw e;
      if (decision.kind === 'local') return { request: asLocalPrefill(request), prefilled: undefined };
      const next = admission.workers.get(decision.prefillWorkerId)?.registration;
      if (next === undefined) return { request: asLocalPrefill(request), prefilled: undefined };
      request = onPrefillWorker(request, next);
    }
  }
}
