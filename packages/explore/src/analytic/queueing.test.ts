import { describe, expect, it } from 'vitest';
import { attainmentWithin, erlangC, quantileOf, waitWithin } from './queueing.js';

describe('queueing bounds', () => {
  it('Erlang C by hand: 2 servers, 1 Erlang', () => {
    // Erlang B(2, 1) = (1²/2!) / (1 + 1 + 1²/2!) = 0.5 / 2.5 = 0.2; C = B / (1 − (a/c)(1 − B)) = 0.2 / 0.6 = 1/3.
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    // One server: the probability of waiting is the utilization.
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 12);
  });

  it('M/M/1 waiting tail: P(W ≤ t) = 1 − ρ·e^{−(μ − λ)t}', () => {
    // λ = 0.5/s, s = 1 s (μ = 1/s), ρ = 0.5: P(W ≤ 2) = 1 − 0.5·e^{−1} = 0.816060.
    const pool = { servers: 1, arrivalsPerSecond: 0.5, serviceSeconds: 1, runSeconds: 100 };
    expect(waitWithin(pool, 2)).toBeCloseTo(1 - 0.5 * Math.exp(-1), 12);
    expect(waitWithin(pool, -0.1)).toBe(0);
  });

  it('an overloaded pool: the fluid share that waits at most w', () => {
    // ρ = 2 over 100 s: a request arriving at t waits (ρ − 1)·t = t, so 10 % arrive early enough to wait ≤ 10 s.
    const pool = { servers: 1, arrivalsPerSecond: 2, serviceSeconds: 1, runSeconds: 100 };
    expect(waitWithin(pool, 10)).toBeCloseTo(0.1, 12);
    // Two classes with fixed times 1 s and 3 s, SLO 4 s: shares 0.5 × P(W ≤ 3) + 0.5 × P(W ≤ 1) = 0.5·0.03 + 0.5·0.01.
    const classes = [
      { share: 0.5, fixedSeconds: 1 },
      { share: 0.5, fixedSeconds: 3 },
    ];
    expect(attainmentWithin(pool, classes, 4)).toBeCloseTo(0.02, 12);
    // The median of the mixture: 0.5 = 0.5·(t−1)/100 + 0.5·(t−3)/100 → t = 52.
    expect(quantileOf(pool, classes, 0.5)).toBeCloseTo(52, 6);
  });
});
