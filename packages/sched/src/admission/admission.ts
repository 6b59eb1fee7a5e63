// Admission and routing of requests (docs/architecture.md, "A request, step by step", steps 1–3 and what
// step 6 teaches), and the state they decide on: the worker table, the in-flight record, the prefix index
// and the learned transfer paths. Pure: no socket, clock or environment. Time comes in as `nowSeconds` on
// the host's clock, the pool's answer as a PoolPrefix value, and every outcome goes out as a value. The
// router and a simulator host this same object:
//
//   host                          Admission
//   Register / Heartbeat / sweep ─▶ register / heartbeat / markFailed / sweep (worker table + derived state)
//   request ─────────────────────▶ precheck ─▶ unavailable | invalid | lookup(blockIds)
//   (the host asks its pool: I/O)
//   pool's prefix + now ─────────▶ route ─▶ reject | accept (routing summary + plan)
//   accepted request starts ─────▶ reserve(plan) … prefillDone() … prefixLanded() … release()
//   request finished ────────────▶ finished(plan, reports)
//
// A synchronous pool (a simulator's, a test's) can use `admit`, which is precheck → lookup → route.

import { landingSeconds } from '../framework/pending-cost.js';
import { InflightTracker } from '../state/inflight.js';
import { PendingPrefixes } from '../state/pending-prefixes.js';
import { PrefixIndex } from '../state/prefix-index.js';
import { TransferLinks } from '../state/transfer-links.js';
import { type SpeedPriors, workerStates } from '../state/worker-states.js';
import {
  type WorkerEntry,
  type WorkerLoadReport,
  type WorkerSpec,
  WorkerTable,
  type WorkerTableOptions,
} from '../state/worker-table.js';
import type { PendingPrefix, RoutingPolicy, TransferPath, WorkerState } from '../types.js';
import type {
  AdmissionDecision,
  AdmissionInput,
  AdmissionPrecheck,
  AdmissionReservation,
  FinishedRequest,
  RouteOutcome,
  RoutePlan,
  RoutingSummary,
} from './admission-types.js';
import { contextLimitIssue } from './context-limit.js';
import { finishedBlockIds, transferObservation } from './finished-request.js';
import { NO_POOL_PREFIX, type PoolPrefix } from './pool-prefix.js';
import { promptBlockIds } from './prompt-blocks.js';
import type { QueueLimitsConfig } from './queue-limits.js';
import { AdmissionQueues } from './queue-state.js';
import { buildRouteContext, buildRouteRequest } from './route-inputs.js';
import { planRoute } from './route-plan.js';

export interface AdmissionOptions {
  readonly policy: RoutingPolicy;
  /** Colocated: the router never calls a prefill worker, whatever the policy answers. */
  readonly mode: 'disaggregated' | 'colocated';
  readonly blockTokens: number;
  /** KV bytes one token of the served model occupies on the workers. */
  readonly kvBytesPerToken: number;
  /** Speeds assumed for a worker that has not measured its own yet. */
  readonly priors: SpeedPriors;
  /** How often workers heartbeat; a rejected client is told to retry after about two of them. */
  readonly heartbeatIntervalSeconds: number;
  /** When a silent worker turns unhealthy, and when it is dropped. */
  readonly health: WorkerTableOptions;
  /** The cost model's transfer paths to start from, and whether finished requests teach it. */
  readonly transfer: {
    readonly tierPaths: Readonly<Record<string, TransferPath>>;
    readonly handoffPath: TransferPath;
    readonly learn: boolean;
  };
  /**
   * Queue bounds per worker pool (queue-limits.ts); absent = unbounded. `priorSequenceSeconds` is the mean
   * decode-slot hold time assumed until finished requests teach it (default: 128 decode steps at the prior
   * step time).
   */
  readonly queueLimits?: QueueLimitsConfig & { readonly priorSequenceSeconds?: number };
}

export class Admission<R extends WorkerSpec = WorkerSpec> {
  /** Read freely; change only through register / heartbeat / markFailed / sweep (they keep the rest in step). */
  readonly workers: WorkerTable<R>;
  readonly inflight = new InflightTracker();
  readonly prefixIndex = new PrefixIndex();
  /** Prompt blocks routed requests are computing, by decode worker, until they land (pending-prefixes.ts). */
  readonly pending = new PendingPrefixes();
  readonly links: TransferLinks;
  /** Seconds a rejected client should wait before retrying (Retry-After): about two heartbeats. */
  readonly retryAfterSeconds: number;
  /** The queue bounds and what they track; undefined when unbounded. */
  readonly queues: AdmissionQueues | undefined;

  constructor(private readonly options: AdmissionOptions) {
    this.workers = new WorkerTable<R>(options.health);
    const t = options.transfer;
    this.links = new TransferLinks(t.tierPaths, t.handoffPath, t.learn, options.kvBytesPerToken);
    this.retryAfterSeconds = Math.max(1, Math.ceil(2 * options.heartbeatIntervalSeconds));
    const q = options.queueLimits;
    this.queues =
      q === undefined
        ? undefined
        : new AdmissionQueues(q, q.priorSequenceSeconds ?? 128 * options.priors.decodeStepSeconds);
  }

  get policyName(): string {
    return this.options.policy.name;
  }

  /**
   * Adds or replaces a worker (idempotent per id). A changed registration is a restarted worker: what the
   * prefix index knew of its cache is gone. A decode-capable worker's index is capped at its capacity in
   * blocks. Returns the previous registration when there was one.
   */
  register(registration: R, nowSeconds: number): { isNew: boolean; changed: boolean; previous: R | undefined } {
    const previous = this.workers.get(registration.workerId)?.registration;
    const { isNew, changed } = this.workers.register(registration, nowSeconds);
    if (changed) {
      if (previous !== undefined) {
        this.prefixIndex.forget(previous.workerId);
        this.pending.forget(previous.workerId);
      }
      if (registration.role !== 'prefill') {
        const blockBytes = this.options.blockTokens * this.options.kvBytesPerToken;
        this.prefixIndex.setCapacity(registration.workerId, Math.floor(registration.kvCapacityBytes / blockBytes));
      }
    }
    return { isNew, changed, previous };
  }

  /** Records a heartbeat; false when the worker is unknown (it must register again). */
  heartbeat(workerId: string, load: WorkerLoadReport, nowSeconds: number): boolean {
    if (!this.workers.heartbeat(workerId, load, nowSeconds)) return false;
    // Its report now includes whatever finished before it (worker-states.ts).
    this.inflight.markReport(workerId);
    return true;
  }

  /** A call to the worker failed: unhealthy until its next heartbeat. */
  markFailed(workerId: string, reason: string): void {
    this.workers.markFailed(workerId, reason);
  }

  /** Drops workers silent for longer than the drop time, and what the index knew of them; returns their entries. */
  sweep(nowSeconds: number): WorkerEntry<R>[] {
    const before = new Map(this.workers.entries().map((e) => [e.registration.workerId, e]));
    const dropped: WorkerEntry<R>[] = [];
    for (const id of this.workers.sweep(nowSeconds)) {
      this.prefixIndex.forget(id);
      this.pending.forget(id);
      const entry = before.get(id);
      if (entry !== undefined) dropped.push(entry);
    }
    return dropped;
  }

  /** Every registered worker as the policies see it at `nowSeconds` (heartbeats + in-flight record). */
  states(nowSeconds: number): WorkerState[] {
    return workerStates(this.workers, nowSeconds, this.inflight, this.options.priors);
  }

  /** Step 1: what needs no pool. No decode worker → unavailable; too long for every one → invalid. */
  precheck(input: AdmissionInput): AdmissionPrecheck {
    const entries = this.workers.entries();
    if (!entries.some((e) => e.registration.role !== 'prefill')) {
      return {
        kind: 'unavailable',
        message: 'no decode worker is registered with this router yet: start workers, or retry shortly',
        retryAfterSeconds: this.retryAfterSeconds,
      };
    }
    const tooLong = contextLimitIssue(
      entries.map((e) => e.registration),
      input.promptTokenIds.length,
      input.maxTokens,
    );
    if (tooLong !== undefined) return { kind: 'invalid', field: tooLong.field, message: tooLong.message };
    const given = input.promptBlockIds;
    return {
      kind: 'lookup',
      blockIds: given === undefined ? promptBlockIds(input.promptTokenIds, this.options.blockTokens) : [...given],
    };
  }

  /**
   * Steps 2–3: given the pool's cached prefix of `blockIds` (from precheck) and the time now, the policy's
   * decision. The policy sees what each decode worker holds and, apart, what is in flight to it (pending,
   * with when it lands): it may wait for that instead of recomputing it. An accepted request's new blocks
   * become pending on its decode worker at once (so a burst sharing a prefix sees them), expected at now +
   * its predicted TTFT (+ that worker's first decode step after a remote prefill: `landingSeconds`), and
   * held once its reservation reports them landed.
   */
  route(input: AdmissionInput, blockIds: readonly string[], pool: PoolPrefix, nowSeconds: number): RouteOutcome<R> {
    const { policy, mode, blockTokens, kvBytesPerToken } = this.options;
    const workerPrefixBlocks = this.prefixIndex.leadingBlocksByWorker(blockIds);
    const request = buildRouteRequest({
      workerPendingPrefix: this.pendingByWorker(blockIds, workerPrefixBlocks, nowSeconds),
      requestId: input.requestId,
      numPromptTokens: input.promptTokenIds.length,
      maxOutputTokens: input.maxTokens,
      blockIds,
      blockTokens,
      kvBytesPerToken,
      sessionId: input.sessionId,
      workerPrefixBlocks,
      pool,
    });
    const workers = workerStates(this.workers, nowSeconds, this.inflight, this.options.priors);
    const context = buildRouteContext(workers, mode, this.links.tierPaths(), this.links.handoffPath());
    const decision = policy.route(request, context);
    if (decision.kind === 'reject') {
      const { reason, message } = decision;
      return {
        kind: 'reject',
        reason,
        message,
        retryAfterSeconds: this.retryAfterSeconds,
        policy: policy.name,
        decision,
      };
    }
    const prefillWorkerId = mode === 'colocated' ? null : decision.prefillWorkerId;
    const decode = this.workers.get(decision.decodeWorkerId)?.registration;
    const prefill = prefillWorkerId === null ? undefined : this.workers.get(prefillWorkerId)?.registration;
    const decodeState = workers.find((w) => w.workerId === decision.decodeWorkerId);
    if (decode === undefined || decodeState === undefined || (prefillWorkerId !== null && prefill === undefined)) {
      throw new Error(`policy ${policy.name} picked a worker that is not registered: ${JSON.stringify(decision)}`);
    }
    const queued = this.queues?.check(workers, decision.decodeWorkerId, prefillWorkerId, nowSeconds);
    if (queued !== undefined && queued.kind === 'reject') {
      const { reason, message, retryAfterSeconds } = queued;
      return {
        kind: 'reject',
        reason,
        message,
        retryAfterSeconds,
        policy: policy.name,
        decision: { kind: 'reject', reason, message },
      };
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
      ...(decision.awaitPrefix !== undefined ? { awaitsRequestId: decision.awaitPrefix.requestId } : {}),
    };
    const held = workerPrefixBlocks.get(decision.decodeWorkerId) ?? 0;
    this.prefixIndex.record(decision.decodeWorkerId, blockIds.slice(0, held));
    this.pending.add(
      input.requestId,
      decision.decodeWorkerId,
      blockIds.slice(held),
      nowSeconds + landingSeconds(decision.terms.ttftSeconds, prefillWorkerId !== null, decodeState),
    );
    const plan = planRoute({
      input,
      blockIds,
      blockTokens,
      pool,
      decode,
      prefill,
      numCachedTokens: decision.numCachedTokens,
      decodePrefixBlocks: decision.awaitPrefix?.numBlocks ?? held,
      ...(decision.awaitPrefix !== undefined ? { awaitPrefix: decision.awaitPrefix } : {}),
    });
    this.queues?.routed(plan, decision.decodeWorkerId, prefillWorkerId, nowSeconds);
    return { kind: 'accept', routing, plan, decision };
  }

  /** Steps 1–3 with a synchronous pool lookup (not called for a prompt without a full block). */
  admit(
    input: AdmissionInput,
    lookupPool: (blockIds: readonly string[]) => PoolPrefix,
    nowSeconds: number,
  ): AdmissionDecision<R> {
    const pre = this.precheck(input);
    if (pre.kind !== 'lookup') return pre;
    const pool = pre.blockIds.length === 0 ? NO_POOL_PREFIX : lookupPool(pre.blockIds);
    return this.route(input, pre.blockIds, pool, nowSeconds);
  }

  /**
   * An accepted request starts: its load counts on its workers until `release` (one sequence and its
   * worst-case KV, (prompt + max_tokens) × KV bytes per token, on the decode worker; its uncached prompt
   * tokens on the worker that prefills it until `prefillDone`). Its prompt blocks are pending on the decode
   * worker until `prefixLanded` records them as held there; `release` before that drops them.
   */
  reserve(plan: RoutePlan<R>): AdmissionReservation {
    const numPrompt = plan.promptTokenIds.length;
    const reserved = this.inflight.reserve({
      decodeWorkerId: plan.decode.workerId,
      prefillWorkerId: plan.prefill?.workerId ?? plan.decode.workerId,
      kvBytes: (numPrompt + plan.maxTokens) * this.options.kvBytesPerToken,
      prefillTokens: numPrompt - plan.numCachedTokens,
    });
    const hold = this.queues === undefined ? reserved : this.queues.started(plan, reserved);
    let landed = false;
    return {
      prefillDone: hold.prefillDone,
      prefixLanded: () => {
        if (landed) return;
        landed = true;
        this.pending.drop(plan.requestId);
        this.prefixIndex.record(plan.decode.workerId, plan.blockIds);
      },
      release: () => {
        hold.release();
        this.pending.drop(plan.requestId);
      },
    };
  }

  /** Step 6: a request finished: its transfers teach the cost model, its blocks stay on its decode worker. */
  finished(plan: RoutePlan<R>, report: FinishedRequest): void {
    const bt = this.options.blockTokens;
    this.links.observe(transferObservation(plan, report, bt));
    this.queues?.observeSequenceSeconds(report.decode.decodeSeconds);
    this.pending.drop(plan.requestId);
    this.prefixIndex.record(plan.decode.workerId, finishedBlockIds(plan, report.generatedTokenIds, bt));
  }

  /**
   * Per decode worker, the pending run continuing the prefix it holds: leading blocks held or pending there
   * and seconds until they are expected (never negative: an overdue prefix is expected now).
   */
  private pendingByWorker(
    blockIds: readonly string[],
    held: ReadonlyMap<string, number>,
    nowSeconds: number,
  ): Map<string, PendingPrefix> {
    const out = new Map<string, PendingPrefix>();
    if (this.pending.numRequests === 0) return out;
    for (const e of this.workers.entries()) {
      const id = e.registration.workerId;
      if (e.registration.role === 'prefill') continue;
      const h = held.get(id) ?? 0;
      const run = this.pending.leadingRun(id, blockIds, h);
      if (run === undefined) continue;
      out.set(id, {
        numBlocks: h + run.numBlocks,
        readyInSeconds: Math.max(0, run.readyAtSeconds - nowSeconds),
        requestId: run.requestId,
      });
    }
    return out;
  }
}
