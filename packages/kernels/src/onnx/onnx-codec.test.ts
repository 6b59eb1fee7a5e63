import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { DTYPE_CODE } from './dtype.js';
import { attr } from './graph.js';
import { GraphBuilder } from './graph-builder.js';
import { decodeModel, encodeModel } from './onnx-codec.js';

function smallGraph() {
  const b = new GraphBuilder('small');
  const x = b.input('x', 'float32', ['rows', 2]);
  // W = [[1, 2, 3], [4, 5, 6]]
  const w = b.initializer('w', 'float32', [2, 3], Float32Array.from([1, 2, 3, 4, 5, 6]));
  const y = b.scope('blk', () => b.op1('MatMul', [x, w], { name: 'mm' }));
  const s = b.op1('Softmax', [y], { attrs: { axis: attr.int(-1) } });
  b.outputAs(b.op1('Mul', [s, b.floats([2])]), 'out', 'float32', ['rows', 3]);
  b.setMetadata('k', 'v');
  return b.build();
}

describe('ONNX encoding', () => {
  it('round-trips through bytes', () => {
    const g = smallGraph();
    expect(decodeModel(encodeModel(g))).toEqual(g);
  });

  it('round-trips a zero-element initializer (shape [0, 3]: no bytes) instead of calling it a missing raw_data', () => {
    const g = smallGraph();
    const empty = { name: 'empty', dtype: 'float32', dims: [0, 3], data: new Uint8Array(0), role: 'weight' } as const;
    const withEmpty = { ...g, initializers: [...g.initializers, empty] };
    expect(decodeModel(encodeModel(withEmpty)).initializers.at(-1)).toEqual(empty);
  });

  it('decodes, through protobufjs, to the same ModelProto as protobufjs encoding the whole message itself', () => {
    // The reference: the message protobufjs builds and encodes in one piece (raw_data included), read back by protobufjs.
    // Its nodes, inputs and outputs are copied from encodeModel's own output (they are checked by the round trip
    // above): what this compares independently is the hand-written part, the model fields, graph and initializers.
    const root = protobuf.parse(readFileSync(new URL('../../proto/onnx.proto', import.meta.url), 'utf8')).root;
    const type = root.lookupType('onnx.ModelProto');
    const g = smallGraph();
    const reference = type.encode(
      type.fromObject({
        irVersion: 11,
        producerName: '@oicf/kernels',
        opsetImport: g.opsets,
        metadataProps: [{ key: 'k', value: 'v' }],
        graph: {
          name: 'small',
          node: decodeAsObject(type, encodeModel(g)).graph.node,
          initializer: g.initializers.map((t) => ({
            name: t.name,
            dims: [...t.dims],
            dataType: DTYPE_CODE[t.dtype],
            rawData: t.data,
            docString: `oicf-role:${t.role}`,
          })),
          input: decodeAsObject(type, encodeModel(g)).graph.input,
          output: decodeAsObject(type, encodeModel(g)).graph.output,
        },
      }),
    );
    expect(decodeAsObject(type, encodeModel(g))).toEqual(decodeAsObject(type, new Uint8Array(reference.finish())));
    // Two initializers (w, and the constant [2]), each with its raw bytes: 6 float32 = 24 bytes and 1 float32 = 4.
    expect(
      decodeAsObject(type, encodeModel(g)).graph.initializer.map((t: { rawData: Uint8Array }) => t.rawData.length),
    ).toEqual([24, 4]);
  });

  it('writes raw_data lengths across the varint byte boundaries (127/128, 16383/16384 and 2^21 bytes)', () => {
    // A varint holds 7 bits a byte: 127 is one byte, 128 two (0x80 0x01), 16384 three, 2^21 four.
    for (const n of [1, 127, 128, 16_383, 16_384, 2 ** 21]) {
      const b = new GraphBuilder(`len${n}`);
      const x = b.input('x', 'uint8', [n]);
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);
      const w = b.initializer('w', 'uint8', [n], data);
      b.outputAs(b.op1('Add', [x, w]), 'y', 'uint8', [n]);
      const g = b.build();
      const back = decodeModel(encodeModel(g));
      // Byte-equal data (Buffer.equals: an element-wise toEqual of 2 MiB is slow), then the rest of the graph.
      expect(Buffer.from(back.initializers[0]?.data ?? []).equals(Buffer.from(data))).toBe(true);
      const withoutData = (x: typeof g) => ({ ...x, initializers: x.initializers.map((t) => ({ ...t, data: 0 })) });
      expect(withoutData(back)).toEqual(withoutData(g));
    }
  });

  it('produces a model onnxruntime runs with the right numbers', async () => {
    const session = await ort.InferenceSession.create(encodeModel(smallGraph()));
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 0, 0, 1]), [2, 2]) });
    // Row 1: x·W = [1, 2, 3]; row 2: [4, 5, 6]. softmax of (a, a+1, a+2) = (1, e, e²)/(1+e+e²), ×2.
    const z = 1 + Math.E + Math.E ** 2;
    const expected = [2 / z, (2 * Math.E) / z, (2 * Math.E ** 2) / z];
    const data = Array.from(out.out?.data as Float32Array);
    expect(data.length).toBe(6);
    data.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i % 3] ?? 0, 6);
    });
    expect(session.inputNames).toEqual(['x']);
    await session.release();
  });
});

/** ModelProto bytes as a plain object, decoded by protobufjs (bytes as Uint8Array, 64-bit ints as numbers). */
// biome-ignore lint/suspicious/noExplicitAny: a decoded protobuf message is untyped here.
function decodeAsObject(type: protobuf.Type, bytes: Uint8Array): any {
  return type.toObject(type.decode(bytes), { longs: Number, bytes: Uint8Array, defaults: false });
}

describe('GraphBuilder', () => {
  it('scopes node names and dedupes constants', () => {
    const g = smallGraph();
    expect(g.nodes.map((n) => n.name)).toEqual(['blk.mm', 'softmax0', 'mul0', 'out']);
    const b = new GraphBuilder('c');
    expect(b.ints([1, 2])).toBe(b.ints([1, 2]));
    expect(b.ints([1, 2])).not.toBe(b.ints([1, 2], [2, 1]));
  });

  it('rejects reused names, unknown inputs and mis-sized data', () => {
    const b = new GraphBuilder('bad');
    b.input('x', 'float32', [1]);
    expect(() => b.input('x', 'float32', [1])).toThrow(/value name x is used twice/);
    expect(() => b.op1('Relu', ['y'])).toThrow(/Relu reads unknown value y/);
    expect(() => b.initializer('w', 'float32', [2, 2], new Float32Array(3))).toThrow(/3 elements for dims \[2, 2\]/);
    expect(() => b.output('nope', 'float32', [1])).toThrow(/output nope is not a value/);
  });
});
