import type { DType } from './dtype.js';

/**
 * The in-memory graph the builders produce. It is both what `encodeModel` turns into
 * ModelProto bytes and what `countGraph` walks, so the counted graph is exactly the
 * executed one. `decodeModel` gives the same structure back from bytes.
 */

/** A dimension: a size, or a symbolic name (e.g. "numTokens") fixed only at run time. */
export type Dim = number | string;

export interface ValueInfo {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly Dim[];
}

/**
 * What an initializer is for, so byte counts can separate weights from bookkeeping:
 * - `weight`: model parameters (counted in weight bytes; Gather reads only the rows it takes)
 * - `table`: derived lookup tables such as RoPE cos/sin (read like weights but not parameters)
 * - `const`: small operator arguments (shapes, axes, epsilons); never counted as traffic
 */
export type InitializerRole = 'weight' | 'table' | 'const';

export interface Initializer {
  readonly name: string;
  readonly dtype: DType;
  readonly dims: readonly number[];
  /** Row-major little-endian element bytes (ONNX raw_data). */
  readonly data: Uint8Array;
  readonly role: InitializerRole;
}

export type AttrValue =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] };

export interface GraphNode {
  /** Unique within the graph; dotted scope first (`l0.attn.q`), used in profiles and counts. */
  readonly name: string;
  readonly opType: string;
  /** "" for ai.onnx, "com.microsoft" for onnxruntime contrib ops. */
  readonly domain: string;
  /** Value names; "" marks an omitted optional input. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Readonly<Record<string, AttrValue>>;
}

export interface OpsetImport {
  readonly domain: string;
  readonly version: number;
}

export interface Graph {
  readonly name: string;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly initializers: readonly Initializer[];
  /** Topologically sorted. */
  readonly nodes: readonly GraphNode[];
  readonly opsets: readonly OpsetImport[];
  /** Free-form key/value metadata, written as ModelProto.metadata_props. */
  readonly metadata: Readonly<Record<string, string>>;
}

export const attr = {
  int: (value: number): AttrValue => ({ kind: 'int', value }),
  float: (value: number): AttrValue => ({ kind: 'float', value }),
  string: (value: string): AttrValue => ({ kind: 'string', value }),
  ints: (value: readonly number[]): AttrValue => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): AttrValue => ({ kind: 'floats', value }),
};

/** An integer attribute's value, or `fallback` when absent; throws if present with another kind. */
export function intAttr(node: GraphNode, key: string, fallback: number): number {
  const a = node.attrs[key];
  if (a === undefined) return fallback;
  if (a.kind !== 'int') throw new Error(`node ${node.name}: attribute ${key} should be an int, got ${a.kind}`);
  return a.value;
}

/** An ints attribute's value, or undefined when absent. */
export function intsAttr(node: GraphNode, key: string): readonly number[] | undefined {
  const a = node.attrs[key];
  if (a === undefined) return undefined;
  if (a.kind !== 'ints') throw new Error(`node ${node.name}: attribute ${key} should be ints, got ${a.kind}`);
  return a.value;
}

/**
 * The same graph with weight and table bytes dropped (`const` initializers kept), for holding
 * onto a graph's structure — e.g. to count it — without a second copy of the weights.
 */
export function withoutWeightData(graph: Graph): Graph {
  return {
    ...graph,
    initializers: graph.initializers.map((t) => (t.role === 'const' ? t : { ...t, data: new Uint8Array(0) })),
  };
}
