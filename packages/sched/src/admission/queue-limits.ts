// Bounded queues per worker pool (issue 14.3). The router dispatches every admitted request at once, so its
// "queue" is the work waiting at the workers: on a decode worker, sequences beyond its batch slots; on a
// prefill worker, prompts behind the one it is computing. Without a bound a burst of 1,000 requests all
// wait (tens of seconds each); with one, the request that would queue past the bound is refused at once
// with 503 + Retry-After (reasons `queue-full`, `queue-time`) and the queue stays short.
//
//   decode pool (healthy decode-capable workers D)
//     occupancy(w) = running + waiting + routed-not-yet-started(w)
//     queued(w)    = max(0, occupancy(w) − maxBatch(w))
//     the request queues on its decode worker d iff occupancy(d) ≥ maxBatch(d); then
//       queue-full  when Σ_D queued + 1 > maxQueuedPerWorker · |D|
//       queue-time  when (queued(d) + 1) · meanSequenceSeconds / maxBatch(d) > maxQueueSeconds
//                   (slots free at maxBatch per meanSequenceSeconds)
//   prefill pool (healthy prefill workers P; remote prefill only; a prefill worker computes one prompt at a time)
//     prefills(w)  = prefills routed there and not done (in flight + routed-not-yet-started)
//     queued(w)    = max(0, prefills(w) − 1)
//     the request queues on its prefill worker p iff prefills(p) ≥ 1; then
//       queue-full  when Σ_P queued + 1 > maxQueuedPerWorker · |P|
//       queue-time  when queuedPrefillTokens(p) · secondsPerToken(p) + prefills(p) · fixedSeconds(p) > maxQueueSeconds
//
// Pure: the caller passes worker states (router heartbeats + in-flight record), what it has routed but not
// yet started, and the learned sequence time.
import type { RejectReason, WorkerState } from '../types.js';

export interface QueueLimitsConfig {
  /** Requests that may wait beyond running capacity, per healthy worker of a pool (the pool's bound scales). */
  readonly maxQueuedPerWorker: number;
  /** Longest predicted wait before a request starts on its worker, seconds. */
  readonly maxQueueSeconds: number;
}

/**
 * The router's defaults (apps/router config `queue`), and the twin's (packages/sim): 32 per worker ≈ two full
 * batches of the default 16 behind the running one; 30 s is well past any healthy TTFT of the tiny models.
 */
export const DEFAULT_QUEUE_LIMITS: QueueLimitsConfig = { maxQueuedPerWorker: 32, maxQueueSeconds: 30 };

/** Routed requests not yet counted in the in-flight record (between route and reserve). */
export interface PendingLoad {
  readonly numSequences: number;
  readonly numPrefills: number;
}

export interface QueueCheckInput {
  readonly workers: readonly WorkerState[];
  readonly decodeWorkerId: string;
  /** null: the decode worker prefills locally (no prefill-pool queue). */
  readonly prefillWorkerId: string | null;
  /** In-flight prefills per worker (router record), routed-not-started included. */
  readonly numPrefills: (workerId: string) => number;
  /** Routed-not-started sequences per worker (not yet in `workers`' waiting counts). */
  readonly pendingSequences: (workerId: string) => number;
  /** Mean seconds a sequence holds a decode slot (learned, or a prior). */
  readonly meanSequenceSeconds: number;
}

export type QueueVerdict =
  | { readonly kind: 'ok' }
  | {
      readonly kind: 'reject';
      readonly reason: Extract<RejectReason, 'queue-full' | 'queue-time'>;
      readonly pool: 'decode' | 'prefill';
      readonly message: string;
      /** When a retry is likely to find room: about one queued request's service time, in [1, 60] s. */
      readonly retryAfterSeconds: number;
    };

const OK: QueueVerdict = { kind: 'ok' };
const fmt = (s: number) => `${s.toFixed(2)} s`;
export const clampRetryAfterSeconds = (s: number): number => Math.min(60, Math.max(1, Math.ceil(s)));

function decodeCapable(w: WorkerState): boolean {
  return w.healthy && (w.role === 'decode' || w.role === 'both');
}

export function checkQueueLimits(limits: QueueLimitsConfig, q: QueueCheckInput): QueueVerdict {
  const decode = checkDecodePool(limits, q);
  if (decode.kind === 'reject' || q.prefillWorkerId === null) return decode;
  return checkPrefillPool(limits, q, q.prefillWorkerId);
}

function checkDecodePool(limits: QueueLimitsConfig, q: QueueCheckInput): QueueVerdict {
  const pool = q.workers.filter(decodeCapable);
  const chosen = pool.find((w) => w.workerId === q.decodeWorkerId);
  if (chosen === undefined) return OK; // the policy decides health; nothing to bound here
  const occupancy = (w: WorkerState) => w.numRunning + w.numWaiting + q.pendingSequences(w.workerId);
  const slots = Math.max(1, chosen.maxBatch);
  if (occupancy(chosen) < slots) return OK;
  const queuedTotal = pool.reduce((n, w) => n + Math.max(0, occupancy(w) - Math.max(1, w.maxBatch)), 0);
  const bound = limits.maxQueuedPerWorker * pool.length;
  const perSlotSeconds = q.meanSequenceSeconds / slots;
  if (queuedTotal + 1 > bound) {
    return {
      kind: 'reject',
      reason: 'queue-full',
      pool: 'decode',
      message: `the decode pool is saturated: ${queuedTotal} requests already wait for a batch slot on ${pool.length} worker(s) (bound ${bound} = ${limits.maxQueuedPerWorker} per worker); retry later`,
      retryAfterSeconds: clampRetryAfterSeconds(perSlotSeconds * Math.max(1, queuedTotal + 1 - bound)),
    };
  }
  const queuedHere = Math.max(0, occupancy(chosen) - slots);
  const waitSeconds = (queuedHere + 1) * perSlotSeconds;
  if (waitSeconds > limits.maxQueueSeconds) {
    return {
      kind: 'reject',
      reason: 'queue-time',
      pool: 'decode',
      message: `predicted wait for a batch slot on ${chosen.workerId} is ${fmt(waitSeconds)} (${queuedHere} queued × ${fmt(q.meanSequenceSeconds)} per sequence ÷ ${slots} slots), over the ${fmt(limits.maxQueueSeconds)} bound; retry later`,
      retryAfterSeconds: clampRetryAfterSeconds(waitSeconds - limits.maxQueueSeconds),
    };
  }
  return OK;
}

function checkPrefillPool(limits: QueueLimitsConfig, q: QueueCheckInput, prefillWorkerId: string): QueueVerdict {
  const pool = q.workers.filter((w) => w.healthy && w.role === 'prefill');
  const chosen = pool.find((w) => w.workerId === prefillWorkerId);
  if (chosen === undefined) return OK;
  const ahead = q.numPrefills(chosen.workerId);
  if (ahead < 1) return OK;
  const queuedTotal = pool.reduce((n, w) => n + Math.max(0, q.numPrefills(w.workerId) - 1), 0);
  const bound = limits.maxQueuedPerWorker * pool.length;
  const waitSeconds =
    chosen.numQueuedPrefillTokens * chosen.prefillSecondsPerToken + ahead * chosen.prefillFixedSeconds;
  const perRequestSeconds = waitSeconds / ahead;
  if (queuedTotal + 1 > bound) {
    return {
      kind: 'reject',
      reason: 'queue-full',
      pool: 'prefill',
      message: `the prefill pool is saturated: ${queuedTotal} prompts already wait on ${pool.length} prefill worker(s) (bound ${bound} = ${limits.maxQueuedPerWorker} per worker); retry later`,
      retryAfterSeconds: clampRetryAfterSeconds(perRequestSeconds),
    };
  }
  if (waitSeconds > limits.maxQueueSeconds) {
    return {
      kind: 'reject',
      reason: 'queue-time',
      pool: 'prefill',
      message: `predicted wait on prefill worker ${chosen.workerId} is ${fmt(waitSeconds)} (${chosen.numQueuedPrefillTokens} queued prompt tokens, ${ahead} prompt(s) ahead), over the ${fmt(limits.maxQueueSeconds)} bound; retry later`,
      retryAfterSeconds: clampRetryAfterSeconds(waitSeconds - limits.maxQueueSeconds),
    };
  }
  return OK;
}
