// What every front door (HTTP, WebSocket, gRPC) turns a request into before routing: a tokenized prompt
// and validated generation parameters. Proto-free on purpose, so the core does not depend on a wire format.

export interface SamplingInput {
  /** 0 = greedy. */
  readonly temperature: number;
  /** Nucleus mass in (0, 1]; 1 = disabled. */
  readonly topP: number;
  /** 0 = disabled. */
  readonly topK: number;
  /** Sampling is deterministic given the seed: the token at generation index i uses (seed, i). */
  readonly seed: number;
  /** Generation stops after emitting any of these (EOS included unless ignore_eos). */
  readonly stopTokenIds: readonly number[];
}

export interface GenerateInput {
  /** Unique per request ('' never reaches the pipeline: the front door assigns one). */
  readonly requestId: string;
  readonly promptTokenIds: readonly number[];
  /** Most tokens to generate, ≥ 1. */
  readonly maxTokens: number;
  readonly sampling: SamplingInput;
  /** Agent session ('' = none). */
  readonly sessionId: string;
  /** Retention of the session's KV after this turn (the router default already applied). */
  readonly sessionTtlSeconds: number;
}

/** A request-level problem in the OpenAI error shape (`param` names the offending field). */
export interface ApiIssue {
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly param: string | null;
  readonly message: string;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issue: ApiIssue };

export function invalid(param: string | null, message: string): { ok: false; issue: ApiIssue } {
  return { ok: false, issue: { status: 400, type: 'invalid_request_error', code: 'invalid_value', param, message } };
}
