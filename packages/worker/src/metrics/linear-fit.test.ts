import { describe, expect, it } from 'vitest';
import { LinearFit } from './linear-fit.js';

describe('LinearFit', () => {
  it('is empty before any sample', () => {
    const f = new LinearFit();
    expect(f.hasValue).toBe(false);
    expect(f.line).toEqual({ intercept: 0, slope: 0 });
  });

  it('recovers fixed + per-token cost from two prompt sizes', () => {
    // 10 ms fixed + 1 ms/token: 10 tokens → 0.020 s, 110 tokens → 0.120 s, alternating.
    const f = new LinearFit(0.2);
    for (let i = 0; i < 20; i++) f.add(i % 2 === 0 ? 10 : 110, i % 2 === 0 ? 0.02 : 0.12);
    expect(f.line.intercept).toBeCloseTo(0.01, 9);
    expect(f.line.slope).toBeCloseTo(0.001, 9);
  });

  it('does not turn a fixed cost into a per-token cost when suffixes are short', () => {
    // A decode worker's local prefills: 4 and 8 tokens at 20 ms fixed + 0.1 ms/token (20.4, 20.8 ms).
    // seconds ÷ tokens would say 2.6–5.1 ms/token; the fit says 0.1 ms/token, so 200 tokens cost
    // 20 + 20 = 40 ms, not ~1 s.
    const f = new LinearFit(0.2);
    for (let i = 0; i < 10; i++) f.add(i % 2 === 0 ? 4 : 8, i % 2 === 0 ? 0.0204 : 0.0208);
    const { intercept, slope } = f.line;
    expect(intercept + slope * 200).toBeCloseTo(0.04, 6);
  });

  it('falls back to the per-token average when every sample has the same size', () => {
    const f = new LinearFit();
    f.add(64, 0.064);
    f.add(64, 0.128);
    // Weighted (α = 0.1): S_y = 0.9·0.064 + 0.128 = 0.1856, S_x = 0.9·64 + 64 = 121.6 → 0.1856/121.6.
    expect(f.line.intercept).toBe(0);
    expect(f.line.slope).toBeCloseTo(0.1856 / 121.6, 12);
  });

  it('weights recent samples more (the old regime fades)', () => {
    const f = new LinearFit(0.5);
    for (let i = 0; i < 10; i++) f.add(i % 2 === 0 ? 10 : 110, i % 2 === 0 ? 0.02 : 0.12); // 1 ms/token
    for (let i = 0; i < 40; i++) f.add(i % 2 === 0 ? 10 : 110, i % 2 === 0 ? 0.03 : 0.23); // 2 ms/token
    expect(f.line.slope).toBeCloseTo(0.002, 6);
    expect(f.line.intercept).toBeCloseTo(0.01, 6);
  });

  it('clamps: never a negative slope or intercept', () => {
    const falling = new LinearFit(0.5);
    falling.add(10, 0.05);
    falling.add(100, 0.01); // bigger prompts faster: noise → flat line at the weighted mean
    expect(falling.line.slope).toBe(0);
    expect(falling.line.intercept).toBeGreaterThan(0);
    const steep = new LinearFit(0.5);
    steep.add(10, 0.001);
    steep.add(20, 0.011); // the line would cross 0 at 9 tokens → through the origin instead
    expect(steep.line.intercept).toBe(0);
    expect(steep.line.slope).toBeGreaterThan(0);
  });

  it('ignores non-finite and negative samples', () => {
    const f = new LinearFit();
    f.add(Number.NaN, 1);
    f.add(5, -1);
    expect(f.hasValue).toBe(false);
  });
});
