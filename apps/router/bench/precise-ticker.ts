// Wakes the bench's open loop at each send's due time with sub-millisecond precision. Node's timers have a
// 1 ms granularity on a cached loop clock, so a loop sending every 0.5 ms (1,000/s on each of two paths)
// with setTimeout is up to ≈ 2 ms late at random: most of the "late sends" of rounds 1–6 were that, not a
// busy client. Here a helper thread sleeps in Atomics.wait (a futex with a fractional-millisecond timeout)
// until each due time and posts the send's index; the main thread, woken by the message, sends every
// request due by then. A main thread that is busy still falls behind, and is counted late.
//
// The helper also records how late it itself woke for each tick (`wakeLagMs`, shared memory) and its own
// run-queue wait and CPU time (/proc/thread-self/schedstat), so a late send can be told apart: the helper did
// not get a CPU in time, or the main thread did not.
import { Worker } from 'node:worker_threads';

const SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { startEpochMs, stepMs, count, lags } = workerData;
const wakeLag = new Float64Array(lags);
const cell = new Int32Array(new SharedArrayBuffer(4));
const now = () => performance.timeOrigin + performance.now();
const schedstat = () => {
  try { return readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number); }
  catch { return [NaN, NaN]; }
};
const s0 = schedstat();
for (let k = 0; k < count; k++) {
  const due = startEpochMs + k * stepMs;
  const wait = due - now();
  if (wait > 0) Atomics.wait(cell, 0, 0, wait);
  if (k < wakeLag.length) wakeLag[k] = now() - due;
  parentPort.postMessage(k);
}
const s1 = schedstat();
parentPort.postMessage({ cpuNs: s1[0] - s0[0], runQueueNs: s1[1] - s0[1] });
`;

/** The helper thread's own figures over one run of ticks. */
export interface TickerStats {
  /** ms the helper woke after each tick's due time (shared memory, written by the helper). */
  readonly wakeLagMs: Float64Array;
  /** ms the helper thread ran, and waited runnable for a CPU (NaN without schedstats). */
  readonly cpuMs: number;
  readonly runQueueMs: number;
}

/**
 * Calls `onTick` at `startMs + k × stepMs` (performance.now() of this thread) for k = 0 … count − 1, each
 * call as soon as this thread is free after that time. Resolves, with the helper's figures, when the helper
 * thread has posted the last.
 */
export function preciseTicks(startMs: number, stepMs: number, count: number, onTick: () => void): Promise<TickerStats> {
  const lags = new SharedArrayBuffer(8 * count);
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: { startEpochMs: performance.timeOrigin + startMs, stepMs, count, lags },
  });
  return new Promise((resolve, reject) => {
    worker.on('message', (m: number | { cpuNs: number; runQueueNs: number }) => {
      if (typeof m === 'number') {
        onTick();
        return;
      }
      void worker
        .terminate()
        .then(() =>
          resolve({ wakeLagMs: new Float64Array(lags), cpuMs: m.cpuNs / 1e6, runQueueMs: m.runQueueNs / 1e6 }),
        );
    });
    worker.once('error', reject);
  });
}
