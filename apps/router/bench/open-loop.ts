// The bench's open loop (router-latency.bench.ts, router-floors.bench.ts): each path's requests sent on a
// fixed schedule (send-schedule.ts), woken at each due time by a helper thread (precise-ticker.ts), whatever
// the replies do. Latencies are measured from each request's due time (round 11: no coordinated omission),
// and each send's lag behind its schedule is kept, with the client's own GC pauses, to say why a send was late.
import { PerformanceObserver } from 'node:perf_hooks';
import { preciseTicks } from './precise-ticker.js';
import { dueMs, type LagSummary, lateDuringPauses, type Pause, summariseLags } from './send-schedule.js';

/**
 * One path of the open loop: sends request `i` and calls `done` once with the milliseconds from its write
 * to its reply, or an error.
 */
export type Path = (i: number, done: (ms: number, error?: string) => void) => void;

export interface OpenLoopResult {
  /** Per path, ms from each request's due time to its reply (NaN for a request that failed). */
  readonly latencies: number[][];
  /** Per path, ms from each request's write to its reply (the figure of rounds 1–10). */
  readonly serviceLatencies: number[][];
  /** Per path, each send's time on CLOCK_MONOTONIC in ms (empty unless keepSendTimes). */
  readonly sentAtMs: Float64Array[];
  readonly failed: number[];
  readonly firstError: string | undefined;
  /** Sends that went out more than one period after they were due (lag.late). */
  readonly late: number;
  /** The client's lag behind its schedule over every send of the window, both paths. */
  readonly lag: LagSummary;
  /** The ticker thread's own lag waking for each send, its CPU and its run-queue wait (ms). */
  readonly ticker: { readonly wakeLag: LagSummary; readonly cpuMs: number; readonly runQueueMs: number };
  /** The client's own GC pauses during the window: count, total ms, and the late sends they explain. */
  readonly clientGc: { readonly pauses: number; readonly totalMs: number; readonly lateSends: number };
  readonly elapsedSeconds: number;
}

/**
 * Sends each path's request `i` at its due time (send-schedule.ts: `1/rate` apart per path, the paths spread
 * evenly inside a period) for `seconds`, open-loop: woken at each due time, it sends every request due by
 * then. A failed request is counted and reported, not fatal: one connection reset on a loaded machine must
 * not lose the window.
 */
export function openLoop(rate: number, seconds: number, paths: Path[], keepSendTimes = false): Promise<OpenLoopResult> {
  const periodMs = 1000 / rate;
  const total = Math.round(seconds * rate);
  const numPaths = paths.length;
  const numSends = total * numPaths;
  const service = paths.map(() => new Array<number>(total).fill(Number.NaN));
  const fromDue = paths.map(() => new Array<number>(total).fill(Number.NaN));
  const lags = new Float64Array(numSends);
  const failed = paths.map(() => 0);
  // Each send's time on CLOCK_MONOTONIC in ms, kept only when asked (a probed run: TAIL_PROBE_DIR, tail-probe.mjs).
  const sentAtMs = paths.map(() => new Float64Array(keepSendTimes ? total : 0));
  const pauses: Pause[] = [];
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push([e.startTime, e.duration]);
  });
  gc.observe({ entryTypes: ['gc'] });
  let firstError: string | undefined;
  let sent = 0;
  let answered = 0;
  const start = performance.now();
  const dueOf = (k: number) => dueMs(start, periodMs, numPaths, k);
  let allAnswered: () => void = () => {};
  const answeredAll = new Promise<void>((r) => {
    allAnswered = r;
  });
  const sendOne = (k: number) => {
    const p = k % numPaths;
    const i = Math.floor(k / numPaths);
    const due = dueOf(k);
    lags[k] = performance.now() - due;
    if (keepSendTimes) (sentAtMs[p] as Float64Array)[i] = Number(process.hrtime.bigint()) / 1e6;
    (paths[p] as Path)(i, (ms, error) => {
      if (error === undefined) {
        (service[p] as number[])[i] = ms;
        (fromDue[p] as number[])[i] = performance.now() - due;
      } else {
        failed[p] = (failed[p] as number) + 1;
        firstError ??= error;
      }
      answered++;
      if (answered === numSends) allAnswered();
    });
  };
  const tick = () => {
    const now = performance.now();
    while (sent < numSends && dueOf(sent) <= now) sendOne(sent++);
  };
  // Woken at each due time by a helper thread (precise-ticker.ts), not by a 1-ms-grained setTimeout.
  const ticker = preciseTicks(start, periodMs / numPaths, numSends, tick);
  return Promise.all([ticker, answeredAll]).then(([t]): OpenLoopResult => {
    const elapsedSeconds = (performance.now() - start) / 1000;
    // Entries still buffered in the observer are delivered on a later turn: take them now.
    for (const e of gc.takeRecords()) pauses.push([e.startTime, e.duration]);
    gc.disconnect();
    const lag = summariseLags(lags, periodMs);
    return {
      latencies: fromDue,
      serviceLatencies: service,
      sentAtMs,
      failed,
      firstError,
      late: lag.late,
      lag,
      ticker: { wakeLag: summariseLags(t.wakeLagMs, periodMs), cpuMs: t.cpuMs, runQueueMs: t.runQueueMs },
      clientGc: {
        pauses: pauses.length,
        totalMs: pauses.reduce((a, [, ms]) => a + ms, 0),
        lateSends: lateDuringPauses(dueOf, lags, periodMs, pauses),
      },
      elapsedSeconds,
    };
  });
}
