// The one split of refusals (docs/reliability.md, "503 or 429"): a refusal because the cluster cannot take
// the request now is `overloaded` (HTTP 503 + Retry-After, gRPC UNAVAILABLE); a refusal aimed at this
// request or this client, which another client would not get, is `rate-limited` (HTTP 429, gRPC
// RESOURCE_EXHAUSTED / SLO_UNATTAINABLE). Every front door maps a RejectReason through this function.
import type { RejectReason } from '../types.js';

export type RejectClass = 'overloaded' | 'rate-limited';

const CLASS: Record<RejectReason, RejectClass> = {
  // No healthy decode worker: nothing can serve anyone.
  'no-worker': 'overloaded',
  // Every decode worker's KV is full now (or none could ever hold it): the pool is saturated.
  capacity: 'overloaded',
  // The bounded queues of a worker pool are full, or their predicted wait is over the bound.
  'queue-full': 'overloaded',
  'queue-time': 'overloaded',
  // The cost model predicts this request's TTFT breaks its SLO: a per-request latency reject.
  slo: 'rate-limited',
};

export function rejectClass(reason: RejectReason): RejectClass {
  return CLASS[reason];
}
