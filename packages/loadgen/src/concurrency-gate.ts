/**
 * A FIFO semaphore capping requests in flight. `acquire` resolves at once while a slot is free,
 * otherwise when an earlier holder releases (first come, first served). A limit of null means no
 * cap. Waiting ends with a rejection when the signal aborts (Ctrl-C), so no waiter hangs.
 */
export class ConcurrencyGate {
  private active = 0;
  private readonly waiters: { grant: () => void; reject: (err: Error) => void }[] = [];

  constructor(readonly limit: number | null) {
    if (limit !== null && !(Number.isInteger(limit) && limit >= 1)) {
      throw new RangeError(`concurrency limit must be an integer ≥ 1 or null, got ${limit}`);
    }
  }

  get numActive(): number {
    return this.active;
  }

  get numWaiting(): number {
    return this.waiters.length;
  }

  /** True when acquire would have to wait. */
  isFull(): boolean {
    return this.limit !== null && this.active >= this.limit;
  }

  acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(new Error('aborted'));
    if (!this.isFull()) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error('aborted'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Frees a slot; the oldest waiter (if any) takes it over without the count dropping. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next.grant();
    else this.active = Math.max(0, this.active - 1);
  }
}
