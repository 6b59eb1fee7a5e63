/**
 * Deterministic weight generation. Every tensor gets its own stream: the model seed is mixed
 * with an FNV-1a hash of the tensor's name, so tensors are distinct (onnxruntime would
 * otherwise share identical initializers, and caches would flatter the benchmarks) and a
 * tensor's values do not depend on which other tensors exist or their order.
 */

/** FNV-1a 32-bit hash of a string's UTF-16 code units. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The 32-bit stream seed of tensor `name` under model seed `seed`. */
export function tensorSeed(seed: number, name: string): number {
  return (fnv1a(name) ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0;
}

/**
 * Fills `out` with values uniform in [-bound, bound) from a mulberry32 stream (@oicf/core `mulberry32`,
 * its step inlined here because this loop draws every weight of the model).
 * Same (seed, name, bound, length) → same bytes on every platform.
 */
export function fillUniform(out: Float32Array, seed: number, name: string, bound: number): Float32Array {
  let state = tensorSeed(seed, name);
  for (let i = 0; i < out.length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = (2 * u - 1) * bound;
  }
  return out;
}

/**
 * A [fanIn, fanOut] matrix with variance 1/fanIn (uniform bound √(3/fanIn)), so activations
 * keep unit scale through each projection.
 */
export function matrix(seed: number, name: string, fanIn: number, fanOut: number): Float32Array {
  return fillUniform(new Float32Array(fanIn * fanOut), seed, name, Math.sqrt(3 / fanIn));
}

export interface QuantizedMatrix {
  /** Row-major [rows, cols] int8 in [-127, 127]. */
  readonly values: Int8Array;
  /** Per column (output channel): real value = values[r, c] · scales[c]. */
  readonly scales: Float32Array;
}

/**
 * Symmetric per-column int8 quantization of a row-major [rows, cols] matrix:
 * scale[c] = max_r |w[r, c]| / 127, value = round(w / scale). A zero column gets scale 1.
 */
export function quantizeColumns(w: Float32Array, rows: number, cols: number): QuantizedMatrix {
  if (w.length !== rows * cols) throw new Error(`quantizeColumns: ${w.length} values for [${rows}, ${cols}]`);
  const scales = new Float32Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) scales[c] = Math.max(scales[c] ?? 0, Math.abs(w[r * cols + c] ?? 0));
  }
  for (let c = 0; c < cols; c++) scales[c] = (scales[c] ?? 0) > 0 ? (scales[c] ?? 0) / 127 : 1;
  const values = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const q = Math.round((w[r * cols + c] ?? 0) / (scales[c] ?? 1));
      values[r * cols + c] = Math.max(-127, Math.min(127, q));
    }
  }
  return { values, scales };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits of a float32 (round to nearest even; overflow → ±Inf). */
export function float16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0] ?? 0;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    let half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rest > mid || (rest === mid && (half & 1) === 1)) half += 1;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half += 1;
  return sign | half;
}

/** The float32 value of binary16 bits. */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant !== 0 ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Converts a float32 array to binary16 bits. */
export function toFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float16Bits(values[i] ?? 0);
  return out;
}
