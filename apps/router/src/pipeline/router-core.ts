// Admission and routing of one request (docs/architecture.md steps 1–3): the decisions are @oicf/sched's
// Admission (precheck → route); this class adds the I/O around them. It asks the pool for the cached prefix
// between the two (a failed lookup is a miss), logs the decision at debug with its cost terms, counts it by
// reason, and hands an accepted request to runRequest (steps 4–6).
import type { RouteDecision } from '@oicf/sched';
import { NO_POOL_PREFIX, type PoolPrefix } from '@oicf/sched';
import type { GenerateInput } from '../core/generate-input.js';
import type { Logger } from '../logger.js';
import type { ClientSignal } from './client-abort.js';
import type { EventSink } from './event-sink.js';
import type { RequestDeps } from './request-context.js';
import { runRequest, runRequestTo } from './run-request.js';
import type { AdmissionResult } from './types.js';

function logDecision(log: Logger, requestId: string, policy: string, decision: RouteDecision): void {
  if (!log.enabled('debug')) return;
  log.debug('route_decision', { requestId, policy, ...decision });
}

export class RouterCore {
  constructor(private readonly deps: RequestDeps) {}

  /**
   * Routes one validated request. `arrivalSeconds` is when it reached the router (its clock). Synchronous
   * (no promise) when there is no pool to ask: a prompt without a full block, the hot path of short requests.
   */
  admit(input: GenerateInput, arrivalSeconds: number): AdmissionResult | Promise<AdmissionResult> {
    const pre = this.deps.admission.precheck(input);
    if (pre.kind !== 'lookup') return pre;
    if (pre.blockIds.length === 0) return this.decide(input, arrivalSeconds, pre.blockIds, NO_POOL_PREFIX);
    return this.lookupPool(input.requestId, pre.blockIds).then((pool) =>
      this.decide(input, arrivalSeconds, pre.blockIds, pool),
    );
  }

  /** Step 3 given the pool's answer: the policy's decision, logged and counted. */
  private decide(
    input: GenerateInput,
    arrivalSeconds: number,
    blockIds: readonly string[],
    pool: PoolPrefix,
  ): AdmissionResult {
    const { admission, clock, log, metrics } = this.deps;
    const decided = admission.route(input, blockIds, pool, clock.nowSeconds());
    logDecision(log, input.requestId, admission.policyName, decided.decision);
    if (decided.kind === 'reject') {
      metrics.rejected(decided.reason);
      const { reason, message, retryAfterSeconds, policy } = decided;
      return { kind: 'reject', reason, message, retryAfterSeconds, policy };
    }
    metrics.routed(decided.routing.policy, decided.routing.reason);
    const { routing, plan } = decided;
    const routed = { input, arrivalSeconds, routing, plan };
    return {
      kind: 'accepted',
      routing,
      run: (signal: ClientSignal) => runRequest(this.deps, routed, signal),
      runTo: (signal: ClientSignal, sink: EventSink) => runRequestTo(this.deps, routed, signal, sink),
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
