import type { TraceRequest } from '@oicf/traces';

/**
 * Whether a (token-scaled) trace fits the decode workers' longest sequence. The router refuses a
 * request whose prompt + max_tokens exceeds the largest `max_context_tokens` of a decode-capable
 * worker with HTTP 400 `context_length_exceeded` (Admission.precheck via `contextLimitIssue`,
 * packages/sched/src/admission/context-limit.ts); replay counts those as rejects with reason
 * `context`. Before sending, `overflowVerdict` decides: more than the allowed share over the limit
 * stops the replay (unless --allow-overflow), fewer warn.
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
  /** Sequence tokens of every request, ascending (for the scale that keeps a share of them under the limit). */
  readonly sortedTokens: readonly number[];
  /** The --token-scale applied already. */
  readonly tokenScale: number;
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
    sortedTokens: requests.map(sequenceTokens).sort((a, b) => a - b),
    tokenScale,
  };
}

/** How much of a trace may overflow the context before replay refuses to send it, and whether it may anyway. */
export interface OverflowPolicy {
  /** Largest share of requests allowed over the limit (`--overflow-limit`, default 0.05). */
  readonly maxShare: number;
  /** `--allow-overflow`: send anyway; the overflowing requests come back as rejects (`context`). */
  readonly allow: boolean;
}

export const DEFAULT_OVERFLOW_SHARE = 0.05;

export type OverflowVerdict =
  | { readonly kind: 'send'; readonly warning: string | undefined }
  | { readonly kind: 'stop'; readonly message: string };

/**
 * Replay's decision before sending a trace that does not fit (`where` names where the limit came from):
 * stop when more than `maxShare` of its requests exceed the context (unless allowed), naming the
 * --token-scale that fits every request and the one that keeps the overflow within the share; otherwise
 * send, with a warning when any request overflows.
 */
export function overflowVerdict(fit: ContextFit | undefined, policy: OverflowPolicy, where: string): OverflowVerdict {
  if (fit === undefined) return { kind: 'send', warning: undefined };
  const share = fit.numExceeding / fit.numRequests;
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  if (share <= policy.maxShare || policy.allow) {
    const why = share <= policy.maxShare ? `within --overflow-limit ${pct(policy.maxShare)}` : '--allow-overflow';
    return {
      kind: 'send',
      warning: `${contextFitWarning(fit, where).replace(/\n$/, '')} Sending anyway (${why}): they count as rejects with reason 'context'.\n`,
    };
  }
  const withinShare = scaleKeepingShare(fit, policy.maxShare);
  return {
    kind: 'stop',
    message:
      `${fit.numExceeding} of ${fit.numRequests} requests (${pct(share)}) exceed the ${fit.limitTokens}-token context of ${where} ` +
      `(prompt + max output; the longest needs ${fit.longestTokens}), more than --overflow-limit ${pct(policy.maxShare)}. ` +
      `Nothing was sent. --token-scale ${fit.suggestedTokenScale} fits every request` +
      (withinShare !== undefined && withinShare > fit.suggestedTokenScale
        ? `; --token-scale ${withinShare} keeps the overflow within ${pct(policy.maxShare)}`
        : '') +
      `. Or raise the cluster's decode.maxContextTokens (up to 65536), or pass --allow-overflow to send anyway (they count as rejects with reason 'context').\n`,
  };
}

/**
 * The --token-scale under which at most `maxShare` of the requests exceed the limit: current × limit ÷ the
 * tokens of the longest request that must fit, to 2 significant digits (undefined when that is every one).
 */
export function scaleKeepingShare(fit: ContextFit, maxShare: number): number | undefined {
  const n = fit.sortedTokens.length;
  const mayExceed = Math.floor(maxShare * n);
  const mustFit = fit.sortedTokens[n - mayExceed - 1];
  if (mustFit === undefined || mustFit <= 0) return undefined;
  return floorSignificant((fit.tokenScale * fit.limitTokens) / mustFit, 2);
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
