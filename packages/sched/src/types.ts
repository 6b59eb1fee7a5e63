// Routing inputs and outputs. Everything the router knows about a request and the workers is
// passed in as plain values (no sockets, no clocks): a decision is a pure function of them.
import type { PoolTierId } from '@oicf/core';

export type WorkerRole = 'prefill' | 'decode' | 'both';

/** A worker as last reported by its heartbeat (plus what the router derived). */
export interface WorkerState {
  readonly workerId: string;
  readonly role: WorkerRole;
  /** False once heartbeats stop or the worker reports draining. */
  readonly healthy: boolean;
  /** Sequences in the running batch. */
  readonly numRunning: number;
  /** Sequences admitted but not yet running. */
  readonly numWaiting: number;
  /** Prompt tokens still to be prefilled by this worker (its prefill queue, in tokens). */
  readonly numQueuedPrefillTokens: number;
  /** Bytes of KV resident in the worker's own memory (its "HBM"). */
  readonly kvBytesUsed: number;
  readonly kvBytesCapacity: number;
  /** Most sequences the worker batches in one decode step. */
  readonly maxBatch: number;
  /** Prefill cost model: seconds = fixed + perToken · tokens (measured or emulated). */
  readonly prefillFixedSeconds: number;
  readonly prefillSecondsPerToken: number;
  /** Seconds of one decode step at the current batch. */
  readonly decodeStepSeconds: number;
}

/** How fast KV moves from one place to another (a tier read or a worker-to-worker link). */
export interface TransferPath {
  readonly bandwidthBytesPerSecond: number;
  readonly latencySeconds: number;
}

export interface RouteRequest {
  readonly requestId: string;
  readonly numPromptTokens: number;
  readonly maxOutputTokens: number;
  /** Chained ids of the prompt's full blocks, in order. */
  readonly blockIds: readonly string[];
  readonly blockTokens: number;
  /** KV bytes one token occupies on the workers (the served model at its KV precision). */
  readonly kvBytesPerToken: number;
  readonly sessionId?: string;
  /** Leading prompt blocks each worker holds in its own memory (workers absent hold none). */
  readonly workerPrefixBlocks: ReadonlyMap<string, number>;
  /**
   * Prompt blocks a worker will hold once in-flight prefills land there (state/pending-prefixes.ts), by
   * worker: absent when none continue its held prefix. Never counted as held: reusing them means waiting.
   */
  readonly workerPendingPrefix?: ReadonlyMap<string, PendingPrefix>;
  /** Leading prompt blocks the pool holds, and the tier of each of those blocks (one entry per block). */
  readonly poolPrefix: { readonly numBlocks: number; readonly tierOfBlock: readonly PoolTierId[] };
}

/** A worker's prefix once its in-flight prefills land: what a request could reuse by waiting. */
export interface PendingPrefix {
  /** Leading prompt blocks held or pending there (more than `workerPrefixBlocks` says it holds). */
  readonly numBlocks: number;
  /** Seconds from now until the last of them is expected to land (≥ 0). */
  readonly readyInSeconds: number;
  /** The in-flight request whose landing completes them. */
  readonly requestId: string;
}

/** Wait for an in-flight prefix on the decode worker, then prefill the rest there (a routed decision's). */
export interface AwaitPrefix {
  readonly requestId: string;
  /** Leading prompt blocks the decode worker will hold once it lands (its held ones included). */
  readonly numBlocks: number;
  readonly waitSeconds: number;
}

export interface RouteContext {
  readonly workers: readonly WorkerState[];
  /** Read path from each pool tier to a worker, by tier id (`@oicf/core` POOL_TIER_IDS). */
  readonly tierPaths: Readonly<Record<string, TransferPath>>;
  /** Worker-to-worker KV path (prefill → decode handoff). */
  readonly handoffPath: TransferPath;
  /** Disaggregated: distinct prefill and decode pools; colocated: one worker does both. */
  readonly mode: 'disaggregated' | 'colocated';
}

/** The terms of a predicted time to first token, in seconds (all ≥ 0). */
export interface CostTerms {
  /** Waiting for an in-flight prefix to land on the decode worker (absent = 0: no wait). */
  readonly prefixWaitSeconds?: number;
  /** Queueing at the worker that prefills (after the prefix wait, when there is one). */
  readonly queueSeconds: number;
  readonly prefillSeconds: number;
  /** Cached prefix from where it lives to the worker that prefills. */
  readonly prefixTransferSeconds: number;
  /** New KV from the prefill worker to the decode worker (0 when the same worker). */
  readonly handoffSeconds: number;
  readonly ttftSeconds: number;
}

export type RejectReason = 'slo' | 'capacity' | 'no-worker';

export type RouteDecision =
  | {
      readonly kind: 'route';
      /** null: the decode worker prefills locally (colocated, or remote prefill skipped). */
      readonly prefillWorkerId: string | null;
      readonly decodeWorkerId: string;
      /** Short machine-readable reason, counted in metrics (e.g. 'prefix-hit', 'least-loaded'). */
      readonly reason: string;
      /** Prompt tokens whose KV is reused instead of recomputed. */
      readonly numCachedTokens: number;
      /** Where the reused KV comes from. */
      readonly cacheSource: 'worker' | 'pool' | 'none';
      readonly terms: CostTerms;
      /** Set when the request waits for an in-flight prefix instead of recomputing it (local prefill after). */
      readonly awaitPrefix?: AwaitPrefix;
    }
  | {
      readonly kind: 'reject';
      readonly reason: RejectReason;
      /** Says what was wrong and what would help; returned to the client with HTTP 429. */
      readonly message: string;
      readonly terms?: CostTerms;
    };

/** A routing policy: a name, validated parameters, and a decision per request. */
export interface RoutingPolicy {
  readonly name: string;
  route(request: RouteRequest, context: RouteContext): RouteDecision;
}
