import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { DTYPE_CODE, dtypeFromCode } from './dtype.js';
import type { AttrValue, Dim, Graph, GraphNode, Initializer, InitializerRole, ValueInfo } from './graph.js';

/** ONNX IR version written (IR 10 pairs with opset 21). */
export const IR_VERSION = 11;
const PRODUCER = '@oicf/kernels';
/** Initializer roles survive a round trip through bytes in TensorProto.doc_string. */
const ROLE_PREFIX = 'oicf-role:';

// AttributeProto.AttributeType codes (proto/onnx.proto).
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_FLOATS = 6;
const ATTR_INTS = 7;

let protoRoot: protobuf.Root | undefined;

/** The ONNX message types, parsed once from proto/onnx.proto. */
function onnxType(name: 'ModelProto' | 'GraphProto' | 'TensorProto'): protobuf.Type {
  if (protoRoot === undefined) {
    const source = readFileSync(new URL('../../proto/onnx.proto', import.meta.url), 'utf8');
    protoRoot = protobuf.parse(source).root;
  }
  return protoRoot.lookupType(`onnx.${name}`);
}

// Wire tags (field number << 3 | 2, length-delimited) of the fields written by hand below.
const TAG_MODEL_GRAPH = (7 << 3) | 2;
const TAG_GRAPH_INITIALIZER = (5 << 3) | 2;
const TAG_TENSOR_RAW_DATA = (9 << 3) | 2;
/** TensorProto.DataLocation.EXTERNAL. */
const DATA_LOCATION_EXTERNAL = 1;

/** Where one initializer's bytes lie in an external-data file. */
export interface ExternalPlace {
  /** Byte offset in the file (onnxruntime maps an offset that is a multiple of the page size). */
  readonly offset: number;
  readonly length: number;
}

/**
 * Initializers whose bytes live in one external-data file instead of the ModelProto (ONNX external data: the
 * TensorProto carries `location`, `offset` and `length` and data_location EXTERNAL). `location` is the file name
 * relative to the folder onnxruntime resolves it against (the model's folder, or the session config entry
 * `session.model_external_initializers_file_folder_path` for a model created from bytes).
 */
export interface ExternalData {
  readonly location: string;
  /** The place of an initializer written to the file, or undefined to embed it as raw_data. */
  place(t: Initializer): ExternalPlace | undefined;
}

/**
 * Encodes a graph as ONNX ModelProto bytes, ready for `InferenceSession.create`.
 *
 * protobufjs encodes everything but the initializers' raw_data; the weight bytes (tens of MB per graph, the same for
 * every batch size's graph) are copied once into the output by hand. protobufjs's writer moved them at ~100 MB/s
 * (0.4–0.7 s of CPU per 51 MB tiny-gqa graph, 32 graphs at a decode worker's start). Protobuf parsers accept fields
 * in any order, so the model's graph and each tensor's raw_data come after the fields protobufjs wrote.
 */
export function encodeModel(graph: Graph, external?: ExternalData): Uint8Array {
  const modelType = onnxType('ModelProto');
  const graphType = onnxType('GraphProto');
  const tensorType = onnxType('TensorProto');
  const head = modelType
    .encode(
      modelType.fromObject({
        irVersion: IR_VERSION,
        producerName: PRODUCER,
        opsetImport: graph.opsets.map((o) => ({ domain: o.domain, version: o.version })),
        metadataProps: Object.entries(graph.metadata).map(([key, value]) => ({ key, value })),
      }),
    )
    .finish();
  const graphHead = graphType
    .encode(
      graphType.fromObject({
        name: graph.name,
        node: graph.nodes.map(encodeNode),
        input: graph.inputs.map(encodeValueInfo),
        output: graph.outputs.map(encodeValueInfo),
      }),
    )
    .finish();
  const tensors = graph.initializers.map((t) => {
    const place = external?.place(t);
    if (place !== undefined && place.length !== t.data.length) {
      throw new Error(`initializer ${t.name}: ${t.data.length} bytes placed as ${place.length} external bytes`);
    }
    const header = tensorType
      .encode(
        tensorType.fromObject({
          name: t.name,
          dims: [...t.dims],
          dataType: DTYPE_CODE[t.dtype],
          docString: `${ROLE_PREFIX}${t.role}`,
          ...(place !== undefined
            ? {
                externalData: [
                  { key: 'location', value: external?.location },
                  { key: 'offset', value: String(place.offset) },
                  { key: 'length', value: String(place.length) },
                ],
                dataLocation: DATA_LOCATION_EXTERNAL,
              }
            : {}),
        }),
      )
      .finish();
    // An external tensor is its header alone; an embedded one is followed by its raw_data, written below.
    const data = place === undefined ? t.data : undefined;
    const length = header.length + (data === undefined ? 0 : 1 + varintLength(data.length) + data.length);
    return { header, data, length };
  });
  let graphLength = graphHead.length;
  for (const t of tensors) graphLength += 1 + varintLength(t.length) + t.length;
  const out = new Uint8Array(head.length + 1 + varintLength(graphLength) + graphLength);
  out.set(head, 0);
  let at = head.length;
  out[at++] = TAG_MODEL_GRAPH;
  at = writeVarint(out, at, graphLength);
  out.set(graphHead, at);
  at += graphHead.length;
  for (const t of tensors) {
    out[at++] = TAG_GRAPH_INITIALIZER;
    at = writeVarint(out, at, t.length);
    out.set(t.header, at);
    at += t.header.length;
    if (t.data === undefined) continue;
    out[at++] = TAG_TENSOR_RAW_DATA;
    at = writeVarint(out, at, t.data.length);
    out.set(t.data, at);
    at += t.data.length;
  }
  return out;
}

/** Bytes of `n` (a non-negative integer below 2^53) as a protobuf varint. */
function varintLength(n: number): number {
  let bytes = 1;
  for (let v = n; v >= 0x80; v = Math.floor(v / 128)) bytes++;
  return bytes;
}

function writeVarint(out: Uint8Array, at: number, n: number): number {
  let v = n;
  let i = at;
  while (v >= 0x80) {
    out[i++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[i++] = v;
  return i;
}

function encodeNode(n: GraphNode): object {
  return {
    name: n.name,
    opType: n.opType,
    domain: n.domain,
    input: [...n.inputs],
    output: [...n.outputs],
    attribute: Object.entries(n.attrs).map(([name, a]) => encodeAttr(name, a)),
  };
}

function encodeAttr(name: string, a: AttrValue): object {
  switch (a.kind) {
    case 'int':
      return { name, type: ATTR_INT, i: a.value };
    case 'float':
      return { name, type: ATTR_FLOAT, f: a.value };
    case 'string':
      return { name, type: ATTR_STRING, s: new TextEncoder().encode(a.value) };
    case 'ints':
      return { name, type: ATTR_INTS, ints: [...a.value] };
    case 'floats':
      return { name, type: ATTR_FLOATS, floats: [...a.value] };
  }
}

function encodeValueInfo(v: ValueInfo): object {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: DTYPE_CODE[v.dtype],
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

interface DecodedAttr {
  name: string;
  type?: number;
  i?: number;
  f?: number;
  s?: Uint8Array;
  ints?: number[];
  floats?: number[];
}
interface DecodedNode {
  name?: string;
  opType: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: DecodedAttr[];
}
interface DecodedTensor {
  name: string;
  dims?: number[];
  dataType: number;
  rawData?: Uint8Array;
  docString?: string;
}
interface DecodedValueInfo {
  name: string;
  type?: { tensorType?: { elemType: number; shape?: { dim?: { dimValue?: number; dimParam?: string }[] } } };
}
interface DecodedModel {
  opsetImport?: { domain?: string; version: number }[];
  metadataProps?: { key: string; value: string }[];
  graph?: {
    name?: string;
    node?: DecodedNode[];
    initializer?: DecodedTensor[];
    input?: DecodedValueInfo[];
    output?: DecodedValueInfo[];
  };
}

/**
 * Decodes ModelProto bytes written by `encodeModel` back into a graph. Initializers must
 * carry raw_data (the builder always writes it); a role missing from doc_string reads as
 * `weight` for float/int8 tensors and `const` otherwise.
 */
export function decodeModel(bytes: Uint8Array): Graph {
  const type = onnxType('ModelProto');
  const m = type.toObject(type.decode(bytes), { longs: Number, bytes: Uint8Array, defaults: false }) as DecodedModel;
  const g = m.graph;
  if (g === undefined) throw new Error('ModelProto has no graph');
  const initializers: Initializer[] = (g.initializer ?? []).map((t) => {
    // An empty bytes field is not on the wire (proto3 default), so a zero-element tensor reads back without raw_data.
    const elements = (t.dims ?? []).reduce((a, d) => a * d, 1);
    if (t.rawData === undefined && elements !== 0)
      throw new Error(`initializer ${t.name} has no raw_data; only raw_data is supported`);
    const dtype = dtypeFromCode(t.dataType);
    const roleText = t.docString?.startsWith(ROLE_PREFIX) ? t.docString.slice(ROLE_PREFIX.length) : undefined;
    const role: InitializerRole =
      roleText === 'weight' || roleText === 'table' || roleText === 'const'
        ? roleText
        : dtype === 'float32' || dtype === 'float16' || dtype === 'int8'
          ? 'weight'
          : 'const';
    return {
      name: t.name,
      dtype,
      dims: t.dims ?? [],
      data: t.rawData === undefined ? new Uint8Array(0) : new Uint8Array(t.rawData),
      role,
    };
  });
  return {
    name: g.name ?? '',
    inputs: (g.input ?? []).map(decodeValueInfo),
    outputs: (g.output ?? []).map(decodeValueInfo),
    initializers,
    nodes: (g.node ?? []).map((n, k) => ({
      name: n.name ?? `node${k}`,
      opType: n.opType,
      domain: n.domain ?? '',
      inputs: n.input ?? [],
      outputs: n.output ?? [],
      attrs: Object.fromEntries((n.attribute ?? []).map((a) => [a.name, decodeAttr(a)])),
    })),
    opsets: (m.opsetImport ?? []).map((o) => ({ domain: o.domain ?? '', version: o.version })),
    metadata: Object.fromEntries((m.metadataProps ?? []).map((p) => [p.key, p.value])),
  };
}

function decodeAttr(a: DecodedAttr): AttrValue {
  switch (a.type) {
    case ATTR_INT:
      return { kind: 'int', value: a.i ?? 0 };
    case ATTR_FLOAT:
      return { kind: 'float', value: a.f ?? 0 };
    case ATTR_STRING:
      return { kind: 'string', value: new TextDecoder().decode(a.s ?? new Uint8Array()) };
    case ATTR_INTS:
      return { kind: 'ints', value: a.ints ?? [] };
    case ATTR_FLOATS:
      return { kind: 'floats', value: a.floats ?? [] };
    default:
      throw new Error(`attribute ${a.name}: type ${a.type} is not one @oicf/kernels handles`);
  }
}

function decodeValueInfo(v: DecodedValueInfo): ValueInfo {
  const t = v.type?.tensorType;
  if (t === undefined) throw new Error(`value ${v.name} is not a tensor`);
  const shape: Dim[] = (t.shape?.dim ?? []).map((d) => d.dimParam ?? d.dimValue ?? 0);
  return { name: v.name, dtype: dtypeFromCode(t.elemType), shape };
}
