// Work the router has dispatched to each worker and not seen finish. Heartbeats arrive every ~0.5 s, so
// between two of them a burst of requests would all see the same stale load; adding what the router
// itself sent keeps routing honest within the heartbeat interval.

export interface InflightLoad {
  /** Requests running or queued on the worker (decode side). */
  numSequences: number;
  /** KV bytes those requests will hold at most: (prompt + max_tokens) × KV bytes per token. */
  kvBytes: number;
  /** Prompt tokens sent to the worker for prefill and not yet prefilled. */
  prefillTokens: number;
}

const NONE: Readonly<InflightLoad> = { numSequences: 0, kvBytes: 0, prefillTokens: 0 };

/** One running request's hold on the in-flight record (from InflightTracker.reserve). */
export interface InflightReservation {
  /** Its prompt is prefilled: the prefilling worker's queued tokens drop (idempotent). */
  prefillDone(): void;
  /** It ended (finished, failed or cancelled): everything it held is released (idempotent). */
  release(): void;
}

export class InflightTracker {
  private readonly load = new Map<string, InflightLoad>();
  /** KV bytes of finished requests per worker, ever (monotonic), and its value at the last heartbeat. */
  private readonly released = new Map<string, number>();
  private readonly releasedAtReport = new Map<string, number>();

  /** Adds `delta` (negative to remove) to a worker's in-flight load. Called a few times per request:
   * the worker's record is updated in place (no object per call). */
  adjust(workerId: string, delta: Partial<InflightLoad>): void {
    let cur = this.load.get(workerId);
    if (cur === undefined) {
      cur = { numSequences: 0, kvBytes: 0, prefillTokens: 0 };
      this.load.set(workerId, cur);
    }
    cur.numSequences += delta.numSequences ?? 0;
    cur.kvBytes += delta.kvBytes ?? 0;
    cur.prefillTokens += delta.prefillTokens ?? 0;
    if ((delta.kvBytes ?? 0) < 0)
      this.released.set(workerId, (this.released.get(workerId) ?? 0) - (delta.kvBytes ?? 0));
    if (cur.numSequences <= 0 && cur.kvBytes <= 0 && cur.prefillTokens <= 0) this.load.delete(workerId);
  }

  /**
   * Holds a request's load while it runs: one sequence and `kvBytes` (its worst case) on the decode worker,
   * `prefillTokens` (the prompt tokens it will compute) on the worker that prefills it (the decode worker
   * itself when prefill is local).
   */
  reserve(r: {
    readonly decodeWorkerId: string;
    readonly prefillWorkerId: string;
    readonly kvBytes: number;
    readonly prefillTokens: number;
  }): InflightReservation {
    this.adjust(r.decodeWorkerId, { numSequences: 1, kvBytes: r.kvBytes });
    this.adjust(r.prefillWorkerId, { prefillTokens: r.prefillTokens });
    let pendingPrefillTokens = r.prefillTokens;
    let released = false;
    const prefillDone = () => {
      if (pendingPrefillTokens === 0) return;
      this.adjust(r.prefillWorkerId, { prefillTokens: -pendingPrefillTokens });
      pendingPrefillTokens = 0;
    };
    return {
      prefillDone,
      release: () => {
        if (released) return;
        released = true;
        prefillDone();
        this.adjust(r.decodeWorkerId, { numSequences: -1, kvBytes: -r.kvBytes });
      },
    };
  }

  /** A copy of the worker's in-flight load (zeros when none). */
  get(workerId: string): InflightLoad {
    const cur = this.load.get(workerId);
    return cur === undefined ? { ...NONE } : { ...cur };
  }

  /** A heartbeat from the worker arrived: its reported load includes what was released before now. */
  markReport(workerId: string): void {
    this.releasedAtReport.set(workerId, this.released.get(workerId) ?? 0);
  }

  /**
   * KV bytes of requests that finished on the worker since its last heartbeat: its reported usage may
   * still count them (as reserved, an upper bound of what they held), so they come off that report.
   */
  releasedSinceReport(workerId: string): number {
    return (this.released.get(workerId) ?? 0) - (this.releasedAtReport.get(workerId) ?? 0);
  }

  /** Requests in flight over all workers (each counted once, on its decode worker). */
  totalSequences(): number {
    let n = 0;
    for (const l of this.load.values()) n += l.numSequences;
    return n;
  }
}
