import { DTYPE_BYTES, type DType } from '../onnx/dtype.js';

/** A value's type and concrete shape at count time, plus its contents when they are a known int list. */
export interface TensorInfo {
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Known int64 contents (constants, Shape outputs): reshape targets, axes, split sizes. */
  readonly ints?: readonly number[];
}

export function numElements(shape: readonly number[]): number {
  return shape.reduce((a, d) => a * d, 1);
}

export function tensorBytes(t: TensorInfo): number {
  return numElements(t.shape) * DTYPE_BYTES[t.dtype];
}

/** Numpy-style broadcast of two shapes; throws naming both when they do not broadcast. */
export function broadcastShapes(a: readonly number[], b: readonly number[], where: string): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new Error(`${where}: shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`);
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Normalizes a possibly negative axis for a tensor of rank `rank`. */
export function normAxis(axis: number, rank: number, where: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new Error(`${where}: axis ${axis} out of range for rank ${rank}`);
  return a;
}
