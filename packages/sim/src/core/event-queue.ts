// The twin's clock: a queue of timed callbacks in virtual seconds. Events at equal times run in the order
// they were scheduled (a sequence number breaks ties), so a run is a pure function of its inputs. Binary
// heap over parallel arrays: O(log n) per push and pop. Times and sequence numbers sit in typed arrays that
// only grow (doubling), and a popped slot is cleared rather than removed, so scheduling and running an event
// allocates nothing beyond its callback (a JS array popped and pushed around one size keeps reallocating).

export type EventFn = () => void;

const INITIAL_CAPACITY = 1024;

export class EventQueue {
  private times = new Float64Array(INITIAL_CAPACITY);
  /** Sequence numbers as doubles: exact to 2^53 events. */
  private seqs = new Float64Array(INITIAL_CAPACITY);
  private fns: (EventFn | undefined)[] = new Array<EventFn | undefined>(INITIAL_CAPACITY).fill(undefined);
  private n = 0;
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
    return this.n;
  }

  /** Time of the next event, or undefined when none is queued. */
  peekSeconds(): number | undefined {
    return this.n === 0 ? undefined : this.times[0];
  }

  /** Runs `fn` at `atSeconds` (never before now: a time in the past runs now, after what is queued for now). */
  at(atSeconds: number, fn: EventFn): void {
    const t = Math.max(atSeconds, this.current);
    const seq = this.nextSeq++;
    if (this.n === this.times.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
    const fns = this.fns;
    let i = this.n++;
    // Sift up.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent] as number;
      if (!(t < pt || (t === pt && seq < (seqs[parent] as number)))) break;
      times[i] = pt;
      seqs[i] = seqs[parent] as number;
      fns[i] = fns[parent];
      i = parent;
    }
    times[i] = t;
    seqs[i] = seq;
    fns[i] = fn;
  }

  /** Runs `fn` after `seconds` from now. */
  after(seconds: number, fn: EventFn): void {
    this.at(this.current + seconds, fn);
  }

  /** Runs the next event; false when the queue is empty. */
  step(): boolean {
    const n = this.n;
    if (n === 0) return false;
    const times = this.times;
    const seqs = this.seqs;
    const fns = this.fns;
    const t = times[0] as number;
    const fn = fns[0] as EventFn;
    const size = n - 1;
    this.n = size;
    const lastT = times[size] as number;
    const lastS = seqs[size] as number;
    const lastF = fns[size];
    fns[size] = undefined; // the slot is free: drop its callback for the collector
    if (size > 0) {
      // Sift the last element down from the root.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        let c = l;
        let ct = times[l] as number;
        if (r < size) {
          const rt = times[r] as number;
          if (rt < ct || (rt === ct && (seqs[r] as number) < (seqs[l] as number))) {
            c = r;
            ct = rt;
          }
        }
        if (!(ct < lastT || (ct === lastT && (seqs[c] as number) < lastS))) break;
        times[i] = ct;
        seqs[i] = seqs[c] as number;
        fns[i] = fns[c];
        i = c;
      }
      times[i] = lastT;
      seqs[i] = lastS;
      fns[i] = lastF;
    }
    this.current = t;
    this.processed++;
    fn();
    return true;
  }

  /** Runs events until none is left or the next is later than `untilSeconds`. */
  runUntil(untilSeconds = Number.POSITIVE_INFINITY): void {
    // Not `<=`: exactly as before the typed arrays (a NaN time runs, as it did).
    while (this.n > 0 && !((this.times[0] as number) > untilSeconds)) this.step();
  }

  private grow(): void {
    const capacity = 2 * this.times.length;
    const times = new Float64Array(capacity);
    times.set(this.times);
    const seqs = new Float64Array(capacity);
    seqs.set(this.seqs);
    this.times = times;
    this.seqs = seqs;
    const fns = this.fns;
    for (let i = fns.length; i < capacity; i++) fns.push(undefined);
  }
}
