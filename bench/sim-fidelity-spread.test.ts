import type { FigureError } from '@oicf/report';
import { describe, expect, it } from 'vitest';
import { meetsGoalVsMean, realRepeats, spreadOverRuns } from './sim-fidelity-spread.js';

const fig = (figure: string, real: number, sim: number, unit: FigureError['unit'] = 'relative'): FigureError => ({
  figure,
  real,
  sim,
  error: null,
  unit,
  format: unit === 'points' ? 'percent' : 'seconds',
});

describe('spreadOverRuns', () => {
  it('mean, range, sd ÷ mean and the twin’s error against the mean, per figure', () => {
    // Three real runs of TTFT p50: 1, 2, 3 s; the twin 2.18 s. Mean 2; sample sd √((1 + 0 + 1) ÷ 2) = 1, ÷ 2 =
    // 0.5; the farthest run 1 s from the mean = 50 %; error (2.18 − 2) ÷ 2 = +9 %: within 10 %.
    // Hit ratio 4 %, 5 %, 6 %, the twin 2.9 %: mean 5 %, sd 1 pt, error −2.1 pt: not within 2 pt.
    const perRun = [1, 2, 3].map((v, i) => [
      fig('TTFT p50', v, 2.18),
      fig('prefix hit ratio', 0.04 + 0.01 * i, 0.029, 'points'),
    ]);
    const [ttft, hit] = spreadOverRuns(perRun);
    expect(ttft?.realMean).toBeCloseTo(2, 12);
    expect([ttft?.realMin, ttft?.realMax]).toEqual([1, 3]);
    expect(ttft?.realSpread).toBeCloseTo(0.5, 12);
    expect(ttft?.realMaxDeviation).toBeCloseTo(0.5, 12);
    expect(ttft?.errorVsMean).toBeCloseTo(0.09, 12);
    expect(ttft?.simInsideRealRange).toBe(true);
    expect(meetsGoalVsMean(ttft as never)).toBe(true);
    expect(realRepeats(ttft as never)).toBe(false);
    expect(hit?.realMean).toBeCloseTo(0.05, 12);
    expect(hit?.realSpread).toBeCloseTo(0.01, 12);
    expect(hit?.errorVsMean).toBeCloseTo(-0.021, 12);
    expect(hit?.simInsideRealRange).toBe(false);
    expect(meetsGoalVsMean(hit as never)).toBe(false);
    // Each run within 1 pt of the mean: the real side repeats within the 2-point tolerance.
    expect(realRepeats(hit as never)).toBe(true);
  });

  it('one run judges nothing about repeating; p99 is reported, not judged', () => {
    const [p99] = spreadOverRuns([[fig('TTFT p99', 4, 5)]]);
    expect(p99?.errorVsMean).toBeCloseTo(0.25, 12);
    expect(realRepeats(p99 as never)).toBeNull();
    expect(meetsGoalVsMean(p99 as never)).toBeNull();
  });
});
