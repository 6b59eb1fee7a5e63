// The bench's open loop (router-latency.bench.ts, router-floors.bench.ts): each path's requests sent on a
// fixed schedule, woken at each due time by a helper thread (precise-ticker.ts), whatever the replies do.
import { preciseTicks } from './precise-ticker.js';

/** One path of the open loop: sends request `i` and calls `done` once with its milliseconds or an error. */
export type Path = (i: number, done: (ms: number, error?: string) => void) => void;

/**
 * Sends each path's request `i` at `start + i/rate` (+ half a period for the second path) for `seconds`,
 * open-loop: woken at each due time, it sends every request due by then. Returns the
 * latencies (NaN for a request that failed), the failures per path with the first error, and the sends
 * that went out more than one period after they were due ("late"). A failed request is counted and
 * reported, not fatal: one connection reset on a loaded machine must not lose the window.
 */
export function openLoop(rate: number, seconds: number, paths: Path[], keepSendTimes = false) {
  const periodMs = 1000 / rate;
  const total = Math.round(seconds * rate);
  const numPaths = paths.length;
  const out = paths.map(() => new Array<number>(total).fill(Number.NaN));
  const failed = paths.map(() => 0);
  // Each send's time on CLOCK_MONOTONIC in ms, kept only when asked (a probed run: TAIL_PROBE_DIR, tail-probe.mjs).
  const sentAtMs = paths.map(() => new Float64Array(keepSendTimes ? total : 0));
  let firstError: string | undefined;
  let late = 0;
  let sent = 0;
  let answered = 0;
  const start = performance.now();
  const dueOf = (k: number) => start + Math.floor(k / numPaths) * periodMs + ((k % numPaths) * periodMs) / numPaths;
  return new Promise<{
    latencies: number[][];
    sentAtMs: Float64Array[];
    failed: number[];
    firstError: string | undefined;
    late: number;
    elapsedSeconds: number;
  }>((resolveLoop) => {
    const finish = () =>
      resolveLoop({
        latencies: out,
        sentAtMs,
        failed,
        firstError,
        late,
        elapsedSeconds: (performance.now() - start) / 1000,
      });
    const sendOne = (k: number) => {
      const p = k % numPaths;
      const i = Math.floor(k / numPaths);
      if (keepSendTimes) (sentAtMs[p] as Float64Array)[i] = Number(process.hrtime.bigint()) / 1e6;
      (paths[p] as Path)(i, (ms, error) => {
        if (error === undefined) (out[p] as number[])[i] = ms;
        else {
          failed[p] = (failed[p] as number) + 1;
          firstError ??= error;
        }
        answered++;
        if (answered === total * numPaths) finish();
      });
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total * numPaths && dueOf(sent) <= now) {
        if (now - dueOf(sent) > periodMs) late++;
        sendOne(sent++);
      }
    };
    // Woken at each due time by a helper thread (precise-ticker.ts), not by a 1-ms-grained setTimeout.
    preciseTicks(start, periodMs / numPaths, total * numPaths, tick).catch((err: unknown) => {
      throw err;
    });
  });
}
