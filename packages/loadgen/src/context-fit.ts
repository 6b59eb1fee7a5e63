import type { TraceRequest } from '@oicf/traces';

/**
 * Whether a (token-scaled) trace fits the decode workers' longest sequence. The router answers a
 * request whose prompt + max_tokens exceeds the largest `max_context_tokens` of a decode-capable
 * worker with HTTP 400 (`contextLimitIssue`, packages/sched/src/admission/context-limit.ts); replay
 * warns once, before sending, and still runs.
 */
export interface ContextFit {
  readonly limitTokens: number;
  readonly numRequests: number;
  readonly numExceeding: number;
  /** Longest prompt + max output tokens in the trace as sent. */
  readonly longestTokens: number;
  /**
   * A --token-scale under which the longest request fits: current scale × limit ÷ longest, rounded
   * down to 2 significant digits (scaling rounds per request, so this is a close guide, not a bound).
   */
  readonly suggestedTokenScale: number;
}

/** Tokens one request occupies: prompt + max_tokens (a 0-output row asks for 1, as replay sends it). */
export function sequenceTokens(r: Pick<TraceRequest, 'inputTokens' | 'outputTokens'>): number {
  return r.inputTokens + Math.max(1, r.outputTokens);
}

/** Undefined when every request fits (or no limit is known: `limitTokens` ≤ 0). */
export function contextFit(
  requests: readonly Pick<TraceRequest, 'inputTokens' | 'outputTokens'>[],
  limitTokens: number,
  tokenScale: number,
): ContextFit | undefined {
  if (!(limitTokens > 0)) return undefined;
  let numExceeding = 0;
  let longestTokens = 0;
  for (const r of requests) {
    const tokens = sequenceTokens(r);
    if (tokens > limitTokens) numExceeding++;
    longestTokens = Math.max(longestTokens, tokens);
  }
  if (numExceeding === 0) return undefined;
  return {
    limitTokens,
    numRequests: requests.length,
    numExceeding,
    longestTokens,
    suggestedTokenScale: floorSignificant((tokenScale * limitTokens) / longestTokens, 2),
  };
}

/** Rounds a positive number down to `digits` significant digits (0.26006 → 0.26, 1234 → 1200). */
export function floorSignificant(value: number, digits: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 0;
  const exponent = Math.floor(Math.log10(value)) - (digits - 1);
  // Scale to an integer mantissa; the epsilon keeps 0.29 × 100 = 28.999… from flooring to 28.
  const mantissa = Math.floor(value / 10 ** exponent + 1e-9);
  return exponent < 0 ? mantissa / 10 ** -exponent : mantissa * 10 ** exponent;
}

/** The one warning line(s) replay prints; `where` says where the limit came from. */
export function contextFitWarning(fit: ContextFit, where: string): string {
  return (
    `warning: ${fit.numExceeding} of ${fit.numRequests} requests exceed the decode workers' ${fit.limitTokens}-token ` +
    `context (${where}); the longest needs ${fit.longestTokens} tokens (prompt + max output), so the router will ` +
    `answer those with HTTP 400. --token-scale ${fit.suggestedTokenScale} would fit the longest.\n`
  );
}

/**
 * The largest `capacity.max_context_tokens` of a decode-capable worker (role decode or both) in the
 * router's GET /v1/oicf/workers answer, the limit the router enforces; undefined when none states one.
 */
export function maxContextFromWorkers(body: unknown): number | undefined {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return undefined;
  let best: number | undefined;
  for (const w of data as { role?: unknown; capacity?: { max_context_tokens?: unknown } | null }[]) {
    const limit = w?.capacity?.max_context_tokens;
    if (w?.role === 'prefill' || typeof limit !== 'number' || !(limit > 0)) continue;
    best = Math.max(best ?? 0, limit);
  }
  return best;
}
