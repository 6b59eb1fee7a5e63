import { DTYPE_BYTES, type DType } from './dtype.js';
import type {
  AttrValue,
  Dim,
  Graph,
  GraphNode,
  Initializer,
  InitializerRole,
  OpsetImport,
  ValueInfo,
} from './graph.js';

/** ai.onnx opset the builders target; onnxruntime-node 1.30 implements it on CPU. */
export const ONNX_OPSET = 23;
/** onnxruntime contrib operator set (com.microsoft) version. */
export const MS_OPSET = 1;

export interface OpOptions {
  /** Node name within the current scope; defaults to `<opType><n>`. */
  readonly name?: string;
  readonly attrs?: Readonly<Record<string, AttrValue>>;
  readonly domain?: string;
  /** Number of outputs when the names are generated (default 1). */
  readonly numOutputs?: number;
}

type TypedArrayLike = Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array | Uint16Array;

/**
 * Accumulates one ONNX graph. Names are scoped with `scope()` so node names read like
 * `l0.attn.q`; every value produced by `op()` is named after its node, so a profile or a
 * count line leads straight back to the builder code that made it. Small integer and
 * float constants are deduplicated by content.
 */
export class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly inits = new Map<string, Initializer>();
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly values = new Set<string>();
  private readonly constCache = new Map<string, string>();
  private readonly scopes: string[] = [];
  private readonly opCounters = new Map<string, number>();
  private readonly metadata: Record<string, string> = {};

  constructor(readonly name: string) {}

  /** Runs `fn` with `prefix` appended to the name scope. */
  scope<T>(prefix: string, fn: () => T): T {
    this.scopes.push(prefix);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /** True when a value (input, initializer or node output) of this name exists. */
  has(name: string): boolean {
    return this.values.has(name);
  }

  input(name: string, dtype: DType, shape: readonly Dim[]): string {
    this.claim(name);
    this.inputs.push({ name, dtype, shape });
    return name;
  }

  /**
   * Exposes `value` as graph output `name` exactly (unscoped), through an Identity node of that
   * name; onnxruntime folds the Identity away and the counter charges it nothing.
   */
  outputAs(value: string, name: string, dtype: DType, shape: readonly Dim[]): void {
    this.claim(name);
    this.nodes.push({ name, opType: 'Identity', domain: '', inputs: [value], outputs: [name], attrs: {} });
    this.outputs.push({ name, dtype, shape });
  }

  /** Marks an existing value as a graph output. */
  output(name: string, dtype: DType, shape: readonly Dim[]): void {
    if (!this.values.has(name)) throw new Error(`graph ${this.name}: output ${name} is not a value of the graph`);
    this.outputs.push({ name, dtype, shape });
  }

  /** Adds an initializer. `data` is kept by reference (not copied): do not mutate it afterwards. */
  initializer(
    name: string,
    dtype: DType,
    dims: readonly number[],
    data: TypedArrayLike,
    role: InitializerRole = 'weight',
  ): string {
    const numElements = dims.reduce((a, b) => a * b, 1);
    if (data.length !== numElements) {
      throw new Error(`initializer ${name}: ${data.length} elements for dims [${dims.join(', ')}]`);
    }
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (bytes.byteLength !== numElements * DTYPE_BYTES[dtype]) {
      throw new Error(`initializer ${name}: ${bytes.byteLength} bytes do not hold ${numElements} × ${dtype}`);
    }
    this.claim(name);
    this.inits.set(name, { name, dtype, dims: [...dims], data: bytes, role });
    return name;
  }

  /** A deduplicated int64 constant (shapes, axes, indices); 1-D by default. */
  ints(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.cachedConst('int64', dims, values, () => BigInt64Array.from(values.map((v) => BigInt(v))));
  }

  /** A deduplicated float32 constant (scalars by default). */
  floats(values: readonly number[], dims: readonly number[] = []): string {
    return this.cachedConst('float32', dims, values, () => Float32Array.from(values));
  }

  /** A deduplicated uint8 constant (scalars by default). */
  bytes(values: readonly number[], dims: readonly number[] = []): string {
    return this.cachedConst('uint8', dims, values, () => Uint8Array.from(values));
  }

  /** Adds a node; returns its output names. */
  op(opType: string, inputs: readonly string[], opts: OpOptions = {}): string[] {
    for (const i of inputs) {
      if (i !== '' && !this.values.has(i)) throw new Error(`graph ${this.name}: ${opType} reads unknown value ${i}`);
    }
    const name = this.scopedName(opts.name ?? this.autoName(opType));
    const numOutputs = opts.numOutputs ?? 1;
    const outputs = numOutputs === 1 ? [name] : Array.from({ length: numOutputs }, (_, k) => `${name}:${k}`);
    for (const o of outputs) this.claim(o);
    this.nodes.push({ name, opType, domain: opts.domain ?? '', inputs: [...inputs], outputs, attrs: opts.attrs ?? {} });
    return outputs;
  }

  /** Adds a single-output node; returns the output name. */
  op1(opType: string, inputs: readonly string[], opts: OpOptions = {}): string {
    const out = this.op(opType, inputs, { ...opts, numOutputs: 1 })[0];
    if (out === undefined) throw new Error('unreachable: op returned no output');
    return out;
  }

  setMetadata(key: string, value: string): void {
    this.metadata[key] = value;
  }

  build(): Graph {
    const opsets: OpsetImport[] = [{ domain: '', version: ONNX_OPSET }];
    if (this.nodes.some((n) => n.domain === 'com.microsoft'))
      opsets.push({ domain: 'com.microsoft', version: MS_OPSET });
    return {
      name: this.name,
      inputs: [...this.inputs],
      outputs: [...this.outputs],
      initializers: [...this.inits.values()],
      nodes: [...this.nodes],
      opsets,
      metadata: { ...this.metadata },
    };
  }

  private cachedConst(
    dtype: DType,
    dims: readonly number[],
    values: readonly number[],
    make: () => TypedArrayLike,
  ): string {
    const key = `${dtype}|${dims.join('x')}|${values.join(',')}`;
    const hit = this.constCache.get(key);
    if (hit !== undefined) return hit;
    const name = `const.${this.constCache.size}`;
    this.initializer(name, dtype, dims, make(), 'const');
    this.constCache.set(key, name);
    return name;
  }

  private autoName(opType: string): string {
    const scope = this.scopes.join('.');
    const key = `${scope}|${opType}`;
    const n = this.opCounters.get(key) ?? 0;
    this.opCounters.set(key, n + 1);
    return `${opType.charAt(0).toLowerCase()}${opType.slice(1)}${n}`;
  }

  private scopedName(local: string): string {
    return this.scopes.length === 0 ? local : `${this.scopes.join('.')}.${local}`;
  }

  private claim(name: string): void {
    if (this.values.has(name)) throw new Error(`graph ${this.name}: value name ${name} is used twice`);
    this.values.add(name);
  }
}
