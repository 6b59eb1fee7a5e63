// What to do when a remote prefill fails (issue 14.1): retry on another prefill worker, prefill locally on
// the request's decode worker, or give up with the error. Pure: the host passes what it knows.
//
//   client gone, or a failure a retry cannot fix (bad request, bad credentials)   → fail
//   attempts < maxRemoteAttempts and a healthy prefill worker not tried yet       → remote on the one with
//                                                                                   the fewest queued tokens
//   otherwise, the decode worker still healthy                                    → local
//   otherwise                                                                      → fail
//
// Bounded: at most maxRemoteAttempts remote prefills and one local one per request. Idempotent on the
// workers: a retried prefill offers the pool the same block ids (a put of a present id is a no-op), the
// decode worker's handoff for the request starts over, and the first token is the same (seeded draws).
import type { WorkerState } from '../types.js';

/** Failure codes (transport ErrorCode) that no retry can fix. */
export const NON_RETRYABLE_CODES: ReadonlySet<string> = new Set(['INVALID_ARGUMENT', 'UNAUTHENTICATED']);

export interface PrefillRetryInput {
  /** Remote prefill attempts made so far (≥ 1). */
  readonly attempts: number;
  readonly maxRemoteAttempts: number;
  /** The failure's code (transport ErrorCode). */
  readonly code: string;
  readonly clientGone: boolean;
  /** Every worker as the router sees it now. */
  readonly workers: readonly WorkerState[];
  /** Prefill workers already tried for this request. */
  readonly tried: ReadonlySet<string>;
  readonly decodeWorkerId: string;
}

export type PrefillRetryDecision =
  | { readonly kind: 'remote'; readonly prefillWorkerId: string }
  | { readonly kind: 'local' }
  | { readonly kind: 'fail'; readonly reason: string };

export function decidePrefillRetry(x: PrefillRetryInput): PrefillRetryDecision {
  if (x.clientGone) return { kind: 'fail', reason: 'the client went away' };
  if (NON_RETRYABLE_CODES.has(x.code)) return { kind: 'fail', reason: `${x.code} is not fixed by a retry` };
  if (x.attempts < x.maxRemoteAttempts) {
    const candidates = x.workers
      .filter((w) => w.healthy && w.role === 'prefill' && !x.tried.has(w.workerId))
      .sort((a, b) => a.numQueuedPrefillTokens - b.numQueuedPrefillTokens || a.workerId.localeCompare(b.workerId));
    const next = candidates[0];
    if (next !== undefined) return { kind: 'remote', prefillWorkerId: next.workerId };
  }
  const decode = x.workers.find((w) => w.workerId === x.decodeWorkerId);
  if (decode?.healthy === true) return { kind: 'local' };
  return { kind: 'fail', reason: `no prefill worker left to try and decode worker ${x.decodeWorkerId} is unhealthy` };
}
