import { readFileSync } from 'node:fs';
import { median } from '../calibrate/calibrate.js';

/**
 * Whether a timed run had the machine to itself. Two signals, recorded per run:
 *
 *   stallFraction  Linux pressure stall information (/proc/pressure/cpu, `some` total, µs): the
 *                  share of the run's wall time during which some runnable task waited for a CPU.
 *                  With this process's two onnxruntime threads on a 2-core machine, any other
 *                  runnable task makes someone wait, so ≈ 0 means nobody competed. Measured under
 *                  load 7: 0.99–1.0; the preferred signal (µs resolution).
 *   preemptions    involuntary context switches of this process during the run (getrusage), the
 *                  fallback where PSI is absent.
 *
 * A run is clean when its stall fraction is at most MAX_STALL_FRACTION (else, without PSI, when
 * nothing preempted it). Dropping the others removes other processes' CPU use, not the kernel's
 * own costs; caches and memory bandwidth stay shared with whatever else runs.
 */
export interface RunQuality {
  readonly preemptions: number;
  /** null where /proc/pressure/cpu is unavailable. */
  readonly stallFraction: number | null;
}

/** A run in which CPU contention cost at most this share of its wall time counts as clean. */
export const MAX_STALL_FRACTION = 0.05;

export function isCleanRun(q: RunQuality): boolean {
  return q.stallFraction === null ? q.preemptions === 0 : q.stallFraction <= MAX_STALL_FRACTION;
}

/**
 * Indices of the clean runs when there are at least `minClean` of them (default: half the runs,
 * at least one); otherwise none, and the point's medians use every run and say it is not clean.
 */
export function cleanRuns(runs: readonly RunQuality[], minClean = Math.max(1, Math.ceil(runs.length / 2))): number[] {
  const clean = runs.flatMap((q, i) => (isCleanRun(q) ? [i] : []));
  return clean.length >= minClean ? clean : [];
}

/** Median of `values` over the clean runs `kept`, or over all when none is kept. */
export function cleanMedian(values: readonly number[], kept: readonly number[]): number {
  return median(kept.length > 0 ? kept.map((i) => values[i] ?? Number.NaN) : values);
}

/** Cumulative µs during which some task waited for a CPU, or undefined without PSI (non-Linux, old kernels). */
export function cpuStallMicros(): number | undefined {
  try {
    const m = /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return m?.[1] === undefined ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}
