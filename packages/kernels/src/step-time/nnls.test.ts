import { describe, expect, it } from 'vitest';
import { leastSquares, nnls } from './nnls.js';

describe('leastSquares (Householder QR)', () => {
  it('solves a consistent overdetermined system exactly', () => {
    // Rows (1,0), (0,1), (1,1) with b = (1, 2, 3): x = (1, 2) satisfies all three.
    const x = leastSquares(
      [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      [1, 2, 3],
    );
    expect(x[0]).toBeCloseTo(1, 12);
    expect(x[1]).toBeCloseTo(2, 12);
  });

  it('fits a line in the least-squares sense and zeroes a dependent column', () => {
    // y = c0 + c1·t through (1,3), (2,2), (3,1): exactly y = 4 − t. The third column repeats the
    // first, so it is dependent and gets 0.
    const x = leastSquares(
      [
        [1, 1, 1],
        [1, 2, 1],
        [1, 3, 1],
      ],
      [3, 2, 1],
    );
    expect(x[0]).toBeCloseTo(4, 10);
    expect(x[1]).toBeCloseTo(-1, 10);
    expect(x[2]).toBe(0);
  });
});

describe('nnls', () => {
  it('keeps the unconstrained solution when it is non-negative', () => {
    const x = nnls(
      [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      [1, 2, 3],
    );
    expect(x[0]).toBeCloseTo(1, 10);
    expect(x[1]).toBeCloseTo(2, 10);
  });

  it('clamps a coefficient the data would make negative and refits the rest', () => {
    // Unconstrained: y = 4 − t (slope −1). With slope ≥ 0 the best is slope 0 and intercept the
    // mean of b, (3 + 2 + 1)/3 = 2 (residual 2); slope alone would give x1 = (3+4+3)/14 = 5/7
    // with residual ‖(3,2,1) − 5/7·(1,2,3)‖² = 6.43 > 2.
    const x = nnls(
      [
        [1, 1],
        [1, 2],
        [1, 3],
      ],
      [3, 2, 1],
    );
    expect(x[0]).toBeCloseTo(2, 10);
    expect(x[1]).toBe(0);
  });

  it('returns zeros when every column points away from b', () => {
    expect(nnls([[1], [1]], [-1, -2])).toEqual([0]);
  });
});
