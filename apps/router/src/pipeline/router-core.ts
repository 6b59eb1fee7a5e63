// Admission and routing of one request: block ids → pool lookup → the router's prefix index → policy
// decision (logged at debug with its cost terms, counted by reason) → in-flight reservation. The
// accepted request's stream is run by run-request.ts.
import type { RouteDecision, RoutingPolicy } from '@oicf/sched';
import type { Clock } from '@oicf/transport';
import type { PoolPort } from '../adapters/pool-client.js';
import type { WorkerClients } from '../adapters/worker-clients.js';
import type { RouterConfig } from '../config.js';
import { contextLimitIssue } from '../core/context-limit.js';
import type { GenerateInput } from '../core/generate-input.js';
import type { InflightTracker } from '../core/inflight.js';
import type { PrefixIndex } from '../core/prefix-index.js';
import { promptBlockIds } from '../core/prompt.js';
import type { RoutingSummary } from '../core/request-summary.js';
import {
  buildRouteContext,
  buildRouteRequest,
  NO_POOL_PREFIX,
  type PoolPrefix,
  usablePoolBlocks,
} from '../core/route-request.js';
import type { TransferLinks } from '../core/transfer-links.js';
import { workerStates } from '../core/worker-states.js';
import type { Logger } from '../logger.js';
import type { RouterMetrics } from '../metrics.js';
import type { WorkerRegistry } from '../registry/registry.js';
import { runRequest } from './run-request.js';
import type { Admission } from './types.js';

export interface RouterCoreDeps {
  readonly config: RouterConfig;
  readonly clock: Clock;
  readonly log: Logger;
  readonly registry: WorkerRegistry;
  readonly pool: PoolPort;
  readonly clients: WorkerClients;
  readonly metrics: RouterMetrics;
  readonly policy: RoutingPolicy;
  readonly prefixIndex: PrefixIndex;
  readonly inflight: InflightTracker;
  readonly kvBytesPerToken: number;
  /** Pool-tier and handoff paths for the cost model, learned from finished requests. */
  readonly links: TransferLinks;
}

/** Seconds a rejected client should wait before retrying (Retry-After): about two heartbeats. */
function retryAfterSeconds(config: RouterConfig): number {
  return Math.max(1, Math.ceil(2 * config.heartbeatIntervalSeconds));
}

function logDecision(log: Logger, requestId: string, policy: string, decision: RouteDecision): void {
  if (!log.enabled('debug')) return;
  log.debug('route_decision', { requestId, policy, ...decision });
}

export class RouterCore {
  constructor(private readonly deps: RouterCoreDeps) {}

  /** Routes one validated request. `arrivalSeconds` is when it reached the router (its clock). */
  async admit(input: GenerateInput, arrivalSeconds: number): Promise<Admission> {
    const { config, registry, log, metrics, policy } = this.deps;
    const entries = registry.table.entries();
    if (!entries.some((e) => e.registration.role !== 'prefill')) {
      return {
        kind: 'unavailable',
        message: 'no decode worker is registered with this router yet: start workers, or retry shortly',
      };
    }
    const tooLong = contextLimitIssue(
      entries.map((e) => e.registration),
      input.promptTokenIds.length,
      input.maxTokens,
    );
    if (tooLong !== undefined) return { kind: 'invalid', field: tooLong.field, message: tooLong.message };
    const blockIds = promptBlockIds(input.promptTokenIds, config.blockTokens);
    const pool = await this.lookupPool(input.requestId, blockIds);
    const workerPrefixBlocks = this.deps.prefixIndex.leadingBlocksByWorker(blockIds);
    const request = buildRouteRequest({
      requestId: input.requestId,
      numPromptTokens: input.promptTokenIds.length,
      maxOutputTokens: input.maxTokens,
      blockIds,
      blockTokens: config.blockTokens,
      kvBytesPerToken: this.deps.kvBytesPerToken,
      sessionId: input.sessionId,
      workerPrefixBlocks,
      pool,
    });
    const workers = workerStates(registry.table, this.deps.clock.nowSeconds(), this.deps.inflight, {
      prefillSecondsPerToken: config.priorPrefillSecondsPerToken,
      decodeStepSeconds: config.priorDecodeStepSeconds,
    });
    const context = buildRouteContext(workers, config.mode, this.deps.links.tierPaths(), this.deps.links.handoffPath());
    const decision = policy.route(request, context);
    logDecision(log, input.requestId, policy.name, decision);
    if (decision.kind === 'reject') {
      metrics.rejected(decision.reason);
      return {
        kind: 'reject',
        reason: decision.reason,
        message: decision.message,
        retryAfterSeconds: retryAfterSeconds(config),
        policy: policy.name,
      };
    }
    metrics.routed(policy.name, decision.reason);
    // Colocated mode never calls a prefill worker, whatever a policy answers.
    const prefillWorkerId = config.mode === 'colocated' ? null : decision.prefillWorkerId;
    const decodeEntry = registry.table.get(decision.decodeWorkerId);
    const prefillEntry = prefillWorkerId === null ? undefined : registry.table.get(prefillWorkerId);
    if (decodeEntry === undefined || (prefillWorkerId !== null && prefillEntry === undefined)) {
      throw new Error(`policy ${policy.name} picked a worker that is not registered: ${JSON.stringify(decision)}`);
    }
    const routing: RoutingSummary = {
      requestId: input.requestId,
      policy: policy.name,
      reason: decision.reason,
      prefillWorkerId,
      decodeWorkerId: decision.decodeWorkerId,
      numCachedTokens: decision.numCachedTokens,
      cacheSource: decision.cacheSource,
      predictedTtftSeconds: decision.terms.ttftSeconds,
    };
    // The decode worker will hold the prompt's blocks from now on (recorded before the request runs, so
    // a burst of requests sharing a prefix already sees it, as llm-d's approximate index does).
    const decodePrefixBlocks = workerPrefixBlocks.get(decision.decodeWorkerId) ?? 0;
    this.deps.prefixIndex.record(decision.decodeWorkerId, blockIds);
    return {
      kind: 'accepted',
      routing,
      run: (signal) =>
        runRequest(
          this.deps,
          {
            input,
            arrivalSeconds,
            routing,
            blockIds,
            poolBlocks: usablePoolBlocks(pool, input.promptTokenIds.length, config.blockTokens),
            decodePrefixBlocks,
            decode: decodeEntry.registration,
            prefill: prefillEntry?.registration,
          },
          signal,
        ),
    };
  }

  private async lookupPool(requestId: string, blockIds: readonly string[]): Promise<PoolPrefix> {
    if (blockIds.length === 0) return NO_POOL_PREFIX;
    try {
      return await this.deps.pool.lookup(blockIds);
    } catch (err) {
      this.deps.log.warn('pool_lookup_failed', { requestId, error: (err as Error).message });
      return NO_POOL_PREFIX;
    }
  }
}
