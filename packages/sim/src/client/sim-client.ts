// The replay client in virtual time: @oicf/loadgen's driver rules (runDriver: open and closed loop,
// concurrency gate, records in plan order, client timeline) without its promises, so a token costs a
// function call instead of an async iteration. Records are built by loadgen's own RecordBuilder from the
// same events an HTTP target yields (token chunks, final, error). sim-client.test.ts checks both give the
// same records on the same scripted target.
//
//   open loop:   request i is due at (arrival_i − arrival_0) ÷ speed;
//   closed loop: per session, turn 0 at its arrival ÷ speed, turn k at turn k−1's end + gap ÷ speed;
//   a due request waits for a free slot (FIFO) when `concurrencyLimit` requests are in flight.
import { percentile } from '@oicf/core';
import { type DriverProgress, RecordBuilder } from '@oicf/loadgen';
import type { ClientTimelinePoint, ReplayRequestRecord } from '@oicf/report';
import { groupBySession, sortByArrival, type TraceRequest } from '@oicf/traces';
import type { EventQueue } from '../core/event-queue.js';
import type { ClientFinal } from '../router/run-routed.js';

/** One request as the client sends it; the target answers through the callbacks, at virtual times. */
export interface SimClientSend {
  readonly request: TraceRequest;
  readonly maxTokens: number;
}

export interface SimClientEvents {
  /** A chunk that reaches the client at `atSeconds` (≥ now; before the request's final or error). */
  onToken(numTokens: number, atSeconds: number): void;
  onFinal(final: ClientFinal): void;
  onError(httpStatus: number | null, code: string, message: string): void;
}

/** What the client sends through (the twin's router, or a scripted target in tests). */
export interface SimTarget {
  send(send: SimClientSend, events: SimClientEvents): void;
}

export interface SimClientOptions {
  /** Already windowed and token-scaled; any order (sorted by arrival here). */
  readonly requests: readonly TraceRequest[];
  readonly loop: 'open' | 'closed';
  readonly speed: number;
  readonly concurrencyLimit: number | null;
}

export interface SimClientResult {
  readonly records: ReplayRequestRecord[];
  readonly numPlanned: number;
  readonly durationSeconds: number;
  readonly clientTimeline: ClientTimelinePoint[];
}

export class SimClient {
  private readonly requests: TraceRequest[];
  private readonly order = new Map<TraceRequest, number>();
  private readonly finished: { index: number; record: ReplayRequestRecord }[] = [];
  private readonly timeline: ClientTimelinePoint[] = [];
  private readonly ttfts: number[] = [];
  private readonly waiters: (() => void)[] = [];
  private readonly counts = { inFlight: 0, waiting: 0, ok: 0, rejected: 0, errors: 0, outputTokens: 0, active: 0 };
  private lastEndSeconds = 0;
  /** When a request was last sent or ended (virtual seconds). */
  lastActivitySeconds = 0;
  /** The latest time a send was scheduled for. */
  private lastDueSeconds = 0;

  constructor(
    private readonly queue: EventQueue,
    private readonly target: SimTarget,
    private readonly options: SimClientOptions,
  ) {
    if (!(Number.isFinite(options.speed) && options.speed > 0)) {
      throw new RangeError(`speed must be a finite number > 0, got ${options.speed}`);
    }
    this.requests = sortByArrival(options.requests);
    for (const [i, r] of this.requests.entries()) this.order.set(r, i);
  }

  get numPlanned(): number {
    return this.requests.length;
  }

  get done(): boolean {
    return this.finished.length === this.requests.length;
  }

  /** Schedules every first send (call once, at virtual time 0). */
  start(): void {
    const origin = this.requests[0]?.arrivalSeconds ?? 0;
    const speed = this.options.speed;
    if (this.options.loop === 'open') {
      for (const r of this.requests) {
        const due = (r.arrivalSeconds - origin) / speed;
        this.lastDueSeconds = Math.max(this.lastDueSeconds, due);
        this.queue.at(due, () => this.runOne(r, this.queue.nowSeconds, undefined));
      }
      return;
    }
    for (const session of groupBySession(this.requests)) {
      const turns = session.requests;
      const next = (k: number, due: number) => {
        const r = turns[k];
        if (r === undefined) return;
        this.lastDueSeconds = Math.max(this.lastDueSeconds, due);
        this.queue.at(due, () =>
          this.runOne(r, due, (record) => {
            const after = turns[k + 1];
            if (after !== undefined) {
              next(
                k + 1,
                (record.finishedSeconds ?? this.queue.nowSeconds) + (after.gapAfterPreviousSeconds ?? 0) / speed,
              );
            }
          }),
        );
      };
      next(0, (session.startSeconds - origin) / speed);
    }
  }

  /** The latest time a send is (or was) scheduled for. */
  nextDueSeconds(): number {
    return this.lastDueSeconds;
  }

  progress(): DriverProgress {
    const ok = this.ttfts;
    return {
      elapsedSeconds: this.queue.nowSeconds,
      numPlanned: this.requests.length,
      numFinished: this.finished.length,
      numInFlight: this.counts.inFlight,
      numWaitingForSlot: this.counts.waiting,
      numOk: this.counts.ok,
      numRejected: this.counts.rejected,
      numErrors: this.counts.errors,
      ttftP50Seconds:
        ok.length === 0
          ? null
          : percentile(
              [...ok].sort((a, b) => a - b),
              0.5,
            ),
      numOutputTokens: this.counts.outputTokens,
    };
  }

  result(): SimClientResult {
    return {
      records: [...this.finished].sort((a, b) => a.index - b.index).map((f) => f.record),
      numPlanned: this.requests.length,
      durationSeconds: this.lastEndSeconds,
      clientTimeline: this.timeline,
    };
  }

  private runOne(
    request: TraceRequest,
    scheduledSeconds: number,
    then: ((r: ReplayRequestRecord) => void) | undefined,
  ): void {
    const readyAt = this.queue.nowSeconds;
    const limit = this.options.concurrencyLimit;
    const mustWait = limit !== null && this.counts.active >= limit;
    const go = () => this.sendNow(request, scheduledSeconds, mustWait ? this.queue.nowSeconds - readyAt : 0, then);
    if (!mustWait) {
      this.counts.active++;
      go();
      return;
    }
    this.counts.waiting++;
    this.changed();
    this.waiters.push(() => {
      this.counts.waiting--;
      go();
    });
  }

  private sendNow(
    request: TraceRequest,
    scheduledSeconds: number,
    slotWaitSeconds: number,
    then: ((r: ReplayRequestRecord) => void) | undefined,
  ): void {
    const maxTokens = Math.max(1, request.outputTokens);
    const sent = this.queue.nowSeconds;
    this.lastActivitySeconds = sent;
    const builder = new RecordBuilder(request, maxTokens, scheduledSeconds, sent, slotWaitSeconds);
    // One token event object per request, refilled for each chunk: RecordBuilder.add reads a token
    // event's fields and keeps no reference to it (only final and error events are kept).
    const tokenEvent = { kind: 'token' as const, atSeconds: 0, numTokens: 0 };
    this.counts.inFlight++;
    this.changed();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.counts.inFlight--;
      const record = builder.finish(this.queue.nowSeconds, false);
      if (record.status === 'ok') {
        this.counts.ok++;
        if (record.ttftSeconds !== null) this.ttfts.push(record.ttftSeconds);
        this.counts.outputTokens += record.numOutputTokens;
      } else if (record.status === 'rejected') this.counts.rejected++;
      else if (record.status === 'error') this.counts.errors++;
      this.finished.push({ index: this.order.get(request) ?? 0, record });
      this.lastEndSeconds = this.queue.nowSeconds;
      this.lastActivitySeconds = this.lastEndSeconds;
      this.changed();
      // Gate release: the oldest waiter takes the slot over (it was granted before this record's
      // continuation runs, as the driver's microtasks order them), or the slot frees.
      const next = this.waiters.shift();
      if (next !== undefined) next();
      else this.counts.active--;
      then?.(record);
    };
    this.target.send(
      { request, maxTokens },
      {
        onToken: (numTokens, atSeconds) => {
          tokenEvent.atSeconds = atSeconds;
          tokenEvent.numTokens = numTokens;
          builder.add(tokenEvent);
        },
        onFinal: (f) => {
          builder.add({
            kind: 'final',
            atSeconds: this.queue.nowSeconds,
            finishReason: f.finishReason,
            usage: f.usage,
            routing: f.routing,
          });
          end();
        },
        onError: (httpStatus, code, message) => {
          builder.add({ kind: 'error', atSeconds: this.queue.nowSeconds, httpStatus, code, message });
          end();
        },
      },
    );
  }

  private changed(): void {
    const at = this.queue.nowSeconds;
    const point = {
      atSeconds: at,
      numInFlight: this.counts.inFlight,
      numWaitingForSlot: this.counts.waiting,
      numFinished: this.finished.length,
    };
    const last = this.timeline[this.timeline.length - 1];
    if (last !== undefined && last.atSeconds === at) this.timeline[this.timeline.length - 1] = point;
    else this.timeline.push(point);
  }
}
