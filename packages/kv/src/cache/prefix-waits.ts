// Waiting for an in-flight prefix (issue 16.1), without timers: which waiters a block cache now satisfies,
// and which awaited requests already ended. The decode worker (apps/decode-worker prefix-waiters.ts) puts
// wall-clock timeouts and call cancellation around it; the cluster twin (@oicf/sim) virtual ones.
import { reusablePrefixBlocks } from '../blocks/reusable-prefix.js';

/** How a wait for an in-flight prefix ended. */
export type PrefixWaitOutcome =
  /** The local block cache holds every awaited block. */
  | 'held'
  /** The host's timeout passed first. */
  | 'timeout'
  /** The request computing them landed or ended on this worker (maybe before the wait) without leaving them. */
  | 'ended'
  /** The waiting call was cancelled. */
  | 'cancelled';

/** One registered wait; `settle` ends it once (later calls do nothing) and tells its host the outcome. */
export interface PrefixWaiter {
  readonly blockIds: readonly string[];
  readonly awaitRequestId: string;
  settle(outcome: PrefixWaitOutcome): void;
}

/** Remembered landed or ended request ids (a wait may start after that): a bounded ring. */
const DONE_MEMORY = 1024;

/**
 * The waits of one worker. A host checks `immediate` first (held already, or the awaited request already
 * done), then registers the wait with `add` and settles it itself on timeout or cancellation; `notify`
 * (blocks entered the cache) and `requestDone` (the awaited request landed or ended here) settle the rest.
 * Checking the cache (`has`) never touches its recency.
 */
export class PrefixWaitSet {
  private readonly waiters = new Set<PrefixWaiter>();
  private readonly doneIds: string[] = [];
  private readonly done = new Set<string>();

  constructor(private readonly cache: { has(blockId: string): boolean }) {}

  get size(): number {
    return this.waiters.size;
  }

  /** The outcome without waiting ('held', then 'ended'), or undefined when the host must wait. */
  immediate(blockIds: readonly string[], awaitRequestId: string): 'held' | 'ended' | undefined {
    if (this.holds(blockIds)) return 'held';
    if (this.done.has(awaitRequestId)) return 'ended';
    return undefined;
  }

  /** Registers a wait; `onSettle` is called once, with its outcome. */
  add(
    blockIds: readonly string[],
    awaitRequestId: string,
    onSettle: (outcome: PrefixWaitOutcome) => void,
  ): PrefixWaiter {
    const waiter: PrefixWaiter = {
      blockIds,
      awaitRequestId,
      settle: (outcome) => {
        if (!this.waiters.delete(waiter)) return;
        onSettle(outcome);
      },
    };
    this.waiters.add(waiter);
    return waiter;
  }

  /** Blocks were inserted into the cache: settles the waiters it now satisfies. */
  notify(): void {
    if (this.waiters.size === 0) return;
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
    if (this.waiters.size === 0) return;
    for (const w of [...this.waiters]) {
      if (w.awaitRequestId === requestId) w.settle(this.holds(w.blockIds) ? 'held' : 'ended');
    }
  }

  private holds(blockIds: readonly string[]): boolean {
    for (const id of blockIds) if (!this.cache.has(id)) return false;
    return true;
  }
}

/**
 * Leading prompt blocks a Decode call waits for (DecodeRequest.num_await_prefix_tokens): whole blocks of
 * the awaited tokens, no more than the prompt's reusable prefix (`reusablePrefixBlocks`) nor its blocks.
 */
export function awaitedPrefixBlocks(
  numAwaitPrefixTokens: number,
  numPromptTokens: number,
  numPromptBlocks: number,
  blockTokens: number,
): number {
  return Math.min(
    Math.floor(numAwaitPrefixTokens / blockTokens),
    reusablePrefixBlocks(numPromptTokens, blockTokens),
    numPromptBlocks,
  );
}
