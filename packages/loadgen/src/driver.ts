import { percentile } from '@oicf/core';
import type { ClientTimelinePoint, ReplayRequestRecord } from '@oicf/report';
import { groupBySession, sortByArrival, type TraceRequest } from '@oicf/traces';
import type { Clock } from '@oicf/transport';
import { ConcurrencyGate } from './concurrency-gate.js';
import { RecordBuilder } from './record-builder.js';
import type { Target, TargetRequest } from './target.js';

/**
 * The replay driver: sends a trace's requests through a Target on a Clock and records each one.
 *
 * - **open loop**: request i is due at (arrival_i − arrival_0) ÷ speed after the start, whatever
 *   happened to earlier requests (the recorded load, compressed in time by `speed`).
 * - **closed loop**: per session, turn 0 is due at its arrival ÷ speed, and turn k at the
 *   completion of turn k−1 plus its `gapAfterPreviousSeconds` ÷ speed (agent tool/think time), so a
 *   slow cluster slows its own load as a real agent would. Requests without a session are
 *   one-turn sessions at their arrival.
 * - **concurrency cap**: a due request waits for a free slot (FIFO); the wait is recorded and TTFT
 *   is measured from the actual send.
 * - **abort** (Ctrl-C): nothing new is sent, waiters and in-flight requests end as `cancelled`, and
 *   the result (flagged `interrupted`) still holds every started request.
 */
export interface DriverOptions {
  /** Already windowed and token-scaled; any order (sorted by arrival here). */
  readonly requests: readonly TraceRequest[];
  readonly loop: 'open' | 'closed';
  /** Time compression factor > 0: 2 replays an hour of trace in 30 minutes. */
  readonly speed: number;
  readonly concurrencyLimit: number | null;
  readonly target: Target;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly toTargetRequest: (request: TraceRequest) => TargetRequest;
  /** Called after every state change (send, finish, wait) with live counts. */
  readonly onProgress?: (progress: DriverProgress) => void;
}

export interface DriverProgress {
  readonly elapsedSeconds: number;
  readonly numPlanned: number;
  readonly numFinished: number;
  readonly numInFlight: number;
  readonly numWaitingForSlot: number;
  readonly numOk: number;
  readonly numRejected: number;
  readonly numErrors: number;
  /** Median TTFT of the ok requests so far (`@oicf/core` percentile 0.5), null before the first. */
  readonly ttftP50Seconds: number | null;
  readonly numOutputTokens: number;
}

export interface DriverResult {
  /** One record per started request, in plan order (arrival, then trace order). */
  readonly records: ReplayRequestRecord[];
  readonly numPlanned: number;
  readonly durationSeconds: number;
  readonly interrupted: boolean;
  readonly clientTimeline: ClientTimelinePoint[];
}

export async function runDriver(options: DriverOptions): Promise<DriverResult> {
  const { clock, signal, speed } = options;
  if (!(Number.isFinite(speed) && speed > 0)) throw new RangeError(`speed must be a finite number > 0, got ${speed}`);
  const requests = sortByArrival(options.requests);
  const order = new Map(requests.map((r, i) => [r, i]));
  const origin = requests[0]?.arrivalSeconds ?? 0;
  const start = clock.nowSeconds();
  const elapsed = () => clock.nowSeconds() - start;
  const gate = new ConcurrencyGate(options.concurrencyLimit);
  const finished: { index: number; record: ReplayRequestRecord }[] = [];
  const timeline: ClientTimelinePoint[] = [];
  const ttfts: number[] = [];
  const counts = { inFlight: 0, waiting: 0, ok: 0, rejected: 0, errors: 0, outputTokens: 0 };

  const changed = () => {
    const at = elapsed();
    const point = {
      atSeconds: at,
      numInFlight: counts.inFlight,
      numWaitingForSlot: counts.waiting,
      numFinished: finished.length,
    };
    const last = timeline[timeline.length - 1];
    // Several changes at one instant keep only the final state.
    if (last !== undefined && last.atSeconds === at) timeline[timeline.length - 1] = point;
    else timeline.push(point);
    options.onProgress?.({
      elapsedSeconds: at,
      numPlanned: requests.length,
      numFinished: finished.length,
      numInFlight: counts.inFlight,
      numWaitingForSlot: counts.waiting,
      numOk: counts.ok,
      numRejected: counts.rejected,
      numErrors: counts.errors,
      ttftP50Seconds: ttfts.length === 0 ? null : percentile(ttfts, 0.5),
      numOutputTokens: counts.outputTokens,
    });
  };

  /**
   * Sleeps until `due` seconds after the start; false when aborted first. Loops because a real
   * timer may fire up to a millisecond early (libuv rounds timeouts to whole milliseconds), and a
   * request must never go out before its time.
   */
  const sleepUntil = async (due: number): Promise<boolean> => {
    for (let wait = due - elapsed(); wait > 0; wait = due - elapsed()) {
      try {
        await clock.sleep(wait, signal);
      } catch {
        return false;
      }
    }
    return !signal.aborted;
  };

  const runOne = async (request: TraceRequest, scheduledSeconds: number): Promise<ReplayRequestRecord> => {
    const targetRequest = options.toTargetRequest(request);
    const readyAt = elapsed();
    const mustWait = gate.isFull();
    if (mustWait) {
      counts.waiting += 1;
      changed();
    }
    let acquired = true;
    try {
      await gate.acquire(signal);
    } catch {
      acquired = false;
    }
    if (mustWait) counts.waiting -= 1;
    const index = order.get(request) ?? 0;
    if (!acquired) {
      const record = new RecordBuilder(
        request,
        targetRequest.maxTokens,
        scheduledSeconds,
        null,
        elapsed() - readyAt,
      ).finish(elapsed(), true);
      finished.push({ index, record });
      changed();
      return record;
    }
    const sent = elapsed();
    // Only a request that found every slot taken has waited; the rest is bookkeeping time.
    const builder = new RecordBuilder(
      request,
      targetRequest.maxTokens,
      scheduledSeconds,
      sent,
      mustWait ? sent - readyAt : 0,
    );
    counts.inFlight += 1;
    changed();
    try {
      for await (const event of options.target.send(targetRequest, signal)) {
        builder.add({ ...event, atSeconds: event.atSeconds - start });
      }
    } catch (err) {
      if (!signal.aborted) {
        const message = err instanceof Error ? err.message : String(err);
        builder.add({ kind: 'error', atSeconds: elapsed(), httpStatus: null, code: 'client', message });
      }
    } finally {
      gate.release();
      counts.inFlight -= 1;
    }
    const record = builder.finish(elapsed(), signal.aborted);
    if (record.status === 'ok') {
      counts.ok += 1;
      if (record.ttftSeconds !== null) insertSorted(ttfts, record.ttftSeconds);
    } else if (record.status === 'rejected') counts.rejected += 1;
    else if (record.status === 'error') counts.errors += 1;
    counts.outputTokens += record.status === 'ok' ? record.numOutputTokens : 0;
    finished.push({ index, record });
    changed();
    return record;
  };

  const tasks: Promise<unknown>[] = [];
  if (options.loop === 'open') {
    for (const request of requests) {
      const due = (request.arrivalSeconds - origin) / speed;
      if (!(await sleepUntil(due))) break;
      tasks.push(runOne(request, due));
    }
  } else {
    for (const session of groupBySession(requests)) {
      tasks.push(
        (async () => {
          let due = (session.startSeconds - origin) / speed;
          for (const [k, request] of session.requests.entries()) {
            if (!(await sleepUntil(due))) return;
            const record = await runOne(request, due);
            const next = session.requests[k + 1];
            if (next !== undefined) {
              due = (record.finishedSeconds ?? elapsed()) + (next.gapAfterPreviousSeconds ?? 0) / speed;
            }
          }
        })(),
      );
    }
  }
  await Promise.all(tasks);
  return {
    records: finished.sort((a, b) => a.index - b.index).map((f) => f.record),
    numPlanned: requests.length,
    durationSeconds: elapsed(),
    interrupted: signal.aborted,
    clientTimeline: timeline,
  };
}

function insertSorted(list: number[], value: number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, value);
}
