import { attr } from '../onnx/graph.js';
import { concatColumns, linear, type ModelContext } from './linear.js';

/** RMSNorm over the last axis with a per-model gain `name` (ONNX RMSNormalization, opset 23). */
export function rmsNorm(ctx: ModelContext, x: string, name: string, size: number): string {
  const { b, w, config } = ctx;
  const gain = b.initializer(`${name}.weight`, 'float32', [size], w.normGain(name, size));
  return b.op1('RMSNormalization', [x, gain], {
    name: name.split('.').pop() ?? name,
    attrs: { axis: attr.int(-1), epsilon: attr.float(config.rmsNormEpsilon) },
  });
}

/**
 * The RoPE cos/sin tables for rotary width `rotaryDim`: [maxPositions, rotaryDim/2] with
 * angle(p, i) = p · theta^(−2i/rotaryDim) (rotate-half convention, as Llama). Shared by
 * every layer of a graph; role `table` (RotaryEmbedding reads only the rows it needs).
 */
export function ropeTables(ctx: ModelContext, rotaryDim: number): { cos: string; sin: string } {
  const { b, config } = ctx;
  const half = rotaryDim / 2;
  const cosName = `rope.cos.${rotaryDim}`;
  const sinName = `rope.sin.${rotaryDim}`;
  const tables = ctx.w.derived(`rope|${rotaryDim}|${config.maxPositions}|${config.ropeTheta}`, () => {
    const cos = new Float32Array(config.maxPositions * half);
    const sin = new Float32Array(config.maxPositions * half);
    for (let i = 0; i < half; i++) {
      const invFreq = config.ropeTheta ** (-(2 * i) / rotaryDim);
      for (let p = 0; p < config.maxPositions; p++) {
        cos[p * half + i] = Math.cos(p * invFreq);
        sin[p * half + i] = Math.sin(p * invFreq);
      }
    }
    return { cos, sin };
  });
  if (!b.has(cosName)) {
    b.initializer(cosName, 'float32', [config.maxPositions, half], tables.cos, 'table');
    b.initializer(sinName, 'float32', [config.maxPositions, half], tables.sin, 'table');
  }
  return { cos: cosName, sin: sinName };
}

/**
 * Applies RoPE to x [batch, seq, numHeads·headDim] at `positionIds` [batch, seq]; with
 * `rotaryDim` < headDim only the first rotaryDim of each head rotates (MLA's rope part).
 */
export function rope(
  ctx: ModelContext,
  x: string,
  positionIds: string,
  dims: { numHeads: number; headDim: number; rotaryDim?: number },
  name: string,
): string {
  const rotaryDim = dims.rotaryDim ?? dims.headDim;
  const { cos, sin } = ropeTables(ctx, rotaryDim);
  const attrs: Record<string, ReturnType<typeof attr.int>> = { num_heads: attr.int(dims.numHeads) };
  if (rotaryDim !== dims.headDim) attrs.rotary_embedding_dim = attr.int(rotaryDim);
  return ctx.b.op1('RotaryEmbedding', [x, cos, sin, positionIds], { name, attrs });
}

/**
 * SwiGLU FFN on x [rows, hidden]: down(SiLU(x·W_gate) ⊙ (x·W_up)). Gate and up run as one
 * GEMM over their side-by-side columns ([hidden, 2·intermediate]).
 */
export function swiglu(ctx: ModelContext, x: string, prefix: string, hidden: number, intermediate: number): string {
  const { b, w } = ctx;
  const gateUp = linear(ctx, x, `${prefix}.w_gate_up`, hidden, 2 * intermediate, () =>
    concatColumns(
      [w.matrix(`${prefix}.w_gate`, hidden, intermediate), w.matrix(`${prefix}.w_up`, hidden, intermediate)],
      hidden,
    ),
  );
  const [gate, up] = b.op('Split', [gateUp, b.ints([intermediate, intermediate])], {
    name: 'split_gate_up',
    numOutputs: 2,
    attrs: { axis: attr.int(-1) },
  });
  if (gate === undefined || up === undefined) throw new Error('unreachable: Split gave no outputs');
  const silu = b.op1('Mul', [gate, b.op1('Sigmoid', [gate], { name: 'sigmoid' })], { name: 'silu' });
  const act = b.op1('Mul', [silu, up], { name: 'gated' });
  return linear(ctx, act, `${prefix}.w_down`, intermediate, hidden);
}
