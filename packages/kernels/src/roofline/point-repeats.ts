import { median } from '@oicf/core';
import { isCleanRun, type RunQuality } from './run-quality.js';

/**
 * A point measured in several repeats spread over time (each repeat: a few timed runs after
 * warm-ups, repeats minutes apart, interleaved with the other points), judged by whether the
 * repeats agree. On this 2-core machine a co-runner on the other core slows our 1-thread step
 * through the shared caches and memory bus for as long as it runs, without ever making our
 * thread wait: runs within one repeat agree with each other, and only a repeat taken at another
 * time shows it. So a figure is trusted only when repeats taken apart agree.
 *
 *   repeat figure   median of its clean runs (run-quality.ts: our threads waited for a CPU ≤ 5 %),
 *                   when at least half its runs are clean; else the repeat is not usable
 *   otherCores      other tasks' CPU during its timed runs, in cores (Σ otherCores·wall ÷ Σ wall);
 *                   a repeat whose co-runners used more than maxOtherCores is not usable
 *   point figure    median of the usable repeats' figures that agree (below)
 *   agreeing        usable repeats within ±agreement of the usable repeats' median
 *   clean point     at least minAgreeing agreeing repeats, and they are at least half the usable
 *   spread          (max − min) ÷ median over the usable repeats (all of them, agreeing or not)
 */
export interface RepeatRuns {
  readonly callRunsSeconds: readonly number[];
  readonly quality: readonly RunQuality[];
}

export interface RepeatJudgement {
  readonly agreement: number;
  readonly minAgreeing: number;
  readonly maxOtherCores: number;
}

/**
 * ±5 % around the median, 3 agreeing repeats, co-runners within the other core. Measured (mha and
 * gqa, 5 repeats, 08:11–08:15): repeats whose co-runners used 0.8–1.8 cores were slower than their
 * point's fastest repeat by a median 2.8 %, those under 0.1 cores by 2.6 %: one co-runner on the
 * other core does not show; more than one core of them must share ours.
 */
export const DEFAULT_REPEAT_JUDGEMENT: RepeatJudgement = { agreement: 0.05, minAgreeing: 3, maxOtherCores: 1 };

export interface RepeatFigure {
  /** Median of the repeat's clean runs; null when fewer than half its runs were clean. */
  readonly seconds: number | null;
  /** Other tasks' CPU during the repeat's timed runs, in cores; null where unmeasured. */
  readonly otherCores: number | null;
  readonly usable: boolean;
  readonly agrees: boolean;
}

export interface JudgedPoint {
  /** Median of the agreeing repeats (clean), else of the usable ones, else of every run. */
  readonly seconds: number;
  readonly repeats: readonly RepeatFigure[];
  readonly numUsable: number;
  readonly numAgreeing: number;
  /** (max − min) ÷ median over the usable repeats; NaN with fewer than 2. */
  readonly spread: number;
  readonly clean: boolean;
}

function repeatFigure(r: RepeatRuns, maxOtherCores: number): Omit<RepeatFigure, 'agrees'> {
  const clean = r.callRunsSeconds.filter((_, i) => {
    const q = r.quality[i];
    return q !== undefined && isCleanRun(q);
  });
  const seconds = clean.length > 0 && 2 * clean.length >= r.callRunsSeconds.length ? median(clean) : null;
  let weighted = 0;
  let wall = 0;
  let measured = false;
  r.callRunsSeconds.forEach((t, i) => {
    const o = r.quality[i]?.otherCores;
    if (o === undefined || o === null) return;
    measured = true;
    weighted += o * t;
    wall += t;
  });
  const otherCores = measured && wall > 0 ? weighted / wall : null;
  return { seconds, otherCores, usable: seconds !== null && (otherCores === null || otherCores <= maxOtherCores) };
}

/** Judges one point from its repeats (in time order). */
export function judgeRepeats(
  repeats: readonly RepeatRuns[],
  judgement: RepeatJudgement = DEFAULT_REPEAT_JUDGEMENT,
): JudgedPoint {
  if (repeats.length === 0) throw new RangeError('judgeRepeats: no repeats');
  const figures = repeats.map((r) => repeatFigure(r, judgement.maxOtherCores));
  const usable = figures.flatMap((f) => (f.usable && f.seconds !== null ? [f.seconds] : []));
  const mid = usable.length > 0 ? median(usable) : Number.NaN;
  const agrees = (f: Omit<RepeatFigure, 'agrees'>) =>
    f.usable && f.seconds !== null && Math.abs(f.seconds / mid - 1) <= judgement.agreement;
  const agreeing = figures.flatMap((f) => (agrees(f) && f.seconds !== null ? [f.seconds] : []));
  const clean = agreeing.length >= judgement.minAgreeing && 2 * agreeing.length >= usable.length;
  const seconds =
    agreeing.length > 0
      ? median(agreeing)
      : usable.length > 0
        ? mid
        : median(repeats.flatMap((r) => r.callRunsSeconds));
  return {
    seconds,
    repeats: figures.map((f) => ({ ...f, agrees: agrees(f) })),
    numUsable: usable.length,
    numAgreeing: agreeing.length,
    spread: usable.length >= 2 ? (Math.max(...usable) - Math.min(...usable)) / mid : Number.NaN,
    clean,
  };
}
