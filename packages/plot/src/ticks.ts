/**
 * "Nice" tick values: multiples of 1, 2 or 5 × 10^k on linear axes, decades
 * (with 2 and 5 in between when the range is short) on log10 axes, and powers
 * of two on byte axes so labels read 1 MiB, 4 MiB, 16 MiB rather than 953.7 MiB.
 */

// Tolerance for comparing values that went through log10/multiplication.
const EPS = 1e-9;

/** Smallest step of the form {1, 2, 5} × 10^k that is ≥ rawStep (> 0). */
export function niceStep(rawStep: number): number {
  if (!(rawStep > 0) || !Number.isFinite(rawStep)) {
    throw new RangeError(`niceStep: step must be a positive finite number, got ${rawStep}`);
  }
  const power = 10 ** Math.floor(Math.log10(rawStep));
  const fraction = rawStep / power;
  const nice = fraction <= 1 + EPS ? 1 : fraction <= 2 + EPS ? 2 : fraction <= 5 + EPS ? 5 : 10;
  return clean(nice * power);
}

/** Ticks inside [min, max] at a nice step chosen so there are about `targetCount` intervals. */
export function linearTicks(min: number, max: number, targetCount = 6): number[] {
  assertRange(min, max, 'linearTicks');
  if (min === max) return [min];
  const step = niceStep((max - min) / Math.max(1, targetCount));
  const first = Math.ceil(min / step - EPS);
  const last = Math.floor(max / step + EPS);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(clean(k * step));
  return ticks;
}

/** Extends [min, max] outwards to multiples of the nice step (for axes that start and end on a tick). */
export function niceLinearDomain(min: number, max: number, targetCount = 6): [number, number] {
  assertRange(min, max, 'niceLinearDomain');
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) / 2;
    return niceLinearDomain(min - pad, max + pad, targetCount);
  }
  const step = niceStep((max - min) / Math.max(1, targetCount));
  return [clean(Math.floor(min / step + EPS) * step), clean(Math.ceil(max / step - EPS) * step)];
}

/**
 * Log10 ticks inside [min, max] (both > 0): every decade; when fewer than three
 * decades fall inside, also 2× and 5×; when more than `maxCount`, every 2nd, 3rd,
 * 5th… decade. Ranges inside one decade fall back to linear ticks.
 * Example: 0.1..1e4 → 0.1, 1, 10, 100, 1000, 10000.
 */
export function logTicks(min: number, max: number, maxCount = 10): number[] {
  assertPositiveRange(min, max, 'logTicks');
  const lo = Math.ceil(Math.log10(min) - EPS);
  const hi = Math.floor(Math.log10(max) + EPS);
  const numDecades = hi - lo + 1;
  if (numDecades >= 3) {
    const stride = [1, 2, 3, 5, 10, 20, 50].find((s) => Math.ceil(numDecades / s) <= maxCount) ?? 100;
    const ticks: number[] = [];
    for (let e = lo; e <= hi; e++) if (mod(e, stride) === 0) ticks.push(pow10(e));
    return ticks;
  }
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)) - 1; e <= hi + 1; e++) {
    for (const m of [1, 2, 5]) {
      const v = clean(m * pow10(e));
      if (v >= min * (1 - EPS) && v <= max * (1 + EPS)) ticks.push(v);
    }
  }
  return ticks.length >= 2 ? ticks : linearTicks(min, max, 5);
}

/** Extends [min, max] (> 0) outwards to whole decades. */
export function niceLogDomain(min: number, max: number): [number, number] {
  assertPositiveRange(min, max, 'niceLogDomain');
  const lo = Math.floor(Math.log10(min) + EPS);
  let hi = Math.ceil(Math.log10(max) - EPS);
  if (hi === lo) hi = lo + 1;
  return [pow10(lo), pow10(hi)];
}

/**
 * Powers-of-two ticks for byte axes: 2^e for e a multiple of a stride in
 * {1, 2, 5, 10, 20, …} chosen so at most `maxCount` remain. Stride 10 lands on
 * KiB/MiB/GiB exactly. Ranges narrower than 2× fall back to linear ticks.
 */
export function binaryLogTicks(min: number, max: number, maxCount = 10): number[] {
  assertPositiveRange(min, max, 'binaryLogTicks');
  const lo = Math.ceil(Math.log2(min) - EPS);
  const hi = Math.floor(Math.log2(max) + EPS);
  const numOctaves = hi - lo + 1;
  if (numOctaves < 2) return linearTicks(min, max, 5);
  const stride = [1, 2, 5, 10, 20, 30, 40, 50].find((s) => countMultiples(lo, hi, s) <= maxCount) ?? 60;
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) if (mod(e, stride) === 0) ticks.push(2 ** e);
  // A stride can skip every exponent in a short range (e.g. 2^11..2^14 with stride 10); keep the ends then.
  return ticks.length >= 2 ? ticks : [2 ** lo, 2 ** hi];
}

/** Extends [min, max] (> 0) outwards to powers of two. */
export function niceBinaryLogDomain(min: number, max: number): [number, number] {
  assertPositiveRange(min, max, 'niceBinaryLogDomain');
  const lo = Math.floor(Math.log2(min) + EPS);
  let hi = Math.ceil(Math.log2(max) - EPS);
  if (hi === lo) hi = lo + 1;
  return [2 ** lo, 2 ** hi];
}

function countMultiples(lo: number, hi: number, stride: number): number {
  let n = 0;
  for (let e = lo; e <= hi; e++) if (mod(e, stride) === 0) n++;
  return n;
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

// 10 ** -1 is 0.1 exactly in JS, but 3 * 0.1 is not 0.3; round away binary noise.
function pow10(e: number): number {
  return Number((10 ** e).toPrecision(12));
}

function clean(v: number): number {
  return Number(v.toPrecision(12));
}

function assertRange(min: number, max: number, where: string): void {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) {
    throw new RangeError(`${where}: need finite min ≤ max, got [${min}, ${max}]`);
  }
}

function assertPositiveRange(min: number, max: number, where: string): void {
  assertRange(min, max, where);
  if (!(min > 0)) throw new RangeError(`${where}: a log axis needs min > 0, got ${min}`);
}
