import { describe, expect, it } from 'vitest';
import { StepSpeeds } from './step-speeds.js';

describe('StepSpeeds', () => {
  it('reports zeros before any step', () => {
    expect(new StepSpeeds().report()).toEqual({
      prefillSecondsPerToken: 0,
      prefillFixedSeconds: 0,
      decodeStepSeconds: 0,
    });
  });

  it('fits the prefill line through the prefills and averages decode steps', () => {
    const s = new StepSpeeds();
    // Two prefills on the line seconds = 0.05 + 0.0005 · tokens: 100 → 0.1 s, 200 → 0.15 s.
    s.record('prefill', 100, 0.1);
    s.record('prefill', 200, 0.15);
    // Decode EWMA with α 0.2: 0.01, then 0.01 + 0.2 · (0.02 − 0.01) = 0.012.
    s.record('decode', 3, 0.01);
    s.record('decode', 3, 0.02);
    const r = s.report();
    expect(r.prefillSecondsPerToken).toBeCloseTo(0.0005, 12);
    expect(r.prefillFixedSeconds).toBeCloseTo(0.05, 12);
    expect(r.decodeStepSeconds).toBeCloseTo(0.012, 12);
  });
});
