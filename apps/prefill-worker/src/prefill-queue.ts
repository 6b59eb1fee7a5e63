import { OicfError } from '@oicf/transport';

interface Waiter {
  readonly numTokens: number;
  readonly start: () => void;
}

/**
 * One prefill at a time, first come first served. The depth in tokens (waiting prompts' uncached
 * tokens plus what the running one still has to compute) is what routing needs to predict a wait.
 */
export class PrefillQueue {
  private readonly waiting: Waiter[] = [];
  private running: { numTokens: number } | undefined;

  /** Prompt tokens queued or running. */
  get depthTokens(): number {
    return this.waiting.reduce((a, w) => a + w.numTokens, this.running?.numTokens ?? 0);
  }

  get numWaiting(): number {
    return this.waiting.length;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  /**
   * Runs `fn` when the slot is free. `numTokens` is the prompt's expected work (for the depth).
   * Aborting `signal` while still queued leaves the queue with CANCELLED.
   */
  async run<T>(numTokens: number, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    if (this.running !== undefined || this.waiting.length > 0) {
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          numTokens,
          start: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          const i = this.waiting.indexOf(waiter);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new OicfError('CANCELLED', 'the prefill was cancelled while queued'));
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(waiter);
      });
    }
    this.running = { numTokens };
    try {
      return await fn();
    } finally {
      this.running = undefined;
      this.waiting.shift()?.start();
    }
  }

  /** Lowers the running prefill's remaining tokens (it found more of its prefix cached than hoped). */
  setRunningTokens(numTokens: number): void {
    if (this.running !== undefined) this.running.numTokens = numTokens;
  }
}
