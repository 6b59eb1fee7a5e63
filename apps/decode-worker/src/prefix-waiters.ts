import { type LocalBlockCache, type PrefixWaitOutcome, PrefixWaitSet } from '@oicf/kv';

export type { PrefixWaitOutcome } from '@oicf/kv';

/**
 * Decode calls that wait for a prefix another request is computing into this worker's local block cache
 * (DecodeRequest.num_await_prefix_tokens; the router chose that over recomputing it, issue 16.1). The
 * computing request's prompt blocks enter the cache when its prompt KV is present here (its first token),
 * and a finished sequence's blocks when it ends: each insert calls `notify`, which wakes every waiter whose
 * blocks are all held. A waiter also stops when the awaited request has landed or ended here without
 * leaving them (evicted at once under memory pressure, or it failed: `requestDone`), on its timeout, or
 * when its call is cancelled; the caller then computes what is missing. Waiters are bounded by the Decode
 * calls in flight; checking the cache (`has`) never touches its recency. Which waiter wakes when is
 * `@oicf/kv` PrefixWaitSet's (shared with the cluster twin); this adds the wall-clock timeout and the
 * call's cancellation.
 */
export class PrefixWaiters {
  private readonly set: PrefixWaitSet;

  constructor(cache: LocalBlockCache) {
    this.set = new PrefixWaitSet(cache);
  }

  get size(): number {
    return this.set.size;
  }

  /** Waits until the cache holds every block of `blockIds` (the awaited prefix, first block first). */
  wait(
    blockIds: readonly string[],
    awaitRequestId: string,
    timeoutSeconds: number,
    signal: AbortSignal,
  ): Promise<PrefixWaitOutcome> {
    const now = this.set.immediate(blockIds, awaitRequestId);
    if (now !== undefined) return Promise.resolve(now);
    if (signal.aborted) return Promise.resolve('cancelled');
    return new Promise((resolve) => {
      const onAbort = () => waiter.settle('cancelled');
      const timer = setTimeout(() => waiter.settle('timeout'), timeoutSeconds * 1000);
      const waiter = this.set.add(blockIds, awaitRequestId, (outcome) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Blocks were inserted into the cache: wakes the waiters it now satisfies. */
  notify(): void {
    this.set.notify();
  }

  /**
   * A request's prompt blocks were offered to the cache (call `notify` first), or its Decode call ended here
   * (any outcome): whoever waits for it and is still not satisfied stops waiting.
   */
  requestDone(requestId: string): void {
    this.set.requestDone(requestId);
  }
}
