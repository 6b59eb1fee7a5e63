// The twin's router: @oicf/sched's Admission, hosted with the twin's pool and clock, around the same
// request path as the router's pipeline (apps/router/src/pipeline: RouterCore.admit, runRequest):
//
//   precheck ─▶ pool Lookup (a hop each way) ─▶ route ─▶ reject (503 overloaded / 429 slo) | reserve
//   ─▶ lease the plan's pool blocks ─▶ [remote] Prefill ─▶ first token to the client, prefillDone, release
//   ─▶ Decode (chunks relayed as they come; local prefill: prefillDone and release at the first chunk)
//   ─▶ finished: Admission.finished (transfer learning, prefix index), summary, done; release
//
// Messages between services take `rpcSeconds` each way; client ↔ router messages `httpSeconds`.
import {
  type Admission,
  createRoutingPolicy,
  NO_POOL_PREFIX,
  type PoolPrefix,
  type RouteDecision,
  rejectClass,
} from '@oicf/sched';
import type { SimContext } from '../core/sim-context.js';
import { newAdmission, type SimRegistration } from './admission-host.js';
import type { ClientRequest } from './client-request.js';
import { type ClientSink, runRouted } from './run-routed.js';
import type { DecodeWorkerPort, PrefillWorkerPort } from './worker-ports.js';

export interface RouterCounters {
  numRequests: number;
  numRouted: number;
  readonly routedByReason: Map<string, number>;
  readonly rejectedByReason: Map<string, number>;
  numInvalid: number;
  numUnavailable: number;
}

export class SimRouter {
  readonly admission: Admission<SimRegistration>;
  readonly counters: RouterCounters = {
    numRequests: 0,
    numRouted: 0,
    routedByReason: new Map(),
    rejectedByReason: new Map(),
    numInvalid: 0,
    numUnavailable: 0,
  };
  /** Every routed decision, in order (for checks that compare decisions with the router's). */
  readonly decisions: { requestId: string; atSeconds: number; decision: RouteDecision }[] = [];
  keepDecisions = false;

  constructor(
    private readonly ctx: SimContext,
    readonly workers: {
      readonly decode: ReadonlyMap<string, DecodeWorkerPort>;
      readonly prefill: ReadonlyMap<string, PrefillWorkerPort>;
    },
    readonly httpSeconds: number,
  ) {
    const r = ctx.cluster.router;
    const policy = createRoutingPolicy(r.policy, r.policyParams, 'router.policy');
    if (!policy.ok) throw new Error(`invalid routing policy: ${policy.errors.join('; ')}`);
    this.admission = newAdmission(ctx.cluster, policy.value);
  }

  /** A client sends `req` now; its events reach `sink` at the virtual times the client receives them. */
  submit(req: ClientRequest, sink: ClientSink): void {
    const { ctx } = this;
    ctx.queue.after(this.httpSeconds, () => {
      // The router's own work per request (host-cost model) on its main thread, before it decides.
      const p = ctx.processes;
      if (p === undefined) this.arrive(req, sink);
      else p.router.serve(p.cost.router.secondsPerRequest, () => this.arrive(req, sink));
    });
  }

  private arrive(req: ClientRequest, sink: ClientSink): void {
    const { ctx } = this;
    const http = this.httpSeconds;
    this.counters.numRequests++;
    const arrival = ctx.queue.nowSeconds;
    const input = {
      requestId: req.requestId,
      promptTokenIds: req.prompt.tokenIds,
      promptBlockIds: req.prompt.blockIds,
      maxTokens: req.maxTokens,
      sessionId: req.sessionId,
    };
    if (req.prompt.numTokens > ctx.cluster.router.maxPromptTokens) {
      this.counters.numInvalid++;
      const message = `prompt has ${req.prompt.numTokens} tokens; this router accepts at most ${ctx.cluster.router.maxPromptTokens}`;
      ctx.queue.after(http, () => sink.onError(400, 'invalid_value', message));
      return;
    }
    const pre = this.admission.precheck(input);
    if (pre.kind !== 'lookup') {
      if (pre.kind === 'invalid') this.counters.numInvalid++;
      else this.counters.numUnavailable++;
      // The front door's answers: 400 invalid_value naming the field, 503 UNAVAILABLE.
      const status = pre.kind === 'invalid' ? 400 : 503;
      const code = pre.kind === 'invalid' ? 'invalid_value' : 'UNAVAILABLE';
      ctx.queue.after(http, () => sink.onError(status, code, pre.message));
      return;
    }
    const route = (pool: PoolPrefix) => {
      const decided = this.admission.route(input, pre.blockIds, pool, ctx.queue.nowSeconds);
      if (this.keepDecisions) {
        this.decisions.push({
          requestId: req.requestId,
          atSeconds: ctx.queue.nowSeconds,
          decision: decided.decision,
        });
      }
      if (decided.kind === 'reject') {
        const m = this.counters.rejectedByReason;
        m.set(decided.reason, (m.get(decided.reason) ?? 0) + 1);
        // The router's split (docs/reliability.md): overloaded → 503 (capacity, no-worker, queue-full,
        // queue-time), rate-limited → 429 (slo).
        const status = rejectClass(decided.reason) === 'overloaded' ? 503 : 429;
        ctx.queue.after(http, () => sink.onError(status, decided.reason, decided.message));
        return;
      }
      this.counters.numRouted++;
      const m = this.counters.routedByReason;
      m.set(decided.routing.reason, (m.get(decided.routing.reason) ?? 0) + 1);
      runRouted(ctx, this, { req, arrivalSeconds: arrival, routing: decided.routing, plan: decided.plan }, sink);
    };
    const pool = ctx.pool;
    if (pre.blockIds.length === 0 || pool === undefined) {
      route(NO_POOL_PREFIX);
      return;
    }
    // Lookup: the pool answers from its state one hop later; the router decides when the answer is back.
    ctx.queue.after(ctx.rpcSeconds, () => {
      const blocks = pool.lookup(pre.blockIds, ctx.queue.nowSeconds);
      ctx.queue.after(ctx.rpcSeconds, () => route({ blocks }));
    });
  }
}
