import { fillUniform, toFloat16 } from '../model/weights.js';
import { attr, type Graph } from '../onnx/graph.js';
import { GraphBuilder } from '../onnx/graph-builder.js';

/**
 * The graphs calibration times: one square GEMM per precision (weights distinct and seeded,
 * activations as an input) and a streaming reduction. Each returns the graph and how many
 * FLOPs or bytes one run performs.
 */

export type GemmPrecision = 'fp32' | 'fp16' | 'int8';

/**
 * y = x · W for x, W both [n, n]: 2n³ FLOPs. fp32 MatMul; fp16 MatMul (fp16 in and out);
 * int8 MatMulInteger with uint8 activations and int8 weights (the u8s8 kernel the int8 model
 * path runs; int32 out).
 */
export function gemmGraph(precision: GemmPrecision, n: number, seed = 7): { graph: Graph; flops: number } {
  const b = new GraphBuilder(`calibrate.gemm.${precision}.${n}`);
  const w = fillUniform(new Float32Array(n * n), seed, `gemm.${precision}.${n}`, 1);
  switch (precision) {
    case 'fp32': {
      const x = b.input('x', 'float32', [n, n]);
      b.output(b.op1('MatMul', [x, b.initializer('w', 'float32', [n, n], w)], { name: 'gemm' }), 'float32', [n, n]);
      break;
    }
    case 'fp16': {
      const x = b.input('x', 'float16', [n, n]);
      b.output(b.op1('MatMul', [x, b.initializer('w', 'float16', [n, n], toFloat16(w))], { name: 'gemm' }), 'float16', [
        n,
        n,
      ]);
      break;
    }
    case 'int8': {
      const x = b.input('x', 'uint8', [n, n]);
      const wq = Int8Array.from(w, (v) => Math.round(v * 127));
      const zp = b.bytes([128]);
      b.output(b.op1('MatMulInteger', [x, b.initializer('w', 'int8', [n, n], wq), zp], { name: 'gemm' }), 'int32', [
        n,
        n,
      ]);
      break;
    }
  }
  return { graph: b.build(), flops: 2 * n * n * n };
}

/** Sum over each row of x [rows, cols] fp32: reads rows·cols·4 bytes, writes rows·4. */
export function streamGraph(rows: number, cols: number): { graph: Graph; bytes: number } {
  const b = new GraphBuilder(`calibrate.stream.${rows}x${cols}`);
  const x = b.input('x', 'float32', [rows, cols]);
  const y = b.op1('ReduceSum', [x, b.ints([1])], { name: 'row_sums', attrs: { keepdims: attr.int(0) } });
  b.output(y, 'float32', [rows]);
  return { graph: b.build(), bytes: rows * cols * 4 };
}

/** Smallest graph (one Identity): times the fixed cost of a session.run call from JS. */
export function emptyGraph(): Graph {
  const b = new GraphBuilder('calibrate.empty');
  const x = b.input('x', 'float32', [1]);
  b.outputAs(x, 'y', 'float32', [1]);
  return b.build();
}
