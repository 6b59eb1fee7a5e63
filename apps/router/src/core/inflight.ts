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

export class InflightTracker {
  private readonly load = new Map<string, InflightLoad>();

  /** Adds `delta` (negative to remove) to a worker's in-flight load. */
  adjust(workerId: string, delta: Partial<InflightLoad>): void {
    const cur = this.get(workerId);
    const next = {
      numSequences: cur.numSequences + (delta.numSequences ?? 0),
      kvBytes: cur.kvBytes + (delta.kvBytes ?? 0),
      prefillTokens: cur.prefillTokens + (delta.prefillTokens ?? 0),
    };
    if (next.numSequences <= 0 && next.kvBytes <= 0 && next.prefillTokens <= 0) this.load.delete(workerId);
    else this.load.set(workerId, next);
  }

  get(workerId: string): InflightLoad {
    return this.load.get(workerId) ?? { numSequences: 0, kvBytes: 0, prefillTokens: 0 };
  }

  /** Requests in flight over all workers (each counted once, on its decode worker). */
  totalSequences(): number {
    let n = 0;
    for (const l of this.load.values()) n += l.numSequences;
    return n;
  }
}
