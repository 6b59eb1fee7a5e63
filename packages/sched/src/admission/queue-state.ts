// What the queue bounds (queue-limits.ts) need beyond the worker table, kept by Admission:
// - requests routed but not started yet (route → reserve): a burst admitted between two reserves must see
//   each other; an entry nobody starts (a choice of an n > 1 request whose sibling was refused) expires
//   after `pendingTtlSeconds`;
// - prefills in flight per worker (reserve → prefillDone), the prefill pool's queue in requests;
// - the mean time a sequence holds a decode slot, an exponentially weighted average of finished requests'
//   decode seconds (weight 0.1 per observation), from a prior until the first one.
// Pure: time comes in as `nowSeconds`.
import type { InflightReservation } from '../state/inflight.js';
import type { WorkerState } from '../types.js';
import { checkQueueLimits, type QueueLimitsConfig, type QueueVerdict } from './queue-limits.js';

interface Pending {
  readonly decodeWorkerId: string;
  readonly prefillWorkerId: string | null;
  readonly atSeconds: number;
}

const EWMA_WEIGHT = 0.1;

export class AdmissionQueues {
  private readonly pending = new Map<object, Pending>();
  private readonly prefills = new Map<string, number>();
  private sequenceSeconds: number;

  constructor(
    readonly limits: QueueLimitsConfig,
    priorSequenceSeconds: number,
    private readonly pendingTtlSeconds = 10,
  ) {
    this.sequenceSeconds = priorSequenceSeconds;
  }

  get meanSequenceSeconds(): number {
    return this.sequenceSeconds;
  }

  /** Routed requests not started yet (after dropping expired ones as of `nowSeconds`). */
  numPending(nowSeconds: number): number {
    this.expire(nowSeconds);
    return this.pending.size;
  }

  check(
    workers: readonly WorkerState[],
    decodeWorkerId: string,
    prefillWorkerId: string | null,
    nowSeconds: number,
  ): QueueVerdict {
    this.expire(nowSeconds);
    return checkQueueLimits(this.limits, {
      workers,
      decodeWorkerId,
      prefillWorkerId,
      numPrefills: (id) => (this.prefills.get(id) ?? 0) + this.count(id, 'prefill'),
      pendingSequences: (id) => this.count(id, 'decode'),
      meanSequenceSeconds: this.sequenceSeconds,
    });
  }

  /** An accepted request, keyed by its plan object, until `started(key)`. */
  routed(key: object, decodeWorkerId: string, prefillWorkerId: string | null, nowSeconds: number): void {
    this.pending.set(key, { decodeWorkerId, prefillWorkerId, atSeconds: nowSeconds });
  }

  /**
   * The request started: it leaves the pending set, and its remote prefill counts on its prefill worker until
   * the reservation's prefillDone or release.
   */
  started(key: object, reservation: InflightReservation): InflightReservation {
    const p = this.pending.get(key);
    this.pending.delete(key);
    const prefillId = p?.prefillWorkerId ?? null;
    if (prefillId === null) return reservation;
    this.prefills.set(prefillId, (this.prefills.get(prefillId) ?? 0) + 1);
    let counted = true;
    const done = () => {
      if (!counted) return;
      counted = false;
      const n = (this.prefills.get(prefillId) ?? 1) - 1;
      if (n <= 0) this.prefills.delete(prefillId);
      else this.prefills.set(prefillId, n);
    };
    return {
      prefillDone: () => {
        done();
        reservation.prefillDone();
      },
      release: () => {
        done();
        reservation.release();
      },
    };
  }

  observeSequenceSeconds(seconds: number): void {
    if (!(seconds > 0) || !Number.isFinite(seconds)) return;
    this.sequenceSeconds += EWMA_WEIGHT * (seconds - this.sequenceSeconds);
  }

  private count(workerId: string, side: 'decode' | 'prefill'): number {
    let n = 0;
    for (const p of this.pending.values()) {
      if ((side === 'decode' ? p.decodeWorkerId : p.prefillWorkerId) === workerId) n++;
    }
    return n;
  }

  private expire(nowSeconds: number): void {
    for (const [key, p] of this.pending) {
      if (nowSeconds - p.atSeconds >= this.pendingTtlSeconds) this.pending.delete(key);
    }
  }
}
