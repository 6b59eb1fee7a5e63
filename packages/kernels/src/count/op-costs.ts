import { DTYPE_BYTES } from '../onnx/dtype.js';
import { type GraphNode, intAttr } from '../onnx/graph.js';
import { numElements, type TensorInfo, tensorBytes } from './tensor-info.js';

/**
 * FLOPs and bytes of one node, unfused: each node reads its inputs from memory and writes its
 * outputs (what a kernel-per-node runtime without fusion would move).
 *
 * FLOPs: a multiply-add is 2. MatMul/MatMulInteger/Gemm 2·M·N·K (per batch item); elementwise
 * ops 1 per output element; per-element costs for the transcendental ops (below); reductions
 * 1 per input element; data movement (Concat, Slice, Transpose, Gather, Cast, ...) 0.
 * Bytes: full tensors, except that Gather and RotaryEmbedding's cos/sin read only the rows they
 * take (a Gather from a weight table at most every row once: repeated tokens hit cache), a node
 * with an empty output reads nothing, `const` initializers (shapes, axes, zero points)
 * are free, and pure views (Reshape, Unsqueeze, Squeeze, Identity, Shape) move nothing.
 */
export type CostKind = 'matmul' | 'elementwise' | 'data' | 'view';

/** Per-element FLOPs of the non-matmul operators (transcendentals count as one FLOP each). */
export const ELEMENTWISE_FLOPS_PER_ELEMENT: Readonly<Record<string, number>> = {
  Add: 1,
  Sub: 1,
  Mul: 1,
  Div: 1,
  Max: 1,
  Abs: 1,
  Equal: 1,
  /** 1/(1+exp(−x)): exp, add, divide (so SiLU·up = 3 + 1 + 1 = 5, @oicf/core's activation cost). */
  Sigmoid: 3,
  /** max, subtract, exp, sum, divide. */
  Softmax: 5,
  /** square, sum, scale by 1/rms, multiply by gain. */
  RMSNormalization: 4,
  /** Per rotated element: x·cos ± y·sin = 2 multiplies + 1 add. */
  RotaryEmbedding: 3,
  /** divide by scale, round, add zero point. */
  QuantizeLinear: 3,
  /** subtract zero point, multiply by scale. */
  DequantizeLinear: 2,
  /** ScatterND with reduction=add: one add per update element. */
  ScatterND: 1,
};

const VIEW_OPS = new Set(['Identity', 'Reshape', 'Unsqueeze', 'Squeeze', 'Shape']);
const DATA_OPS = new Set([
  'Concat',
  'Split',
  'Slice',
  'Transpose',
  'Expand',
  'Gather',
  'Cast',
  'Compress',
  'NonZero',
  'ConstantOfShape',
]);

export interface InputSource {
  readonly info: TensorInfo;
  /** Role of the value: an initializer's role, `kv` for cache inputs, `activation` otherwise. */
  readonly role: 'weight' | 'table' | 'const' | 'kv' | 'activation';
}

export interface NodeCost {
  readonly name: string;
  readonly opType: string;
  readonly kind: CostKind;
  readonly flops: number;
  /** The multiply-add part of a matmul (2·M·N·K); a Gemm's bias add counts only in `flops`. */
  readonly matmulFlops: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /** Part of bytesRead that is weights (role `weight`). */
  readonly weightBytesRead: number;
  /** Part of bytesRead that is RoPE tables (role `table`). */
  readonly tableBytesRead: number;
  /** Part of bytesRead that is KV cache inputs. */
  readonly kvBytesRead: number;
}

/** A node's cost and the bytes it read from each input (0 for omitted ones). */
export function nodeCost(
  node: GraphNode,
  inputs: readonly (InputSource | undefined)[],
  outputs: readonly TensorInfo[],
): { cost: NodeCost; inputReads: number[] } {
  const op = node.opType;
  const kind: CostKind =
    op === 'MatMul' || op === 'MatMulInteger' || op === 'Gemm'
      ? 'matmul'
      : VIEW_OPS.has(op)
        ? 'view'
        : DATA_OPS.has(op)
          ? 'data'
          : 'elementwise';
  const out0 = outputs[0];
  const outElems = out0 ? numElements(out0.shape) : 0;
  const base = { name: node.name, opType: op, kind };
  if (kind === 'view') {
    return {
      cost: {
        ...base,
        flops: 0,
        matmulFlops: 0,
        bytesRead: 0,
        bytesWritten: 0,
        weightBytesRead: 0,
        tableBytesRead: 0,
        kvBytesRead: 0,
      },
      inputReads: inputs.map(() => 0),
    };
  }
  let bytesRead = 0;
  let weightBytesRead = 0;
  let tableBytesRead = 0;
  let kvBytesRead = 0;
  const inputReads = inputs.map((src, k) => {
    if (src === undefined) return 0;
    const r = inputRead(op, k, src, inputs, out0, outElems);
    bytesRead += r;
    if (src.role === 'weight') weightBytesRead += r;
    if (src.role === 'table') tableBytesRead += r;
    if (src.role === 'kv') kvBytesRead += r;
    return r;
  });
  const bytesWritten = outputs.reduce((a, t) => a + tensorBytes(t), 0);
  const flops = flopsOf(node, inputs, outputs);
  const matmulFlops = kind === 'matmul' ? flops - (op === 'Gemm' && inputs[2] ? outElems : 0) : 0;
  return {
    cost: { ...base, flops, matmulFlops, bytesRead, bytesWritten, weightBytesRead, tableBytesRead, kvBytesRead },
    inputReads,
  };
}

/** Bytes a node reads from input k (see the module comment for the exceptions). */
function inputRead(
  op: string,
  k: number,
  src: InputSource,
  inputs: readonly (InputSource | undefined)[],
  out0: TensorInfo | undefined,
  outElems: number,
): number {
  // An empty output (an MoE expert no token chose) means the kernel touched nothing.
  if (src.role === 'const' || outElems === 0) return 0;
  if (op === 'Gather' && k === 0) {
    // Rows taken (axis 0 gathers), at most the table's rows for a weight.
    const numRows = out0 ? numElements(out0.shape) / Math.max(1, numElements(src.info.shape.slice(1))) : 0;
    const rows = src.role === 'weight' ? Math.min(numRows, src.info.shape[0] ?? 0) : numRows;
    return rows * numElements(src.info.shape.slice(1)) * DTYPE_BYTES[src.info.dtype];
  }
  if (op === 'RotaryEmbedding' && (k === 1 || k === 2)) {
    const positions = inputs[3] ? numElements(inputs[3].info.shape) : 0;
    return positions * (src.info.shape[1] ?? 0) * 4;
  }
  return tensorBytes(src.info);
}

function flopsOf(
  node: GraphNode,
  inputs: readonly (InputSource | undefined)[],
  outputs: readonly TensorInfo[],
): number {
  const op = node.opType;
  const a = inputs[0]?.info.shape ?? [];
  const outElems = outputs[0] ? numElements(outputs[0].shape) : 0;
  switch (op) {
    case 'MatMul':
    case 'MatMulInteger':
      return 2 * outElems * (a[a.length - 1] ?? 0);
    case 'Gemm': {
      const k = intAttr(node, 'transA', 0) ? a[0] : a[1];
      return 2 * outElems * (k ?? 0) + (inputs[2] ? outElems : 0);
    }
    case 'ReduceMax':
    case 'ReduceSum':
    case 'TopK':
      return numElements(a);
    case 'ScatterND':
      return inputs[2] ? numElements(inputs[2].info.shape) : 0;
    case 'RotaryEmbedding': {
      const numHeads = intAttr(node, 'num_heads', 1);
      const headDim = (a[a.length - 1] ?? 0) / numHeads;
      const rotary = intAttr(node, 'rotary_embedding_dim', 0) || headDim;
      return 3 * outElems * (headDim === 0 ? 0 : rotary / headDim);
    }
    default: {
      const per = ELEMENTWISE_FLOPS_PER_ELEMENT[op];
      return per === undefined ? 0 : per * outElems;
    }
  }
}
