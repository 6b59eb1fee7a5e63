// Admission and routing of one request (docs/architecture.md steps 1–3): the decisions are @oicf/sched's
// Admission (precheck → route); this class adds the I/O around them. It asks the pool for the cached prefix
// between the two (a failed lookup is a miss), logs the decision at debug with its cost terms, counts it by
// reason, and hands an accepted request to runRequest (steps 4–6).
import type { RouteDecision } from '@oicf/sched';
import { NO_POOL_PREFIX, type PoolPrefix } from '@oicf/sched';
import type { GenerateInput } from '../core/generate-input.js';
import type { Logger } from '../logger.js';
import type { RequestDeps } from './request-context.js';
import { runRequest } from './run-request.js';
import type { AdmissionResult } from './types.js';

function logDecision(log: Logger, requestId: string, policy: string, decision: RouteDecision): void {
  if (!log.enabled('debug')) return;
  log.debug('route_decision', { requestId, policy, ...decision });
}

export class RouterCore {
  constructor(private readonly deps: RequestDeps) {}

  /** Routes one validated request. `arrivalSeconds` is when it reached the router (its clock). */
  async admit(input: GenerateInput, arrivalSeconds: number): Promise<AdmissionResult> {
    const { admission, clock, log, metrics } = this.deps;
    const pre = admission.precheck(input);
    if (pre.kind !== 'lookup') return pre;
    // A prompt without a full block has no prefix to ask for: no await on the hot path of short requests.
    const pool = pre.blockIds.length === 0 ? NO_POOL_PREFIX : await this.lookupPool(input.requestId, pre.blockIds);
    const decided = admission.route(input, pre.blockIds, pool, clock.nowSeconds());
    logDecision(log, input.requestId, admission.policyName, decided.decision);
    if (decided.kind === 'reject') {
      metrics.rejected(decided.reason);
      const { reason, message, retryAfterSeconds, policy } = decided;
      return { kind: 'reject', reason, message, retryAfterSeconds, policy };
    }
    metrics.routed(decided.routing.policy, decided.routing.reason);
    const { routing, plan } = decided;
    return {
      kind: 'accepted',
      routing,
      run: (signal) => runRequest(this.deps, { input, arrivalSeconds, routing, plan }, signal),
    };
  }

  /** The pool's cached prefix of `blockIds` (step 2). */
  private async lookupPool(requestId: string, blockIds: readonly string[]): Promise<PoolPrefix> {
    try {
      return await this.deps.pool.lookup(blockIds);
    } catch (err) {
      this.deps.log.warn('pool_lookup_failed', { requestId, error: (err as Error).message });
      return NO_POOL_PREFIX;
    }
  }
}
