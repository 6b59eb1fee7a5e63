import type { RoutingInfo } from '@oicf/report';

/**
 * The port the replay driver sends requests through. `createHttpTarget` speaks the router's
 * OpenAI-compatible HTTP + SSE contract; tests use in-memory targets. Event times are the target's
 * clock (`Clock.nowSeconds()`, the same clock the driver runs on).
 */
export interface TargetRequest {
  /** The trace's request id (for logs; the router assigns its own). */
  readonly requestId: string;
  /** The prompt as token ids (byte-level vocabulary: synthetic tokens lie in 0..255). */
  readonly promptTokenIds: readonly number[];
  /** Tokens to generate; sent with ignore_eos so exactly this many come back. ≥ 1. */
  readonly maxTokens: number;
  /** Agent session id (keeps the session's KV warm between turns); absent for sessionless traces. */
  readonly sessionId?: string;
}

export interface TargetUsage {
  readonly promptTokens: number | null;
  readonly completionTokens: number | null;
  readonly cachedTokens: number | null;
}

export type TargetEvent =
  /** Tokens arrived (one streamed chunk); the first such event is the first token. */
  | { readonly kind: 'token'; readonly atSeconds: number; readonly numTokens: number }
  /** The stream finished normally. */
  | {
      readonly kind: 'final';
      readonly atSeconds: number;
      readonly finishReason: string | null;
      readonly usage: TargetUsage | null;
      readonly routing: RoutingInfo | null;
    }
  /**
   * The request failed: an HTTP error status (429 = rejected by admission, `code` = its reason),
   * an error inside the stream, a network failure (`httpStatus` null) or a stream that broke off.
   */
  | {
      readonly kind: 'error';
      readonly atSeconds: number;
      readonly httpStatus: number | null;
      readonly code: string;
      readonly message: string;
    };

export interface Target {
  /**
   * Sends one request and yields its events until it ends. When `signal` aborts, the iteration
   * stops (it may end without a final event); it never throws for HTTP or network failures, which
   * arrive as `error` events.
   */
  send(request: TargetRequest, signal: AbortSignal): AsyncIterable<TargetEvent>;
}
