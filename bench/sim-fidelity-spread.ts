// The fidelity bench judged against the real cluster's own spread: the same window replayed on N fresh real
// clusters, the twin's one answer beside each figure's real mean, min–max and sd ÷ mean. Pure: summaries in,
// rows out (the bench reads and writes the files).
import type { FigureError } from '@oicf/report';

/** One figure over the real runs and the twin's value (latencies and rates relative; the hit ratio in points). */
export interface FigureSpread {
  readonly figure: string;
  readonly unit: FigureError['unit'];
  readonly format: FigureError['format'];
  readonly realValues: readonly number[];
  readonly realMean: number | null;
  readonly realMin: number | null;
  readonly realMax: number | null;
  /** Sample standard deviation (n − 1) ÷ mean; for a ratio in points, the sd itself (in points). */
  readonly realSpread: number | null;
  /** The largest distance of one real run from the real mean: relative (÷ mean) or in points. */
  readonly realMaxDeviation: number | null;
  readonly sim: number | null;
  /** (sim − real mean) ÷ real mean, or sim − real mean for a ratio (points). */
  readonly errorVsMean: number | null;
  readonly simInsideRealRange: boolean | null;
}

/** The goal's tolerance: 10 % relative; 2 points for the hit ratio. */
export function tolerance(unit: FigureError['unit']): number {
  return unit === 'points' ? 0.02 : 0.1;
}

/** Figures the goal judges: p50s, p90s and throughput; the hit ratio. Others (p99, goodput) are reported. */
export function judgedFigure(figure: string): boolean {
  return /p50|p90|throughput|hit ratio/.test(figure);
}

function mean(xs: readonly number[]): number {
  return xs.reduce((t, x) => t + x, 0) / xs.length;
}

function sampleSd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((t, x) => t + (x - m) ** 2, 0) / (xs.length - 1));
}

/**
 * Per figure, from the twin-vs-real comparison against each real run (`simVsReal(real_k, sim)`, all with the
 * same twin): the real values' mean, range and spread and the twin's error against the mean.
 */
export function spreadOverRuns(perRun: readonly (readonly FigureError[])[]): FigureSpread[] {
  const first = perRun[0];
  if (first === undefined) return [];
  return first.map((f, i) => {
    const values = perRun.map((r) => r[i]?.real).filter((v): v is number => typeof v === 'number');
    const sim = f.sim;
    if (values.length === 0) {
      return {
        figure: f.figure,
        unit: f.unit,
        format: f.format,
        realValues: [],
        realMean: null,
        realMin: null,
        realMax: null,
        realSpread: null,
        realMaxDeviation: null,
        sim,
        errorVsMean: null,
        simInsideRealRange: null,
      };
    }
    const m = mean(values);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const points = f.unit === 'points';
    const scale = points ? 1 : m;
    const sd = sampleSd(values);
    return {
      figure: f.figure,
      unit: f.unit,
      format: f.format,
      realValues: values,
      realMean: m,
      realMin: lo,
      realMax: hi,
      realSpread: scale === 0 ? null : sd / scale,
      realMaxDeviation: scale === 0 ? null : Math.max(hi - m, m - lo) / scale,
      sim,
      errorVsMean: sim === null || scale === 0 ? null : (sim - m) / scale,
      simInsideRealRange: sim === null ? null : sim >= lo && sim <= hi,
    };
  });
}

/** Within the goal against the real mean (judged figures only; null for the reported-only ones). */
export function meetsGoalVsMean(s: FigureSpread): boolean | null {
  if (!judgedFigure(s.figure) || s.errorVsMean === null) return null;
  return Math.abs(s.errorVsMean) <= tolerance(s.unit);
}

/** Whether every real run lies within the goal's tolerance of the real mean (else no twin can be judged on it). */
export function realRepeats(s: FigureSpread): boolean | null {
  if (s.realMaxDeviation === null || s.realValues.length < 2) return null;
  return s.realMaxDeviation <= tolerance(s.unit);
}
