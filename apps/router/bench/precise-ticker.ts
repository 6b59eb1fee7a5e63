// Wakes the bench's open loop at each send's due time with sub-millisecond precision. Node's timers have a
// 1 ms granularity on a cached loop clock, so a loop sending every 0.5 ms (1,000/s on each of two paths)
// with setTimeout is up to ≈ 2 ms late at random: most of the "late sends" of rounds 1–6 were that, not a
// busy client. Here a helper thread sleeps in Atomics.wait (a futex with a fractional-millisecond timeout)
// until each due time and posts the send's index; the main thread, woken by the message, sends every
// request due by then. A main thread that is busy still falls behind, and is counted late.
import { Worker } from 'node:worker_threads';

const SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { startEpochMs, stepMs, count } = workerData;
const cell = new Int32Array(new SharedArrayBuffer(4));
const now = () => performance.timeOrigin + performance.now();
for (let k = 0; k < count; k++) {
  const wait = startEpochMs + k * stepMs - now();
  if (wait > 0) Atomics.wait(cell, 0, 0, wait);
  parentPort.postMessage(k);
}
`;

/**
 * Calls `onTick` at `startMs + k × stepMs` (performance.now() of this thread) for k = 0 … count − 1, each
 * call as soon as this thread is free after that time. Resolves when the helper thread has posted the last.
 */
export function preciseTicks(startMs: number, stepMs: number, count: number, onTick: () => void): Promise<void> {
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: { startEpochMs: performance.timeOrigin + startMs, stepMs, count },
  });
  return new Promise((resolve, reject) => {
    worker.on('message', (k: number) => {
      onTick();
      if (k === count - 1) void worker.terminate().then(() => resolve());
    });
    worker.once('error', reject);
  });
}
