// The twin's clock: a queue of timed callbacks in virtual seconds. Events at equal times run in the order
// they were scheduled (a sequence number breaks ties), so a run is a pure function of its inputs. Binary
// heap over parallel arrays: O(log n) per push and pop, no allocation per event beyond the callback.

export type EventFn = () => void;

export class EventQueue {
  private times: number[] = [];
  private seqs: number[] = [];
  private fns: EventFn[] = [];
  private nextSeq = 0;
  private current = 0;
  private processed = 0;

  /** Virtual seconds now (the time of the event running, or of the last one run). */
  get nowSeconds(): number {
    return this.current;
  }

  /** Events run so far. */
  get numProcessed(): number {
    return this.processed;
  }

  get size(): number {
    return this.times.length;
  }

  /** Time of the next event, or undefined when none is queued. */
  peekSeconds(): number | undefined {
    return this.times[0];
  }

  /** Runs `fn` at `atSeconds` (never before now: a time in the past runs now, after what is queued for now). */
  at(atSeconds: number, fn: EventFn): void {
    const t = Math.max(atSeconds, this.current);
    const seq = this.nextSeq++;
    let i = this.times.length;
    this.times.push(t);
    this.seqs.push(seq);
    this.fns.push(fn);
    // Sift up.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(t, seq, parent)) break;
      this.move(parent, i);
      i = parent;
    }
    this.place(i, t, seq, fn);
  }

  /** Runs `fn` after `seconds` from now. */
  after(seconds: number, fn: EventFn): void {
    this.at(this.current + seconds, fn);
  }

  /** Runs the next event; false when the queue is empty. */
  step(): boolean {
    const n = this.times.length;
    if (n === 0) return false;
    const t = this.times[0] as number;
    const fn = this.fns[0] as EventFn;
    const lastT = this.times.pop() as number;
    const lastS = this.seqs.pop() as number;
    const lastF = this.fns.pop() as EventFn;
    if (n > 1) {
      // Sift the last element down from the root.
      let i = 0;
      const size = n - 1;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        const c = r < size && this.before(this.times[r] as number, this.seqs[r] as number, l) ? r : l;
        if (!this.before(this.times[c] as number, this.seqs[c] as number, -1, lastT, lastS)) break;
        this.move(c, i);
        i = c;
      }
      this.place(i, lastT, lastS, lastF);
    }
    this.current = t;
    this.processed++;
    fn();
    return true;
  }

  /** Runs events until none is left or the next is later than `untilSeconds`. */
  runUntil(untilSeconds = Number.POSITIVE_INFINITY): void {
    for (;;) {
      const next = this.times[0];
      if (next === undefined || next > untilSeconds) return;
      this.step();
    }
  }

  /** (t, seq) sorts before slot j, or before (jt, js) when j is −1. */
  private before(t: number, seq: number, j: number, jt?: number, js?: number): boolean {
    const ot = j >= 0 ? (this.times[j] as number) : (jt as number);
    if (t !== ot) return t < ot;
    return seq < (j >= 0 ? (this.seqs[j] as number) : (js as number));
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from] as number;
    this.seqs[to] = this.seqs[from] as number;
    this.fns[to] = this.fns[from] as EventFn;
  }

  private place(i: number, t: number, seq: number, fn: EventFn): void {
    this.times[i] = t;
    this.seqs[i] = seq;
    this.fns[i] = fn;
  }
}
