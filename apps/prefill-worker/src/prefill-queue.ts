import { PrefillFifo } from '@oicf/engine';
import { OicfError } from '@oicf/transport';

/**
 * One prefill at a time, first come first served (the discipline and the depth in tokens are
 * `@oicf/engine`'s PrefillFifo, which a simulator hosts too); this class makes a caller await its turn.
 */
export class PrefillQueue {
  /** Each waiter's item starts it (resolves its wait). */
  private readonly fifo = new PrefillFifo<() => void>();

  /** Prompt tokens queued or running. */
  get depthTokens(): number {
    return this.fifo.depthTokens;
  }

  get numWaiting(): number {
    return this.fifo.numWaiting;
  }

  get busy(): boolean {
    return this.fifo.busy;
  }

  /**
   * Runs `fn` when the slot is free. `numTokens` is the prompt's expected work (for the depth).
   * Aborting `signal` while still queued leaves the queue with CANCELLED.
   */
  async run<T>(numTokens: number, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    if (this.fifo.mustWait) {
      await new Promise<void>((resolve, reject) => {
        const start = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          this.fifo.withdraw(start);
          reject(new OicfError('CANCELLED', 'the prefill was cancelled while queued'));
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.fifo.enqueue(start, numTokens);
      });
    } else {
      this.fifo.start(() => {}, numTokens);
    }
    try {
      return await fn();
    } finally {
      this.fifo.finish()?.();
    }
  }

  /** Lowers the running prefill's remaining tokens (it found more of its prefix cached than hoped). */
  setRunningTokens(numTokens: number): void {
    this.fifo.setRunningTokens(numTokens);
  }
}
