import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
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
