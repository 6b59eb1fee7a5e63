import { attr } from '../onnx/graph.js';
import { swiglu } from './blocks.js';
import { linear, type ModelContext } from './linear.js';

/** One data-dependent dim: value `value` has as many rows as tokens layer `layer` sent to `expert`. */
export interface MoeDynamicDim {
  readonly value: string;
  readonly layer: number;
  readonly expert: number;
  /** Which axis of `value` has that size. */
  readonly axis: number;
}

/**
 * Top-k MoE FFN on x [T, hidden] (Mixtral-style: softmax over the k selected router logits).
 * Each expert runs only on the tokens routed to it, so its FLOPs are honest (Σ_e n_e = T·k rows):
 *
 *   router logits = x·W_r [T, E] → TopK k → (gate logits [T,k], experts [T,k]) → softmax gates
 *   per expert e: sel = any(experts == e) [T]; x_e = Compress(x, sel) [n_e, hidden]
 *                 y_e = SwiGLU_e(x_e) · gate_e;  out = ScatterND(out, rows(sel), y_e, add)
 *
 * Returns the output and the routing (int64 [T, k]) so the caller can expose it; `dynamic`
 * receives the values whose size depends on routing (for the FLOP/byte counter).
 */
export function moeFfn(
  ctx: ModelContext,
  x: string,
  layer: number,
  dynamic: MoeDynamicDim[],
): { out: string; experts: string } {
  const { b, config } = ctx;
  const moe = config.moe;
  if (moe === undefined) throw new Error('moeFfn called for a config without moe');
  const hidden = config.hiddenSize;
  const prefix = `l${layer}.moe`;
  const logits = linear(ctx, x, `${prefix}.router`, hidden, moe.numExperts);
  const [topLogits, experts] = b.op('TopK', [logits, b.ints([moe.topK])], {
    name: 'topk',
    numOutputs: 2,
    attrs: { axis: attr.int(-1), largest: attr.int(1), sorted: attr.int(1) },
  });
  if (topLogits === undefined || experts === undefined) throw new Error('unreachable: TopK gave no outputs');
  const gates = b.op1('Softmax', [topLogits], { name: 'gates', attrs: { axis: attr.int(-1) } });
  let acc = b.op1('ConstantOfShape', [b.op1('Shape', [x], { name: 'x_shape' })], { name: 'zeros' });
  for (let e = 0; e < moe.numExperts; e++) {
    acc = b.scope(`e${e}`, () => {
      const hit = b.op1('Cast', [b.op1('Equal', [experts, b.ints([e], [])], { name: 'hit' })], {
        name: 'hit_f',
        attrs: { to: attr.int(1) },
      });
      const gate = b.op1('ReduceSum', [b.op1('Mul', [hit, gates], { name: 'hit_gates' }), b.ints([-1])], {
        name: 'gate',
        attrs: { keepdims: attr.int(0) },
      });
      const selected = b.op1(
        'Cast',
        [b.op1('ReduceMax', [hit, b.ints([-1])], { name: 'any', attrs: { keepdims: attr.int(0) } })],
        {
          name: 'selected',
          attrs: { to: attr.int(9) },
        },
      );
      const xe = b.op1('Compress', [x, selected], { name: 'tokens', attrs: { axis: attr.int(0) } });
      const ge = b.op1('Compress', [gate, selected], { name: 'token_gates', attrs: { axis: attr.int(0) } });
      const nonzero = b.op1('NonZero', [selected], { name: 'nonzero' });
      const rows = b.op1('Transpose', [nonzero], { name: 'rows' });
      dynamic.push(
        { value: xe, layer, expert: e, axis: 0 },
        { value: ge, layer, expert: e, axis: 0 },
        { value: nonzero, layer, expert: e, axis: 1 },
      );
      const ye = swiglu(ctx, xe, `${prefix}.e${e}`, hidden, moe.expertIntermediateSize);
      const weighted = b.op1('Mul', [ye, b.op1('Unsqueeze', [ge, b.ints([1])], { name: 'gate_col' })], {
        name: 'weighted',
      });
      return b.op1('ScatterND', [acc, rows, weighted], { name: 'combine', attrs: { reduction: attr.string('add') } });
    });
  }
  return { out: acc, experts };
}
