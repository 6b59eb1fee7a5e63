// The prefill worker's queue discipline as plain state: one prefill at a time, first come first served,
// with the depth in tokens (the waiting prompts' uncached tokens plus what the running one still has to
// compute) that routing predicts a wait from. The host decides how to wait: the prefill worker awaits a
// promise per waiter; a simulator schedules the next start at a virtual time.

interface Slot<T> {
  readonly item: T;
  numTokens: number;
}

export class PrefillFifo<T> {
  private readonly waiting: Slot<T>[] = [];
  private running: Slot<T> | undefined;

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

  /** Whether an arriving prefill must wait: one is running, or others wait before it. */
  get mustWait(): boolean {
    return this.running !== undefined || this.waiting.length > 0;
  }

  /** Takes the free slot at once (only when !mustWait). `numTokens` is the prompt's expected work. */
  start(item: T, numTokens: number): void {
    if (this.mustWait) throw new Error('PrefillFifo.start: the slot is taken or others wait; enqueue instead');
    this.running = { item, numTokens };
  }

  /** Joins the line; `finish` of the prefill before it starts this one. */
  enqueue(item: T, numTokens: number): void {
    this.waiting.push({ item, numTokens });
  }

  /** A waiting prefill gave up (cancelled): it leaves the line. False when it is not waiting. */
  withdraw(item: T): boolean {
    const i = this.waiting.findIndex((w) => w.item === item);
    if (i < 0) return false;
    this.waiting.splice(i, 1);
    return true;
  }

  /** The running prefill ended (done or failed): the first in line takes the slot and is returned. */
  finish(): T | undefined {
    this.running = this.waiting.shift();
    return this.running?.item;
  }

  /** Lowers the running prefill's remaining tokens (it found more of its prefix cached than hoped). */
  setRunningTokens(numTokens: number): void {
    if (this.running !== undefined) this.running.numTokens = numTokens;
  }
}
