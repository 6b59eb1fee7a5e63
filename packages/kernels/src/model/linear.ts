import { attr } from '../onnx/graph.js';
import type { GraphBuilder } from '../onnx/graph-builder.js';
import type { TinyModelConfig } from './config.js';
import type { WeightStore } from './weight-store.js';
import { quantizeColumns, toFloat16 } from './weights.js';

/** What every layer builder needs: the graph being built, the weights, the config. */
export interface ModelContext {
  readonly b: GraphBuilder;
  readonly w: WeightStore;
  readonly config: TinyModelConfig;
  /** Tokens per sealed K tile of the cache inputs (cache-inputs.ts); default DEFAULT_K_TILE_TOKENS. */
  readonly kTileTokens?: number;
  /** Decode graph for batches with no sealed K tile (cache-inputs.ts `short` layout). */
  readonly shortDecode?: boolean;
}

const FLOAT = 1;
const FLOAT16 = 10;
/** uint8 zero point of the per-row activation quantization: q = round(x / s) + 128 ∈ [1, 255]. */
const ACTIVATION_ZERO_POINT = 128;

/** Columns of several [rows, cols_i] row-major matrices side by side: [rows, Σ cols_i]. */
export function concatColumns(parts: readonly Float32Array[], rows: number): Float32Array {
  const widths = parts.map((p) => p.length / rows);
  const total = widths.reduce((a, c) => a + c, 0);
  const out = new Float32Array(rows * total);
  for (let r = 0; r < rows; r++) {
    let offset = r * total;
    parts.forEach((p, k) => {
      const w = widths[k] ?? 0;
      out.set(p.subarray(r * w, (r + 1) * w), offset);
      offset += w;
    });
  }
  return out;
}

/**
 * y = x · W for x [rows, inDim] and a weight `name` of [inDim, outDim] (master values from
 * `values`, default a fresh seeded matrix). How it runs depends on the weight precision:
 *
 *   fp32  MatMul(x, W)
 *   fp16  Cast(x→fp16) · MatMul(x16, W16) · Cast(→fp32)   (onnxruntime CPU runs fp16 MatMul)
 *   int8  per-row dynamic activation quantization + integer GEMM:
 *           s = max(|x_row|)/127            (one scale per row, so each token is quantized
 *           q = QuantizeLinear(x, s, 128)    on its own: prefill and decode see the same rows)
 *           acc = MatMulInteger(q, Wq, 128)  (uint8 × int8 → int32; the u8s8 kernel uses VNNI)
 *           y = float(acc) · s_row · w_col   (per-column symmetric weight scales)
 */
export function linear(
  ctx: ModelContext,
  x: string,
  name: string,
  inDim: number,
  outDim: number,
  values?: () => Float32Array,
): string {
  const { b, w, config } = ctx;
  const master = () => (values ? w.derived(`${name}|master`, values) : w.matrix(name, inDim, outDim));
  return b.scope(name.split('.').pop() ?? name, () => {
    switch (config.weights) {
      case 'fp32': {
        const W = b.initializer(`${name}.weight`, 'float32', [inDim, outDim], master());
        return b.op1('MatMul', [x, W], { name: 'matmul' });
      }
      case 'fp16': {
        const half = w.derived(`${name}|fp16`, () => toFloat16(master()));
        const W = b.initializer(`${name}.weight`, 'float16', [inDim, outDim], half);
        const x16 = b.op1('Cast', [x], { name: 'cast_in', attrs: { to: attr.int(FLOAT16) } });
        const y16 = b.op1('MatMul', [x16, W], { name: 'matmul' });
        return b.op1('Cast', [y16], { name: 'cast_out', attrs: { to: attr.int(FLOAT) } });
      }
      case 'int8': {
        const q = w.derived(`${name}|int8`, () => quantizeColumns(master(), inDim, outDim));
        const W = b.initializer(`${name}.weight`, 'int8', [inDim, outDim], q.values);
        const wScale = b.initializer(`${name}.scale`, 'float32', [outDim], q.scales);
        return quantizedMatMul(b, x, W, wScale);
      }
    }
  });
}

/** The int8 path of `linear` for a 2-D activation x [rows, K] and int8 W [K, N]. */
function quantizedMatMul(b: GraphBuilder, x: string, W: string, wScale: string): string {
  const reduced = b.op1('ReduceMax', [b.op1('Abs', [x], { name: 'abs' }), b.ints([-1])], {
    name: 'row_absmax',
    attrs: { keepdims: attr.int(1) },
  });
  // [rows, 1]. The reshape also pins the shape when rows = 0 (an MoE expert no token chose):
  // onnxruntime's ReduceMax returns the unreduced [0, K] for an empty input.
  const amax = b.op1('Reshape', [reduced, b.ints([-1, 1])], { name: 'row_absmax_col' });
  // max(·, tiny) keeps an all-zero row from dividing by zero.
  const rowScale = b.op1('Max', [b.op1('Mul', [amax, b.floats([1 / 127])], { name: 'row_scale' }), b.floats([1e-30])], {
    name: 'row_scale_floor',
  });
  const scale1d = b.op1('Reshape', [rowScale, b.ints([-1])], { name: 'row_scale_1d' });
  const zp1 = b.bytes([ACTIVATION_ZERO_POINT], [1]);
  const zpRows = b.op1('Expand', [zp1, b.op1('Shape', [scale1d], { name: 'rows' })], { name: 'row_zero_points' });
  const q = b.op1('QuantizeLinear', [x, scale1d, zpRows], { name: 'quantize', attrs: { axis: attr.int(0) } });
  const zp = b.bytes([ACTIVATION_ZERO_POINT]);
  const acc = b.op1('MatMulInteger', [q, W, zp], { name: 'matmul' });
  const yf = b.op1('Cast', [acc], { name: 'to_float', attrs: { to: attr.int(FLOAT) } });
  const yRows = b.op1('Mul', [yf, rowScale], { name: 'scale_rows' });
  return b.op1('Mul', [yRows, wScale], { name: 'scale_cols' });
}

/**
 * y = x · W_h for a stack of per-head matrices W [numHeads, inDim, outDim] (x [numHeads, rows,
 * inDim], or [rows, inDim] broadcast to every head). Used by MLA's up-projections, whose values
 * appear in two layouts (expanded prefill, absorbed decode); `master` returns this use's
 * layout and each layout gets its own weight name.
 *
 *   fp32  MatMul
 *   fp16  Cast · MatMul(fp16) · Cast
 *   int8  weight-only: DequantizeLinear(Wq, per-head scale) then fp32 MatMul. One scale per head
 *         gives both layouts the same dequantized values, so prefill and decode agree.
 */
export function headMatMul(
  ctx: ModelContext,
  x: string,
  name: string,
  dims: { numHeads: number; inDim: number; outDim: number },
  master: () => Float32Array,
): string {
  const { b, w, config } = ctx;
  const { numHeads, inDim, outDim } = dims;
  const shape = [numHeads, inDim, outDim];
  return b.scope(name.split('.').pop() ?? name, () => {
    switch (config.weights) {
      case 'fp32':
        return b.op1('MatMul', [x, b.initializer(`${name}.weight`, 'float32', shape, master())], { name: 'matmul' });
      case 'fp16': {
        const W = b.initializer(
          `${name}.weight`,
          'float16',
          shape,
          w.derived(`${name}|fp16`, () => toFloat16(master())),
        );
        const x16 = b.op1('Cast', [x], { name: 'cast_in', attrs: { to: attr.int(FLOAT16) } });
        const y16 = b.op1('MatMul', [x16, W], { name: 'matmul' });
        return b.op1('Cast', [y16], { name: 'cast_out', attrs: { to: attr.int(FLOAT) } });
      }
      case 'int8': {
        const q = w.derived(`${name}|int8-head`, () => quantizeBlocks(master(), numHeads));
        const W = b.initializer(`${name}.weight`, 'int8', shape, q.values);
        const s = b.initializer(`${name}.scale`, 'float32', [numHeads], q.scales);
        const Wf = b.op1('DequantizeLinear', [W, s], { name: 'dequantize', attrs: { axis: attr.int(0) } });
        return b.op1('MatMul', [x, Wf], { name: 'matmul' });
      }
    }
  });
}

/** Symmetric int8 with one scale per leading block (a head, or an embedding row). */
export function quantizeBlocks(values: Float32Array, numHeads: number): { values: Int8Array; scales: Float32Array } {
  const per = values.length / numHeads;
  const scales = new Float32Array(numHeads);
  const out = new Int8Array(values.length);
  for (let h = 0; h < numHeads; h++) {
    let m = 0;
    for (let i = h * per; i < (h + 1) * per; i++) m = Math.max(m, Math.abs(values[i] ?? 0));
    const s = m > 0 ? m / 127 : 1;
    scales[h] = s;
    for (let i = h * per; i < (h + 1) * per; i++)
      out[i] = Math.max(-127, Math.min(127, Math.round((values[i] ?? 0) / s)));
  }
  return { values: out, scales };
}
