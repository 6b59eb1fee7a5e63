import type { RooflinePoint } from './roofline-point.js';
import { cleanMedian, cleanRuns, type RunQuality } from './run-quality.js';

/** The timed runs of a point: what a sweep measured, and what merging passes concatenates. */
export interface PointRuns {
  readonly runsSeconds: readonly number[];
  readonly callRunsSeconds: readonly number[];
  readonly quality: readonly RunQuality[];
}

type Derived =
  | 'seconds'
  | 'callSeconds'
  | 'clean'
  | 'achievedFlopsPerSecond'
  | 'achievedBytesPerSecond'
  | 'measuredBandwidthBytesPerSecond'
  | 'measuredIntensityFlopsPerByte'
  | keyof PointRuns;

/**
 * A point with these runs and every figure derived from them: medians over the clean runs (at
 * least `minClean` of them, default half), achieved rates, measured bandwidth and OI.
 */
export function withRuns(point: Omit<RooflinePoint, Derived>, runs: PointRuns, minClean?: number): RooflinePoint {
  const kept = cleanRuns(runs.quality, minClean);
  const seconds = cleanMedian(runs.runsSeconds, kept);
  return {
    ...point,
    ...runs,
    seconds,
    callSeconds: cleanMedian(runs.callRunsSeconds, kept),
    clean: kept.length > 0,
    achievedFlopsPerSecond: point.flops / seconds,
    achievedBytesPerSecond: point.bytes / seconds,
    ...(point.traffic
      ? {
          measuredBandwidthBytesPerSecond: point.traffic.movedBytes / seconds,
          measuredIntensityFlopsPerByte: point.flops / point.traffic.movedBytes,
        }
      : {}),
  };
}

/**
 * One point per planned point from several passes of the same sweep (same plan order): their runs
 * concatenated, the point clean when at least `minClean` runs over all passes were (passes spread
 * the runs over time, so a burst of load on the machine spoils only some of them).
 */
export function mergePasses(passes: readonly (readonly RooflinePoint[])[], minClean = 3): RooflinePoint[] {
  const first = passes[0];
  if (first === undefined) return [];
  return first.map((p, i) => {
    const same = passes.map((pass) => pass[i]).filter((q): q is RooflinePoint => q !== undefined);
    return withRuns(
      p,
      {
        runsSeconds: same.flatMap((q) => q.runsSeconds),
        callRunsSeconds: same.flatMap((q) => q.callRunsSeconds),
        quality: same.flatMap((q) => q.quality),
      },
      minClean,
    );
  });
}
