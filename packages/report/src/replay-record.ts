import type { RunMetrics } from './metrics-snapshot.js';

/**
 * What a replay records: one row per trace request that was started, plus the run's metadata, the
 * client-side timeline and the cluster metric scrapes. Times are seconds since the replay started
 * (the driver's clock), so a record never depends on wall-clock time.
 */

/**
 * - `ok`: the stream finished with a finish reason.
 * - `rejected`: HTTP 429 (admission control); `errorCode` is the reason (`slo`, `capacity`, `no-worker`).
 * - `error`: any other HTTP status, a network failure or a stream that broke off.
 * - `cancelled`: stopped by Ctrl-C while waiting for a slot or in flight.
 */
export type RequestStatus = 'ok' | 'rejected' | 'error' | 'cancelled';

export const REQUEST_STATUSES: readonly RequestStatus[] = ['ok', 'rejected', 'error', 'cancelled'];

/** Where the router found the prompt's cached prefix. */
export type CacheSource = 'worker' | 'pool' | 'none';

/** The router's `oicf` block (docs: router HTTP contract), in camelCase with units in the names. */
export interface RoutingInfo {
  readonly serverRequestId: string | null;
  readonly policy: string | null;
  readonly reason: string | null;
  readonly prefillWorkerId: string | null;
  readonly decodeWorkerId: string | null;
  readonly cacheSource: CacheSource | null;
  readonly numCachedTokens: number | null;
  readonly predictedTtftSeconds: number | null;
  /** TTFT and end-to-end time as the router measured them (from its receipt of the request). */
  readonly serverTtftSeconds: number | null;
  readonly serverE2eSeconds: number | null;
  readonly kvBytesMoved: number | null;
  readonly queueSeconds: number | null;
  readonly prefillSeconds: number | null;
  readonly kvTransferSeconds: number | null;
  readonly decodeSeconds: number | null;
}

export interface ReplayRequestRecord {
  /** The trace's request id. */
  readonly requestId: string;
  readonly sessionId: string | null;
  readonly turnIndex: number | null;
  /** When the plan said to send it: arrival ÷ speed (open loop) or previous completion + gap ÷ speed (closed). */
  readonly scheduledSeconds: number;
  /** When it was actually sent (after any wait for a concurrency slot); null when it never was. */
  readonly sentSeconds: number | null;
  /** Seconds spent waiting for a concurrency slot (0 when one was free). */
  readonly slotWaitSeconds: number;
  readonly numInputTokens: number;
  /** `max_tokens` asked for (the trace's output length after scaling, at least 1). */
  readonly numOutputTokensRequested: number;
  /** Output tokens received: the final usage's completion_tokens, else the tokens counted in the stream. */
  readonly numOutputTokens: number;
  /** `usage.prompt_tokens_details.cached_tokens`, else the oicf block's count; null when neither came. */
  readonly numCachedTokens: number | null;
  /** Send → first token. */
  readonly ttftSeconds: number | null;
  /** Gaps between consecutive streamed token chunks (vLLM's ITL definition: per chunk). */
  readonly interTokenSeconds: readonly number[];
  /** (e2e − TTFT) ÷ (output tokens − 1); null with fewer than 2 output tokens. */
  readonly tpotSeconds: number | null;
  /** Send → end of stream. */
  readonly e2eSeconds: number | null;
  /** When the request finished (any status), seconds since the replay started. */
  readonly finishedSeconds: number | null;
  readonly status: RequestStatus;
  readonly httpStatus: number | null;
  /** The reject reason (429) or error code. */
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly routing: RoutingInfo | null;
}

/** Client-side state sampled over the run (the driver knows it exactly). */
export interface ClientTimelinePoint {
  readonly atSeconds: number;
  readonly numInFlight: number;
  readonly numWaitingForSlot: number;
  readonly numFinished: number;
}

export interface ReplayMeta {
  /** Short name for this run in comparisons (e.g. `policy=prefix-aware`). */
  readonly label: string;
  readonly traceFile: string;
  /** ISO time the run started (for people; analysis uses the relative times). */
  readonly startedAtIso: string;
  readonly commandLine: string;
  /**
   * `url` when replaying against a running router, `cluster` when the command launched one, `sim` when the
   * cluster twin (`oicf simulate`, @oicf/sim) simulated the run in virtual time.
   */
  readonly targetKind: 'url' | 'cluster' | 'sim';
  readonly routerUrl: string;
  readonly model: string;
  readonly loop: 'open' | 'closed';
  /** Time compression: trace seconds ÷ speed = replay seconds. */
  readonly speed: number;
  readonly tokenScale: number;
  /** Concurrency cap, null for none. */
  readonly concurrencyLimit: number | null;
  /** Anything else worth keeping (window, cluster config, emulation target). */
  readonly options: Readonly<Record<string, unknown>>;
  /**
   * The reuse ceiling of the requests sent, at the cluster's block size: the hit ratio an unlimited prefix
   * cache would reach. Null when the trace has no prefix information; absent in records from before it.
   */
  readonly reuseCeiling?: ReuseCeilingFigure | null;
}

/** A reuse ceiling (docs/traces.md): Σ servable prompt tokens ÷ Σ prompt tokens, at `blockTokens`-token blocks. */
export interface ReuseCeilingFigure {
  readonly blockTokens: number;
  readonly numPromptTokens: number;
  readonly numServedTokens: number;
  /** numServedTokens ÷ numPromptTokens. */
  readonly ratio: number;
}

/** A worker health transition the router recorded during the run (its GET /v1/oicf/events). */
export interface ClusterEvent {
  /** Seconds since the replay started (wall clock). */
  readonly atSeconds: number;
  readonly workerId: string;
  /** registered, heartbeat-timeout, call-failed, healthy, dropped. */
  readonly kind: string;
  readonly detail: string;
}

export interface ClusterEvents {
  readonly events: readonly ClusterEvent[];
  /** Events the router's bounded log no longer held when the replay asked. */
  readonly numDropped: number;
}

export interface ReplayRun {
  readonly meta: ReplayMeta;
  /** Requests the plan held (after window and max-requests). */
  readonly numPlanned: number;
  /** Replay start to the last request's end (or the interruption), seconds. */
  readonly durationSeconds: number;
  /** True when Ctrl-C stopped the run early (the report is partial). */
  readonly interrupted: boolean;
  readonly records: readonly ReplayRequestRecord[];
  readonly clientTimeline: readonly ClientTimelinePoint[];
  readonly metrics: RunMetrics;
  /** Worker events during the run; null or absent when the router does not serve them. */
  readonly clusterEvents?: ClusterEvents | null;
}
