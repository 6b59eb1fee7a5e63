import { dtypeFromCode } from '../onnx/dtype.js';
import { type GraphNode, intAttr, intsAttr } from '../onnx/graph.js';
import { broadcastShapes, normAxis, numElements, type TensorInfo } from './tensor-info.js';

/**
 * Output types and shapes of one node from its inputs' — the subset of ONNX shape inference
 * for the operators the builders emit. `dynamicRows(value, axis)` answers the sizes that
 * depend on data (Compress, NonZero: tokens routed to an MoE expert).
 */
export type DynamicSize = (value: string, axis: number) => number | undefined;

export function inferNode(
  node: GraphNode,
  ins: readonly (TensorInfo | undefined)[],
  dynamic: DynamicSize,
): TensorInfo[] {
  const where = `${node.opType} node ${node.name}`;
  const x0 = input(node, ins, 0);
  switch (node.opType) {
    case 'Identity':
      return [x0];
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
    case 'Max': {
      const shape = broadcastShapes(x0.shape, input(node, ins, 1).shape, where);
      const a = x0.ints;
      const b = input(node, ins, 1).ints;
      if (node.opType === 'Add' && a && b && a.length === b.length)
        return [{ dtype: x0.dtype, shape, ints: a.map((v, i) => v + (b[i] ?? 0)) }];
      return same(x0, shape);
    }
    case 'Equal':
      return [{ dtype: 'bool', shape: broadcastShapes(x0.shape, input(node, ins, 1).shape, where) }];
    case 'Abs':
    case 'Sigmoid':
    case 'Softmax':
    case 'RMSNormalization':
    case 'RotaryEmbedding':
      return same(x0, x0.shape);
    case 'Cast':
      return [{ dtype: dtypeFromCode(intAttr(node, 'to', 1)), shape: x0.shape, ...(x0.ints ? { ints: x0.ints } : {}) }];
    case 'Shape': {
      // Dims [start, end) (opset 15 attributes; negative values count from the end).
      const rank = x0.shape.length;
      const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
      const dims = x0.shape.slice(clamp(intAttr(node, 'start', 0)), clamp(intAttr(node, 'end', rank)));
      return [{ dtype: 'int64', shape: [dims.length], ints: dims }];
    }
    case 'ConstantOfShape':
      return [{ dtype: 'float32', shape: known(node, ins, 0) }];
    case 'Reshape':
      return [reshape(x0, known(node, ins, 1), where)];
    case 'Unsqueeze': {
      const axes = known(node, ins, 1);
      const rank = x0.shape.length + axes.length;
      const norm = new Set(axes.map((a) => normAxis(a, rank, where)));
      const out: number[] = [];
      let k = 0;
      for (let i = 0; i < rank; i++) out.push(norm.has(i) ? 1 : (x0.shape[k++] ?? 1));
      return [{ ...x0, shape: out }];
    }
    case 'Squeeze': {
      const axes = new Set(known(node, ins, 1).map((a) => normAxis(a, x0.shape.length, where)));
      return [{ ...x0, shape: x0.shape.filter((_, i) => !axes.has(i)) }];
    }
    case 'Transpose': {
      const perm = intsAttr(node, 'perm') ?? x0.shape.map((_, i) => x0.shape.length - 1 - i);
      return same(
        x0,
        perm.map((p) => x0.shape[p] ?? 0),
      );
    }
    case 'Concat': {
      const axis = normAxis(intAttr(node, 'axis', 0), x0.shape.length, where);
      const shape = [...x0.shape];
      shape[axis] = ins.reduce((a, _t, k) => a + (input(node, ins, k).shape[axis] ?? 0), 0);
      // Known int64 vectors (shape arithmetic) stay known.
      const parts = ins.map((_t, k) => input(node, ins, k).ints);
      if (x0.shape.length === 1 && parts.every((v) => v !== undefined))
        return [{ dtype: x0.dtype, shape, ints: parts.flatMap((v) => v ?? []) }];
      return same(x0, shape);
    }
    case 'Split': {
      const axis = normAxis(intAttr(node, 'axis', 0), x0.shape.length, where);
      return known(node, ins, 1).map((size) => {
        const shape = [...x0.shape];
        shape[axis] = size;
        return { dtype: x0.dtype, shape };
      });
    }
    case 'Slice':
      return same(x0, slice(x0.shape, known(node, ins, 1), known(node, ins, 2), known(node, ins, 3), where));
    case 'Expand':
      return same(x0, broadcastShapes(x0.shape, known(node, ins, 1), where));
    case 'Gather': {
      const axis = normAxis(intAttr(node, 'axis', 0), x0.shape.length, where);
      const idx = input(node, ins, 1).shape;
      return same(x0, [...x0.shape.slice(0, axis), ...idx, ...x0.shape.slice(axis + 1)]);
    }
    case 'ReduceMax':
    case 'ReduceSum': {
      const axes = new Set(known(node, ins, 1).map((a) => normAxis(a, x0.shape.length, where)));
      const keep = intAttr(node, 'keepdims', 1) === 1;
      const out: number[] = [];
      x0.shape.forEach((d, i) => {
        if (!axes.has(i)) out.push(d);
        else if (keep) out.push(1);
      });
      return same(x0, out);
    }
    case 'MatMul':
    case 'MatMulInteger': {
      const shape = matmulShape(x0.shape, input(node, ins, 1).shape, where);
      return [{ dtype: node.opType === 'MatMulInteger' ? 'int32' : x0.dtype, shape }];
    }
    case 'Gemm': {
      const [m, k] = intAttr(node, 'transA', 0) ? [x0.shape[1], x0.shape[0]] : [x0.shape[0], x0.shape[1]];
      const b = input(node, ins, 1).shape;
      const [kb, n] = intAttr(node, 'transB', 0) ? [b[1], b[0]] : [b[0], b[1]];
      if (k !== kb) throw new Error(`${where}: inner dims ${k} and ${kb} differ`);
      return same(x0, [m ?? 0, n ?? 0]);
    }
    case 'QuantizeLinear': {
      const zp = ins[2];
      const code = intAttr(node, 'output_dtype', 0);
      return [{ dtype: zp ? zp.dtype : code ? dtypeFromCode(code) : 'uint8', shape: x0.shape }];
    }
    case 'DequantizeLinear':
      return [{ dtype: 'float32', shape: x0.shape }];
    case 'TopK': {
      const axis = normAxis(intAttr(node, 'axis', -1), x0.shape.length, where);
      const shape = [...x0.shape];
      shape[axis] = known(node, ins, 1)[0] ?? 0;
      return [
        { dtype: x0.dtype, shape },
        { dtype: 'int64', shape },
      ];
    }
    case 'Compress': {
      const axis = normAxis(intAttr(node, 'axis', 0), x0.shape.length, where);
      const shape = [...x0.shape];
      shape[axis] = dynamicOrThrow(dynamic, node.outputs[0] ?? '', axis, where);
      return same(x0, shape);
    }
    case 'NonZero':
      return [{ dtype: 'int64', shape: [x0.shape.length, dynamicOrThrow(dynamic, node.outputs[0] ?? '', 1, where)] }];
    case 'ScatterND':
      return same(x0, x0.shape);
    default:
      throw new Error(`${where}: operator not supported by the counter (domain '${node.domain}')`);
  }
}

function input(node: GraphNode, ins: readonly (TensorInfo | undefined)[], k: number): TensorInfo {
  const t = ins[k];
  if (t === undefined)
    throw new Error(`${node.opType} node ${node.name}: input ${k} (${node.inputs[k] ?? '?'}) has no known shape`);
  return t;
}

function known(node: GraphNode, ins: readonly (TensorInfo | undefined)[], k: number): readonly number[] {
  const v = input(node, ins, k).ints;
  if (v === undefined)
    throw new Error(`${node.opType} node ${node.name}: input ${k} (${node.inputs[k]}) must be a known int64 tensor`);
  return v;
}

function same(x: TensorInfo, shape: readonly number[]): TensorInfo[] {
  return [{ dtype: x.dtype, shape }];
}

function dynamicOrThrow(dynamic: DynamicSize, value: string, axis: number, where: string): number {
  const n = dynamic(value, axis);
  if (n === undefined) throw new Error(`${where}: output size depends on data; pass it (MoE tokens per expert)`);
  return n;
}

function reshape(x: TensorInfo, target: readonly number[], where: string): TensorInfo {
  const total = numElements(x.shape);
  const out = target.map((d, i) => (d === 0 ? (x.shape[i] ?? 0) : d));
  const inferred = out.indexOf(-1);
  if (inferred >= 0) {
    const rest = numElements(out.filter((_, i) => i !== inferred));
    out[inferred] = rest === 0 ? 0 : total / rest;
  }
  // Sizes may be fractional when a dim is an expectation (MoE tokens per expert).
  if (Math.abs(numElements(out) - total) > 1e-9 * Math.max(1, total) || out.some((d) => d < 0)) {
    throw new Error(`${where}: cannot reshape [${x.shape.join(', ')}] to [${target.join(', ')}]`);
  }
  return { dtype: x.dtype, shape: out, ...(x.ints ? { ints: x.ints } : {}) };
}

function slice(
  shape: readonly number[],
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[],
  where: string,
): number[] {
  const out = [...shape];
  axes.forEach((a, k) => {
    const axis = normAxis(a, shape.length, where);
    const dim = shape[axis] ?? 0;
    out[axis] = Math.max(0, clampIndex(ends[k] ?? dim, dim) - clampIndex(starts[k] ?? 0, dim));
  });
  return out;
}

function clampIndex(v: number, dim: number): number {
  return Math.min(Math.max(v < 0 ? v + dim : v, 0), dim);
}

/** Numpy matmul shape (1-D operands promoted and squeezed; batch dims broadcast). */
export function matmulShape(a: readonly number[], b: readonly number[], where: string): number[] {
  const a2 = a.length === 1 ? [1, a[0] ?? 0] : a;
  const b2 = b.length === 1 ? [b[0] ?? 0, 1] : b;
  const k = a2[a2.length - 1];
  if (k !== b2[b2.length - 2]) throw new Error(`${where}: inner dims [${a.join(', ')}] · [${b.join(', ')}] differ`);
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2), where);
  const out = [...batch, a2[a2.length - 2] ?? 0, b2[b2.length - 1] ?? 0];
  if (a.length === 1) out.splice(out.length - 2, 1);
  if (b.length === 1) out.pop();
  return out;
}
