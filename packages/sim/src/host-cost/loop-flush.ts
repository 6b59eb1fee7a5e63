// The decode loop's flush, measured on the real workers (round 6, issue 12). After every step the decode
// worker's loop hands the step's tokens to the request streams and updates its gauges (DecodeLoop.flush +
// afterStep) on its main thread, after the step's end: after an emulated step's pacing, before the next step.
// The workers export it as oicf_decode_loop_flush_seconds{phase,batch} (batch 1, 2, 3, 4+). The twin's cost
// per flush is the line through the mean flush of decode steps of batch 1, 2 and 3 (weighted by their counts:
// a flush visits every sequence of the step, so it grows with the batch); 4+ is left out (its batch is not
// known exactly). Measured, not fitted to any latency: the twin then charges it where the worker spends it
// (step-loop.ts) instead of inside the step, where an emulated step's pacing hides it.
import type { DecodeCost, LoopFlushCost } from './host-cost.js';

/** One batch size's flushes: how many, and their summed seconds. */
export interface FlushTotals {
  readonly batch: number;
  readonly count: number;
  readonly sumSeconds: number;
}

/**
 * Weighted least squares of mean flush seconds on the batch (weights: the counts), both coefficients ≥ 0:
 * when the slope comes out negative, the flush is the overall mean per step and nothing per sequence; when
 * the intercept does, the line through the origin. Undefined without any flush counted.
 */
export function loopFlushCost(totals: readonly FlushTotals[]): LoopFlushCost | undefined {
  const rows = totals.filter((t) => t.count > 0);
  const n = rows.reduce((s, t) => s + t.count, 0);
  if (n === 0) return undefined;
  const sx = rows.reduce((s, t) => s + t.count * t.batch, 0);
  const sy = rows.reduce((s, t) => s + t.sumSeconds, 0);
  const sxx = rows.reduce((s, t) => s + t.count * t.batch * t.batch, 0);
  const sxy = rows.reduce((s, t) => s + t.batch * t.sumSeconds, 0);
  const det = n * sxx - sx * sx;
  let slope = det > 0 ? (n * sxy - sx * sy) / det : 0;
  let intercept = (sy - slope * sx) / n;
  if (slope < 0) {
    slope = 0;
    intercept = sy / n;
  } else if (intercept < 0) {
    intercept = 0;
    slope = sxy / sxx;
  }
  return { secondsPerStep: intercept, secondsPerSequence: slope };
}

/**
 * The decode cost with the measured flush moved out of the step: the flush's per-step and per-sequence CPU
 * come off the regressed per-step and per-sequence-step CPU (each floored at 0), so the CPU total is kept
 * where the regression had room for it.
 */
export function withLoopFlush(decode: DecodeCost, flush: LoopFlushCost): DecodeCost {
  return {
    ...decode,
    secondsPerStep: Math.max(0, decode.secondsPerStep - flush.secondsPerStep),
    secondsPerSequenceStep: Math.max(0, decode.secondsPerSequenceStep - flush.secondsPerSequence),
    loopFlush: flush,
  };
}
