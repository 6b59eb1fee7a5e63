/**
 * Non-negative least squares: x ≥ 0 minimizing ‖A·x − b‖₂ (Lawson & Hanson, "Solving Least
 * Squares Problems", 1974, ch. 23: the active-set method). A is given as rows (m × n). Each
 * unconstrained subproblem is solved by Householder QR on the free columns (leastSquares), so
 * the normal equations' squared condition number never appears. Sizes here are small (a few
 * hundred rows, ≤ 16 columns).
 */
export function nnls(A: readonly (readonly number[])[], b: readonly number[], maxIterations = 200): number[] {
  const n = A[0]?.length ?? 0;
  const x = new Array<number>(n).fill(0);
  const free = new Set<number>();
  const scale = Math.max(1, norm(b)) * Math.max(1, ...A.map((r) => norm(r)));
  const tol = 1e-12 * scale;
  for (let iter = 0; iter < maxIterations; iter++) {
    const w = gradient(A, b, x);
    let t = -1;
    for (let j = 0; j < n; j++) {
      if (!free.has(j) && get(w, j) > tol && (t < 0 || get(w, j) > get(w, t))) t = j;
    }
    if (t < 0) break;
    free.add(t);
    for (let inner = 0; inner < maxIterations; inner++) {
      const cols = [...free].sort((p, q) => p - q);
      const sub = leastSquares(
        A.map((r) => cols.map((j) => get(r, j))),
        b,
      );
      const z = new Array<number>(n).fill(0);
      cols.forEach((j, k) => {
        z[j] = get(sub, k);
      });
      if (cols.every((j) => get(z, j) > 0)) {
        for (let j = 0; j < n; j++) x[j] = get(z, j);
        break;
      }
      // Step from x toward z until the first free coefficient reaches 0; that one leaves.
      let alpha = 1;
      for (const j of cols) {
        if (get(z, j) <= 0) alpha = Math.min(alpha, get(x, j) / (get(x, j) - get(z, j)));
      }
      for (let j = 0; j < n; j++) x[j] = get(x, j) + alpha * (get(z, j) - get(x, j));
      for (const j of cols) {
        if (get(x, j) <= 0) {
          x[j] = 0;
          free.delete(j);
        }
      }
    }
  }
  return x;
}

/**
 * Unconstrained least squares by Householder QR (m ≥ n). A column that is zero or depends on
 * earlier ones (|R_kk| ≤ 1e-12 · max |R_ii|) gets coefficient 0.
 */
export function leastSquares(A: readonly (readonly number[])[], b: readonly number[]): number[] {
  const m = A.length;
  const n = A[0]?.length ?? 0;
  // R row-major in a flat array: R[i·n + j].
  const R = new Float64Array(m * n);
  A.forEach((row, i) => {
    for (let j = 0; j < n; j++) R[i * n + j] = get(row, j);
  });
  const y = Float64Array.from(b);
  const r = (i: number, j: number) => R[i * n + j] ?? 0;
  const steps = Math.min(m, n);
  for (let k = 0; k < steps; k++) {
    let s = 0;
    for (let i = k; i < m; i++) s += r(i, k) ** 2;
    if (s === 0) continue;
    const alpha = r(k, k) > 0 ? -Math.sqrt(s) : Math.sqrt(s);
    // Householder vector v = column k below the diagonal, minus alpha at k.
    const v = new Float64Array(m);
    for (let i = k; i < m; i++) v[i] = r(i, k);
    v[k] = (v[k] ?? 0) - alpha;
    let vv = 0;
    for (let i = k; i < m; i++) vv += (v[i] ?? 0) ** 2;
    if (vv === 0) continue;
    const reflect = (dot: number, set: (i: number, f: number) => void) => {
      const f = (2 * dot) / vv;
      for (let i = k; i < m; i++) set(i, f * (v[i] ?? 0));
    };
    for (let j = k; j < n; j++) {
      let d = 0;
      for (let i = k; i < m; i++) d += (v[i] ?? 0) * r(i, j);
      reflect(d, (i, delta) => {
        R[i * n + j] = r(i, j) - delta;
      });
    }
    let d = 0;
    for (let i = k; i < m; i++) d += (v[i] ?? 0) * (y[i] ?? 0);
    reflect(d, (i, delta) => {
      y[i] = (y[i] ?? 0) - delta;
    });
  }
  let largest = 0;
  for (let k = 0; k < steps; k++) largest = Math.max(largest, Math.abs(r(k, k)));
  const x = new Array<number>(n).fill(0);
  for (let k = steps - 1; k >= 0; k--) {
    if (Math.abs(r(k, k)) <= 1e-12 * largest) continue;
    let s = y[k] ?? 0;
    for (let j = k + 1; j < n; j++) s -= r(k, j) * get(x, j);
    x[k] = s / r(k, k);
  }
  return x;
}

/** Aᵀ(b − A·x): the direction in which the residual falls fastest. */
function gradient(A: readonly (readonly number[])[], b: readonly number[], x: readonly number[]): number[] {
  const n = x.length;
  const w = new Array<number>(n).fill(0);
  A.forEach((row, i) => {
    let res = get(b, i);
    for (let j = 0; j < n; j++) res -= get(row, j) * get(x, j);
    for (let j = 0; j < n; j++) w[j] = get(w, j) + get(row, j) * res;
  });
  return w;
}

function norm(v: readonly number[]): number {
  return Math.sqrt(v.reduce((a, x) => a + x * x, 0));
}

function get(v: ArrayLike<number>, i: number): number {
  return v[i] ?? 0;
}
