import type { LocalBlockCache } from '@oicf/kv';

/** How a wait for an in-flight prefix ended. */
export type PrefixWaitOutcome =
  /** The local block cache holds every awaited block. */
  | 'held'
  /** `timeoutSeconds` passed first. */
  | 'timeout'
  /** The request computing them landed or ended on this worker (maybe before the wait) without leaving them. */
  | 'ended'
  /** The waiting call was cancelled. */
  | 'cancelled';

interface Waiter {
  readonly blockIds: readonly string[];
  readonly awaitRequestId: string;
  readonly settle: (outcome: PrefixWaitOutcome) => void;
}

/** Remembered landed or ended request ids (a wait may start after that): a bounded ring. */
const DONE_MEMORY = 1024;

/**
 * Decode calls that wait for a prefix another request is computing into this worker's local block cache
 * (DecodeRequest.num_await_prefix_tokens; the router chose that over recomputing it, issue 16.1). The
 * computing request's prompt blocks enter the cache when its prompt KV is present here (its first token),
 * and a finished sequence's blocks when it ends: each insert calls `notify`, which wakes every waiter whose
 * blocks are all held. A waiter also stops when the awaited request has landed or ended here without
 * leaving them (evicted at once under memory pressure, or it failed: `requestDone`), on its timeout, or
 * when its call is cancelled; the caller then computes what is missing. Waiters are bounded by the Decode
 * calls in flight; checking the cache (`has`) never touches its recency.
 */
export class PrefixWaiters {
  private readonly waiters = new Set<Waiter>();
  private readonly doneIds: string[] = [];
  private readonly done = new Set<string>();

  constructor(private readonly cache: LocalBlockCache) {}

  get size(): number {
    return this.waiters.size;
  }

  /** Waits until the cache holds every block of `blockIds` (the awaited prefix, first block first). */
  wait(
    blockIds: readonly string[],
    awaitRequestId: string,
    timeoutSeconds: number,
    signal: AbortSignal,
  ): Promise<PrefixWaitOutcome> {
    if (this.holds(blockIds)) return Promise.resolve('held');
    if (this.done.has(awaitRequestId)) return Promise.resolve('ended');
    if (signal.aborted) return Promise.resolve('cancelled');
    return new Promise((resolve) => {
      const onAbort = () => waiter.settle('cancelled');
      const timer = setTimeout(() => waiter.settle('timeout'), timeoutSeconds * 1000);
      const waiter: Waiter = {
        blockIds,
        awaitRequestId,
        settle: (outcome) => {
          if (!this.waiters.delete(waiter)) return;
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve(outcome);
        },
      };
      this.waiters.add(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Blocks were inserted into the cache: wakes the waiters it now satisfies. */
  notify(): void {
    for (const w of [...this.waiters]) if (this.holds(w.blockIds)) w.settle('held');
  }

  /**
   * A request's prompt blocks were offered to the cache (call `notify` first), or its Decode call ended here
   * (any outcome): whoever waits for it and is still not satisfied stops waiting.
   */
  requestDone(requestId: string): void {
    if (!this.done.has(requestId)) {
      this.done.add(requestId);
      this.doneIds.push(requestId);
      if (this.doneIds.length > DONE_MEMORY) this.done.delete(this.doneIds.shift() as string);
    }
    for (const w of [...this.waiters]) {
      if (w.awaitRequestId === requestId) w.settle(this.holds(w.blockIds) ? 'held' : 'ended');
    }
  }

  private holds(blockIds: readonly string[]): boolean {
    for (const id of blockIds) if (!this.cache.has(id)) return false;
    return true;
  }
}
