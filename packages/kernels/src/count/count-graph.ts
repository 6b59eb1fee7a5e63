import { DEFAULT_K_TILE_TOKENS, decodeCacheDims, prefillCacheDims } from '../model/cache-inputs.js';
import { META_CONFIG, META_MOE_DYNAMIC } from '../model/graph-meta.js';
import type { MoeDynamicDim } from '../model/moe.js';
import { DTYPE_BYTES } from '../onnx/dtype.js';
import type { Graph } from '../onnx/graph.js';
import { decodeModel } from '../onnx/onnx-codec.js';
import { type InputSource, type NodeCost, nodeCost } from './op-costs.js';
import { inferNode } from './shape-infer.js';
import { numElements, type TensorInfo } from './tensor-info.js';

export interface CountOptions {
  /**
   * Sizes of the graph inputs' symbolic dims (`numNewTokens`, `contextTokens.b0`, ...). The cache
   * layout's dims follow from `contextTokens.b<s>` and `numPastTokens` (see withCacheDims).
   */
  readonly dims: Readonly<Record<string, number>>;
  /**
   * MoE only: tokens each expert receives, [layer][expert] (a step's routing, e.g. from the
   * graph's `moe.l<l>.experts` output). Default: the expectation T·topK/E for every expert,
   * which makes every expert's weights count as read (the 'all-experts' bound).
   */
  readonly moeTokensPerExpert?: readonly (readonly number[])[];
}

export interface CountTotals {
  readonly flops: number;
  /** MatMul, MatMulInteger and Gemm multiply-adds (2 FLOPs each). */
  readonly matmulFlops: number;
  /** Everything else: norms, softmax, RoPE, activations, residual adds, quantization. */
  readonly elementwiseFlops: number;
  /** Unfused traffic: every node reads its inputs and writes its outputs. */
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly unfusedBytes: number;
  /** Weight bytes the step reads (each weight once; gathered rows only; idle experts 0). */
  readonly weightBytes: number;
  /** RoPE table rows read (not parameters; outside the ideal count). */
  readonly tableBytes: number;
  /** KV cache inputs, each read once. */
  readonly kvReadBytes: number;
  /** New tokens' K/V produced for the cache (new_kv.* outputs). */
  readonly kvWriteBytes: number;
  /** The paper's idealisation: weights + KV read + KV written. */
  readonly idealBytes: number;
  /** flops / idealBytes. */
  readonly intensityFlopsPerByte: number;
  /** flops / unfusedBytes. */
  readonly unfusedIntensityFlopsPerByte: number;
}

export interface GraphCount {
  readonly graph: string;
  readonly nodes: readonly NodeCost[];
  readonly totals: CountTotals;
}

/** Graph inputs that hold cached KV (prefill prefix or decode cache). */
export function isKvInputName(name: string): boolean {
  return name.startsWith('past.') || name.startsWith('kv.');
}

/**
 * Counts FLOPs and bytes per node of a graph built by this package (or its ModelProto bytes),
 * at the concrete sizes in `opts.dims`.
 */
export function countGraph(model: Graph | Uint8Array, opts: CountOptions): GraphCount {
  const graph = model instanceof Uint8Array ? decodeModel(model) : model;
  const values = new Map<string, InputSource>();
  for (const init of graph.initializers) {
    const info: TensorInfo = {
      dtype: init.dtype,
      shape: init.dims,
      ...(init.dtype === 'int64' && init.role === 'const' ? { ints: readInts(init.data) } : {}),
    };
    values.set(init.name, { info, role: init.role });
  }
  const dims = withCacheDims(graph, opts.dims);
  for (const input of graph.inputs) {
    const shape = input.shape.map((d) => {
      if (typeof d === 'number') return d;
      const v = dims[d];
      if (v === undefined) throw new Error(`countGraph ${graph.name}: input ${input.name} needs dims.${d}`);
      return v;
    });
    values.set(input.name, {
      info: { dtype: input.dtype, shape },
      role: isKvInputName(input.name) ? 'kv' : 'activation',
    });
  }
  const dynamicSize = moeDynamicSizes(graph, opts);
  const nodes: NodeCost[] = [];
  const weightRead = new Map<string, number>();
  for (const node of graph.nodes) {
    const ins = node.inputs.map((name) => (name === '' ? undefined : values.get(name)));
    const outs = inferNode(
      node,
      ins.map((s) => s?.info),
      dynamicSize,
    );
    const { cost, inputReads } = nodeCost(node, ins, outs);
    nodes.push(cost);
    node.inputs.forEach((name, k) => {
      if (ins[k]?.role === 'weight') weightRead.set(name, Math.max(weightRead.get(name) ?? 0, inputReads[k] ?? 0));
    });
    node.outputs.forEach((name, k) => {
      const info = outs[k];
      if (info !== undefined) values.set(name, { info, role: 'activation' });
    });
  }
  let matmulFlops = 0;
  let flops = 0;
  let bytesRead = 0;
  let bytesWritten = 0;
  let tableBytes = 0;
  for (const n of nodes) {
    flops += n.flops;
    matmulFlops += n.matmulFlops;
    bytesRead += n.bytesRead;
    bytesWritten += n.bytesWritten;
    tableBytes += n.tableBytesRead;
  }
  const weightBytes = [...weightRead.values()].reduce((a, b) => a + b, 0);
  const kvReadBytes = graph.inputs
    .filter((i) => isKvInputName(i.name))
    .reduce((a, i) => a + bytesOf(values, i.name), 0);
  const kvWriteBytes = graph.outputs
    .filter((o) => o.name.startsWith('new_kv.'))
    .reduce((a, o) => a + bytesOf(values, o.name), 0);
  const idealBytes = weightBytes + kvReadBytes + kvWriteBytes;
  const unfusedBytes = bytesRead + bytesWritten;
  return {
    graph: graph.name,
    nodes,
    totals: {
      flops,
      matmulFlops,
      elementwiseFlops: flops - matmulFlops,
      bytesRead,
      bytesWritten,
      unfusedBytes,
      weightBytes,
      tableBytes,
      kvReadBytes,
      kvWriteBytes,
      idealBytes,
      intensityFlopsPerByte: idealBytes > 0 ? flops / idealBytes : Number.POSITIVE_INFINITY,
      unfusedIntensityFlopsPerByte: unfusedBytes > 0 ? flops / unfusedBytes : Number.POSITIVE_INFINITY,
    },
  };
}

/**
 * `dims` plus the dims a cache's layout derives from its length (cache-inputs.ts): for each
 * `contextTokens.b<s>` = L and for `numPastTokens` = P given, the K tile and V block dims at that
 * length, unless given too — callers state lengths only. The K tile size T is read from the
 * graph (the literal last dim of its tiled K inputs).
 */
function withCacheDims(graph: Graph, dims: Readonly<Record<string, number>>): Readonly<Record<string, number>> {
  const tiled = graph.inputs.find(
    (i) => typeof i.shape[0] === 'string' && /^(kTiles\.b\d+|numPastTiles)$/.test(i.shape[0]),
  );
  const T = typeof tiled?.shape[2] === 'number' ? tiled.shape[2] : DEFAULT_K_TILE_TOKENS;
  const derived: Record<string, number> = {};
  for (const [name, n] of Object.entries(dims)) {
    const seq = /^contextTokens\.b(\d+)$/.exec(name)?.[1];
    if (seq !== undefined) Object.assign(derived, decodeCacheDims(Number(seq), n, T));
    if (name === 'numPastTokens') Object.assign(derived, prefillCacheDims(n, T));
  }
  return { ...derived, ...dims };
}

function bytesOf(values: Map<string, InputSource>, name: string): number {
  const v = values.get(name);
  return v ? numElements(v.info.shape) * DTYPE_BYTES[v.info.dtype] : 0;
}

function readInts(data: Uint8Array): number[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return Array.from({ length: data.byteLength / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
}

function moeDynamicSizes(graph: Graph, opts: CountOptions): (value: string, axis: number) => number | undefined {
  const meta = graph.metadata[META_MOE_DYNAMIC];
  if (meta === undefined) return () => undefined;
  const entries = JSON.parse(meta) as MoeDynamicDim[];
  const byValue = new Map(entries.map((e) => [`${e.value}|${e.axis}`, e]));
  const numTokens = opts.dims.numNewTokens ?? inferBatch(graph);
  const config = JSON.parse(graph.metadata[META_CONFIG] ?? '{}') as { moe?: { numExperts: number; topK: number } };
  const expected = config.moe ? (numTokens * config.moe.topK) / config.moe.numExperts : 0;
  return (value, axis) => {
    const e = byValue.get(`${value}|${axis}`);
    if (e === undefined) return undefined;
    const given = opts.moeTokensPerExpert?.[e.layer]?.[e.expert];
    return given ?? expected;
  };
}

/** Tokens in a decode graph = its fixed batch (the `tokens` input's only dim). */
function inferBatch(graph: Graph): number {
  const t = graph.inputs.find((i) => i.name === 'tokens')?.shape[0];
  return typeof t === 'number' ? t : 0;
}

/** Totals of several graph runs (chunks of one prefill): sums, with the intensities recomputed. */
export function sumTotals(parts: readonly CountTotals[]): CountTotals {
  const sum = (k: keyof CountTotals) => parts.reduce((a, p) => a + p[k], 0);
  const flops = sum('flops');
  const idealBytes = sum('idealBytes');
  const unfusedBytes = sum('unfusedBytes');
  return {
    flops,
    matmulFlops: sum('matmulFlops'),
    elementwiseFlops: sum('elementwiseFlops'),
    bytesRead: sum('bytesRead'),
    bytesWritten: sum('bytesWritten'),
    unfusedBytes,
    weightBytes: sum('weightBytes'),
    tableBytes: sum('tableBytes'),
    kvReadBytes: sum('kvReadBytes'),
    kvWriteBytes: sum('kvWriteBytes'),
    idealBytes,
    intensityFlopsPerByte: idealBytes > 0 ? flops / idealBytes : Number.POSITIVE_INFINITY,
    unfusedIntensityFlopsPerByte: unfusedBytes > 0 ? flops / unfusedBytes : Number.POSITIVE_INFINITY,
  };
}
