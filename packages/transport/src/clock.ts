// The clock port: monotonic time and sleeping, so code that waits (pacing, TTLs, heartbeats, timeouts) can
// be tested without real sleeps. `realClock` is the adapter for production; `FakeClock` moves only when a
// test advances it. Both pass the contract in testing/clock-contract.ts.
import { OicfError } from './oicf-error.js';

export interface Clock {
  /** Monotonic seconds since an arbitrary origin; never decreases. Not wall-clock time. */
  nowSeconds(): number;
  /**
   * Resolves once `seconds` (≥ 0) have passed on this clock; rejects with CANCELLED when `signal` aborts
   * first. Sleeps with equal deadlines resolve in the order they were made.
   */
  sleep(seconds: number, signal?: AbortSignal): Promise<void>;
}

function cancelled(): OicfError {
  return new OicfError('CANCELLED', 'sleep cancelled by its abort signal');
}

export const realClock: Clock = {
  nowSeconds: () => performance.now() / 1000,
  sleep: (seconds, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted === true) return reject(cancelled());
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, seconds * 1000),
      );
      const onAbort = () => {
        clearTimeout(timer);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

interface Sleeper {
  wakeAtSeconds: number;
  order: number;
  resolve: () => void;
}

/** A clock that only moves when `advance` is called. */
export class FakeClock implements Clock {
  private now: number;
  private sleepers: Sleeper[] = [];
  private nextOrder = 0;

  constructor(startSeconds = 0) {
    this.now = startSeconds;
  }

  nowSeconds(): number {
    return this.now;
  }

  sleep(seconds: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted === true) return reject(cancelled());
      const sleeper: Sleeper = { wakeAtSeconds: this.now + Math.max(0, seconds), order: this.nextOrder++, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          reject(cancelled());
        },
        { once: true },
      );
    });
  }

  /** Number of sleeps not yet resolved. */
  numSleepers(): number {
    return this.sleepers.length;
  }

  /**
   * Moves time forward by `seconds`, waking due sleepers in deadline order; time stands at each sleeper's
   * deadline when it wakes, and code it runs may sleep again within the same advance.
   */
  async advance(seconds: number): Promise<void> {
    if (!(seconds >= 0)) throw new OicfError('INVALID_ARGUMENT', `advance needs seconds ≥ 0, got ${seconds}`);
    const target = this.now + seconds;
    for (;;) {
      this.sleepers.sort((a, b) => a.wakeAtSeconds - b.wakeAtSeconds || a.order - b.order);
      const next = this.sleepers[0];
      if (next === undefined || next.wakeAtSeconds > target) break;
      this.sleepers.shift();
      this.now = Math.max(this.now, next.wakeAtSeconds);
      next.resolve();
      // Let the woken code run (and maybe sleep again) before looking at the queue.
      await new Promise<void>((r) => setImmediate(r));
    }
    this.now = target;
  }
}
