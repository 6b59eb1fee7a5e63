import type { GraphCount } from '../count/count-graph.js';
import { KV_BYTES_PER_ELEMENT } from '../model/kv-layout.js';
import { DTYPE_BYTES, type DType } from '../onnx/dtype.js';
import type { Graph } from '../onnx/graph.js';

/**
 * What a step's time depends on, counted from the graph the runner ran at the step's shapes:
 * the work split by the kind of kernel that does it, plus the graph's size. The calibrated
 * step-time model (calibrated-model.ts) is a sum of these, each times a fitted cost per unit.
 *
 *   numRuns           session.run calls (1; a prefill longer than the runner's chunk makes several)
 *   numNodes          our graph's nodes (onnxruntime fuses a few; each executed node pays a launch)
 *   numInputs         graph inputs fed per run (each a tensor handed across N-API)
 *   gemmFlops.<p>     weight matmuls' FLOPs by the arithmetic they run in: fp32 (fp32 weights, or
 *                     int8 weights dequantized first), fp16, int8 (MatMulInteger)
 *   weightBytes.<d>   weight bytes read, each weight once, by stored dtype (fp32 includes norms and
 *                     scales; int8 the int8 matrices and embedding rows)
 *   attentionFlops    matmuls of two activations (scores, p·V) run by MatMul nodes (the batched
 *                     kernel over K tiles and V blocks, MLA's p·C): fp32 always, KV is fp32
 *   kvReadBytes       KV cache inputs read, except kvStreamBytes
 *   kvStreamBytes     KV read by attention matmuls that use each cached row for one query row
 *                     (MHA: one query head per KV head; FLOPs = 2 · KV elements), a pure stream;
 *                     GQA's groups and MLA's heads reuse each row for several (file version 1
 *                     priced both as kvReadBytes)
 *   activationBytes   everything else a node reads or writes (unfused): activations, outputs,
 *                     score rows, the fp32 weights a dequantization writes and its MatMul reads
 *   dequantBytes      DequantizeLinear traffic on weights: int8 read + fp32 written per step
 *   broadcastAttentionFlops  the same run by MatMul nodes whose cached operand is an Unsqueeze'd K
 *                     or V broadcast against the query groups ([kvH, G, T, D] · [kvH, 1, D, C]): in
 *                     these graphs exactly the dense variants' prefill attention (MHA too, G = 1);
 *                     decode attention and MLA's prefill ([H, T, D] · [H, D, C]) never broadcast.
 *                     onnxruntime runs a broadcast batch as a slower kernel per FLOP (round 5:
 *                     priced alike, MLA int8 prefill ran 15–28 % faster than priced and MHA int8
 *                     prefill 10–14 % slower; file versions 1–2 priced both as attentionFlops)
 *   attentionGemmFlops  the same run by Gemm nodes (transB: a dot product of each query row with
 *                     each cached row: MLA's scores over the latent, dense K's open rows), a
 *                     different kernel with its own rate (file version 1 priced both as one)
 *   residentBytes     bytes the step reads that the next step reads again: weights (stored),
 *                     KV read, and the fp32 weights a DequantizeLinear writes. Not priced itself:
 *                     the part beyond the fitted cache capacity is (feature-vector.ts spillBytes)
 */
export interface StepFeatures {
  readonly numRuns: number;
  readonly numNodes: number;
  readonly numInputs: number;
  readonly gemmFlops: WeightKinds;
  readonly weightBytes: WeightKinds;
  readonly attentionFlops: number;
  readonly broadcastAttentionFlops: number;
  readonly kvReadBytes: number;
  readonly kvStreamBytes: number;
  readonly activationBytes: number;
  readonly dequantBytes: number;
  readonly attentionGemmFlops: number;
  readonly residentBytes: number;
}

/** One figure per weight arithmetic / storage type. */
export interface WeightKinds {
  readonly fp32: number;
  readonly fp16: number;
  readonly int8: number;
}

export type WeightKind = keyof WeightKinds;
export const WEIGHT_KINDS: readonly WeightKind[] = ['fp32', 'fp16', 'int8'];

const MATMUL_OPS = new Set(['MatMul', 'MatMulInteger', 'Gemm']);

/**
 * Features of one run of `graph` counted as `count` (countGraph of the same graph at the run's
 * dims; nodes in graph order). A matmul is a weight GEMM when one of its inputs is a weight
 * initializer or a DequantizeLinear of one; otherwise it is attention.
 */
export function stepFeatures(graph: Graph, count: GraphCount): StepFeatures {
  const weightDtype = new Map<string, string>();
  for (const init of graph.initializers) if (init.role === 'weight') weightDtype.set(init.name, init.dtype);
  const dequantized = new Set<string>();
  const gemm = { fp32: 0, fp16: 0, int8: 0 };
  const weights = { fp32: 0, fp16: 0, int8: 0 };
  let attentionFlops = 0;
  let broadcastAttentionFlops = 0;
  let attentionGemmFlops = 0;
  const producer = new Map<string, string>();
  for (const n of graph.nodes) for (const out of n.outputs) producer.set(out, n.opType);
  let kvStreamBytes = 0;
  let dequantWrittenBytes = 0;
  let dequantBytes = 0;
  let otherBytes = 0;
  graph.nodes.forEach((node, i) => {
    const c = count.nodes[i];
    if (c === undefined || c.name !== node.name)
      throw new Error(`stepFeatures: count of ${graph.name} does not match its node ${i} (${node.name})`);
    const weightInputs = node.inputs.filter((name) => weightDtype.has(name));
    if (node.opType === 'DequantizeLinear' && weightInputs.length > 0) {
      for (const out of node.outputs) dequantized.add(out);
      dequantBytes += c.bytesRead - c.weightBytesRead + c.bytesWritten;
      dequantWrittenBytes += c.bytesWritten;
    } else {
      otherBytes += c.bytesRead - c.weightBytesRead - c.kvBytesRead - c.tableBytesRead + c.bytesWritten;
    }
    if (!MATMUL_OPS.has(node.opType)) return;
    const fromDequant = node.inputs.some((name) => dequantized.has(name));
    if (weightInputs.length === 0 && !fromDequant) {
      if (node.opType === 'Gemm') attentionGemmFlops += c.matmulFlops;
      else if (producer.get(node.inputs[1] ?? '') === 'Unsqueeze') broadcastAttentionFlops += c.matmulFlops;
      else attentionFlops += c.matmulFlops;
      // Query rows per cached row: matmul FLOPs = 2 · rows · KV elements read.
      const kvElements = c.kvBytesRead / KV_BYTES_PER_ELEMENT;
      if (kvElements > 0 && c.matmulFlops / (2 * kvElements) < 1.5) kvStreamBytes += c.kvBytesRead;
      return;
    }
    const kind: WeightKind =
      node.opType === 'MatMulInteger'
        ? 'int8'
        : weightInputs.some((name) => weightDtype.get(name) === 'float16')
          ? 'fp16'
          : 'fp32';
    gemm[kind] += c.matmulFlops;
  });
  // Weight bytes by dtype: the counter reads each weight once (count.totals.weightBytes); split
  // that total by the dtypes of the weights nodes read, in the counter's proportions.
  const byDtype = weightBytesByDtype(graph, count);
  weights.fp32 = byDtype.float32 ?? 0;
  weights.fp16 = byDtype.float16 ?? 0;
  weights.int8 = byDtype.int8 ?? 0;
  return {
    numRuns: 1,
    numNodes: graph.nodes.length,
    numInputs: graph.inputs.length,
    gemmFlops: gemm,
    weightBytes: weights,
    attentionFlops,
    broadcastAttentionFlops,
    kvReadBytes: count.totals.kvReadBytes - kvStreamBytes,
    kvStreamBytes,
    activationBytes: otherBytes,
    dequantBytes,
    attentionGemmFlops,
    residentBytes: weights.fp32 + weights.fp16 + weights.int8 + count.totals.kvReadBytes + dequantWrittenBytes,
  };
}

/**
 * Weight bytes read per stored dtype, each weight counted once at the most any node read of it
 * (the counter's weightBytes, split by dtype).
 */
function weightBytesByDtype(graph: Graph, count: GraphCount): Record<string, number> {
  const dtype = new Map<string, DType>();
  const size = new Map<string, number>();
  for (const init of graph.initializers) {
    if (init.role !== 'weight') continue;
    dtype.set(init.name, init.dtype);
    size.set(init.name, init.dims.reduce((a, d) => a * d, 1) * DTYPE_BYTES[init.dtype]);
  }
  const read = new Map<string, number>();
  graph.nodes.forEach((node, i) => {
    const c = count.nodes[i];
    if (c === undefined || c.weightBytesRead === 0) return;
    const ws = node.inputs.filter((n) => dtype.has(n));
    // A node reads at most one weight matrix here plus small scales; attribute its weight bytes
    // to its inputs in proportion to their full sizes.
    const sizes = ws.map((n) => size.get(n) ?? 0);
    const total = sizes.reduce((a, b) => a + b, 0);
    ws.forEach((n, k) => {
      const share = total > 0 ? (c.weightBytesRead * (sizes[k] ?? 0)) / total : 0;
      read.set(n, Math.max(read.get(n) ?? 0, share));
    });
  });
  const out: Record<string, number> = {};
  for (const [name, bytes] of read) {
    const d = dtype.get(name) ?? 'float32';
    out[d] = (out[d] ?? 0) + bytes;
  }
  return out;
}
