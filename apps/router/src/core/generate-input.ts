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
  /**
   * Absent: no log-probabilities. Present: each generated token's log-probability, plus this many of
   * the most likely alternatives (0..20), computed by the worker's sampler.
   */
  readonly numTopLogprobs?: number;
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
  /** Stop strings: the output ends before the first one to appear in the text ([] = none). */
  readonly stop: readonly string[];
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
  return issue400('invalid_value', param, message);
}

/** A 400 with an OpenAI error code: `unsupported_parameter`, `unsupported_value`, `unknown_parameter`, … */
export function issue400(code: string, param: string | null, message: string): { ok: false; issue: ApiIssue } {
  return { ok: false, issue: { status: 400, type: 'invalid_request_error', code, param, message } };
}

/** A value as an error message shows it: numbers and booleans bare, strings quoted and cut at 40 chars. */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  const json = JSON.stringify(v) ?? String(v);
  return json.length > 60 ? `${json.slice(0, 60)}…` : json;
}
