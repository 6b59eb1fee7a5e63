// The values admission takes and returns. Plain data: a host (the router, a simulator) builds the input
// from its own wire format and maps the decision to its own answers (HTTP 429/400/503, gRPC statuses…).
import type { InflightReservation } from '../state/inflight.js';
import type { WorkerSpec } from '../state/worker-table.js';
import type { RejectReason, RouteDecision } from '../types.js';
import type { PoolBlock } from './pool-prefix.js';

/** A validated request as admission sees it (the front door tokenized and checked it). */
export interface AdmissionInput {
  readonly requestId: string;
  readonly promptTokenIds: readonly number[];
  /** Most tokens to generate, ≥ 1. */
  readonly maxTokens: number;
  /** Agent session ('' = none). */
  readonly sessionId: string;
  /**
   * The prompt's block ids when the host already has them (equal to `promptBlockIds(promptTokenIds,
   * blockTokens)`): the cluster twin derives them once per trace block instead of hashing every prompt.
   * Absent (the router): precheck hashes the prompt.
   */
  readonly promptBlockIds?: readonly string[];
}

/** What an accepted request reports about its routing (the client's OicfInfo, logs, metrics). */
export interface RoutingSummary {
  readonly requestId: string;
  readonly policy: string;
  readonly reason: string;
  readonly prefillWorkerId: string | null;
  readonly decodeWorkerId: string;
  /** The policy's numbers (what it expected). */
  readonly numCachedTokens: number;
  readonly cacheSource: 'worker' | 'pool' | 'none';
  readonly predictedTtftSeconds: number;
  /** The in-flight request whose prefix this one waits for (absent: it waits for none). */
  readonly awaitsRequestId?: string;
}

/** How to run an accepted request: who does what, and what KV moves where. */
export interface RoutePlan<R extends WorkerSpec = WorkerSpec> {
  readonly requestId: string;
  /** The prompt (a reference to the input's array, not a copy). */
  readonly promptTokenIds: readonly number[];
  readonly maxTokens: number;
  /** Hash-chain ids of the prompt's full blocks. */
  readonly blockIds: readonly string[];
  readonly decode: R;
  /** undefined: the decode worker prefills locally (colocated, or the policy skipped remote prefill). */
  readonly prefill: R | undefined;
  /** Prompt tokens the policy expects to reuse instead of computing. */
  readonly numCachedTokens: number;
  /**
   * Pool blocks the prefilling worker will read, to be leased first (only the leading ones the lease pins
   * are usable): every usable pool block for a prefill worker, which keeps no KV; for local prefill only
   * when the pool holds more than the decode worker's own prefix; else [].
   */
  readonly poolBlocksToLease: readonly PoolBlock[];
  /** Leading prompt blocks the router's index says the decode worker holds. */
  readonly decodePrefixBlocks: number;
  /** Remote prefill: leading prompt tokens the decode worker holds, which the handoff skips (0 local). */
  readonly numDecodeCachedTokens: number;
  /** Remote prefill: prompt tokens the prefill worker hands to the decode worker (0 local). */
  readonly numHandoffTokens: number;
  /**
   * Set when the request waits for an in-flight prefix: the decode worker holds its first `numTokens` prompt
   * tokens once request `requestId`'s prompt KV lands in its local block cache (expected in
   * `expectedWaitSeconds`); it waits for them, then prefills the rest (the DecodeRequest says so).
   */
  readonly awaitPrefix?: {
    readonly requestId: string;
    readonly numTokens: number;
    readonly expectedWaitSeconds: number;
  };
}

export type RejectDecision = Extract<RouteDecision, { kind: 'reject' }>;
export type RoutedDecision = Extract<RouteDecision, { kind: 'route' }>;

/**
 * The outcome of admission. Every expected outcome is a value:
 * - `unavailable`: no decode-capable worker is registered (HTTP 503);
 * - `invalid`: prompt + max_tokens exceed the longest sequence any decode worker holds (HTTP 400 on `field`);
 * - `reject`: the policy refused it (HTTP 429 with `reason`, Retry-After `retryAfterSeconds`);
 * - `accept`: run `plan`. `decision` is the policy's whole answer with its cost terms (for logs).
 */
export type AdmissionDecision<R extends WorkerSpec = WorkerSpec> =
  | { readonly kind: 'unavailable'; readonly message: string }
  | { readonly kind: 'invalid'; readonly field: 'prompt' | 'max_tokens'; readonly message: string }
  | {
      readonly kind: 'reject';
      readonly reason: RejectReason;
      readonly message: string;
      readonly retryAfterSeconds: number;
      readonly policy: string;
      readonly decision: RejectDecision;
    }
  | {
      readonly kind: 'accept';
      readonly routing: RoutingSummary;
      readonly plan: RoutePlan<R>;
      readonly decision: RoutedDecision;
    };

/** Steps 2–3's answer: the policy's reject or accept. */
export type RouteOutcome<R extends WorkerSpec = WorkerSpec> = Extract<
  AdmissionDecision<R>,
  { kind: 'reject' | 'accept' }
>;

/** Step 1's answer: refused before any I/O, or the block ids to ask the pool about. */
export type AdmissionPrecheck =
  | Extract<AdmissionDecision, { kind: 'unavailable' | 'invalid' }>
  | { readonly kind: 'lookup'; readonly blockIds: string[] };

/** From PrefillResponse (remote prefill only). */
export interface PrefillReport {
  readonly numCachedTokens: number;
  readonly kvBytesSent: number;
  readonly queueSeconds: number;
  readonly fetchKvSeconds: number;
  readonly computeSeconds: number;
  readonly sendKvSeconds: number;
}

/** From the Decode stream. */
export interface DecodeReport {
  /** The first chunk's emitted_after_seconds (since the Decode call arrived at the worker). */
  readonly firstChunkAfterSeconds: number;
  readonly numCachedPromptTokens: number;
  readonly queueSeconds: number;
  readonly kvReceiveSeconds: number;
  readonly decodeSeconds: number;
}

/** What the workers reported about a request that finished (stop or length). */
export interface FinishedRequest {
  readonly prefill: PrefillReport | undefined;
  readonly decode: DecodeReport;
  /** Every generated token, first included (the last one has no KV on the worker). */
  readonly generatedTokenIds: readonly number[];
}

/**
 * An accepted request's hold on admission's state while it runs (from `Admission.reserve`): its in-flight
 * load (`prefillDone`, `release`) and its claim on the prompt blocks it is computing, which are pending on its
 * decode worker until `prefixLanded` (the decode worker holds its prompt KV: its first Decode chunk came) and
 * then recorded as held there; `release` without it drops the claim (the request failed).
 */
export interface AdmissionReservation extends InflightReservation {
  prefixLanded(): void;
}
