// What happened to the workers, as the router saw it, with wall-clock times: registrations, heartbeat
// timeouts, failed calls, recoveries and drops. The same transitions the router logs (router.log); kept here
// too so a replay can put them in its report (GET /v1/oicf/events). Bounded: the oldest events go first.

export type WorkerEventKind = 'registered' | 'heartbeat-timeout' | 'call-failed' | 'healthy' | 'dropped';

export interface WorkerEvent {
  /** 1, 2, 3, … in the order they happened (never reused while the router runs). */
  readonly seq: number;
  /** Wall clock, Unix milliseconds. */
  readonly atUnixMs: number;
  readonly workerId: string;
  readonly kind: WorkerEventKind;
  /** Why, in words (the failed call's error, seconds of silence). */
  readonly detail: string;
}

export interface WorkerEventsPage {
  /** Events with seq > the asked one, oldest first. */
  readonly events: readonly WorkerEvent[];
  /** The last seq there is (ask again with it to get only newer events). */
  readonly lastSeq: number;
  /** Events after the asked seq no longer held (the log is bounded). */
  readonly numDropped: number;
}

export class WorkerEventLog {
  private readonly events: WorkerEvent[] = [];
  private seq = 0;

  constructor(
    private readonly capacity = 1024,
    private readonly wallClockMs: () => number = Date.now,
  ) {}

  push(workerId: string, kind: WorkerEventKind, detail: string): void {
    this.events.push({ seq: ++this.seq, atUnixMs: this.wallClockMs(), workerId, kind, detail });
    if (this.events.length > this.capacity) this.events.shift();
  }

  since(seq: number): WorkerEventsPage {
    const after = Number.isFinite(seq) && seq > 0 ? Math.floor(seq) : 0;
    const events = this.events.filter((e) => e.seq > after);
    const oldestHeld = this.events[0]?.seq ?? this.seq + 1;
    return { events, lastSeq: this.seq, numDropped: Math.max(0, Math.min(oldestHeld, this.seq + 1) - after - 1) };
  }
}
