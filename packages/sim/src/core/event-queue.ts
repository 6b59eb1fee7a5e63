// The twin's clock: a queue of timed callbacks in virtual seconds. Events at equal times run in the order
// they were scheduled (a sequence number breaks ties), so a run is a pure function of its inputs. Binary
// heap over parallel arrays: O(log n) per push and pop. Times and sequence numbers sit in typed arrays that
// only grow (doubling), and a popped slot is cleared rather than removed, so scheduling and running an event
// allocates nothing beyond its callback (a JS array popped and pushed around one size keeps reallocating).
// A NaN time is refused (it compares false with every time and would sit anywhere in the heap), and so is an
// event beyond maxQueued (at most 2^31: the heap's parent index is computed with a 32-bit shift).

export type EventFn = () => void;

const INITIAL_CAPACITY = 1024;

export interface EventQueueOptions {
  /** Most events queued at once (default and most: EventQueue.MAX_QUEUED). */
  readonly maxQueued?: number;
}

export class EventQueue {
  /** Heap indices stay below 2^31, where `(i − 1) >> 1` is still the parent. */
  static readonly MAX_QUEUED = 2 ** 31;

  private readonly maxQueued: number;
  private times: Float64Array;
  /** Sequence numbers as doubles: exact to 2^53 events. */
  private seqs: Float64Array;
  private fns: (EventFn | undefined)[];
  private n = 0;
  private nextSeq = 0;
  private current = 0;
  private processed = 0;

  constructor(options: EventQueueOptions = {}) {
    const max = options.maxQueued ?? EventQueue.MAX_QUEUED;
    if (!Number.isInteger(max) || max < 1 || max > EventQueue.MAX_QUEUED) {
      throw new Error(`EventQueue: maxQueued must be an integer in [1, ${EventQueue.MAX_QUEUED}], got ${max}`);
    }
    this.maxQueued = max;
    const capacity = Math.min(INITIAL_CAPACITY, max);
    this.times = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.fns = new Array<EventFn | undefined>(capacity).fill(undefined);
  }

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
    if (Number.isNaN(atSeconds)) {
      throw new Error(`EventQueue.at: an event's time must be a number of seconds, got NaN (now ${this.current} s)`);
    }
    if (this.n === this.times.length) this.grow();
    const t = Math.max(atSeconds, this.current);
    const seq = this.nextSeq++;
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
    // Not `<=`: exactly as before the typed arrays (a NaN limit runs everything: `!(t > NaN)`).
    while (this.n > 0 && !((this.times[0] as number) > untilSeconds)) this.step();
  }

  private grow(): void {
    const capacity = Math.min(2 * this.times.length, this.maxQueued);
    if (capacity <= this.n) {
      throw new Error(`EventQueue: more than ${this.maxQueued} events queued at once (the virtual clock's limit)`);
    }
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
